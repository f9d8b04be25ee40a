// What a generated client class does with its operations table: `static { defineOperations(this, operations); }`
// defines one method per row on the prototype (as a class method would be: writable, configurable, not
// enumerable, named), and a `stream` view whose methods take the same arguments and resolve with the
// response unread (StreamedResponse). Each row is prepared once here (path template compiled, argument
// positions worked out), so a call only fills in its values.
import { OpenAPIClient, sendOperation, type CallInput, type CallOptions, type HttpMethod, type PreparedOperation } from "./client.js";
import type { Operation, OperationWire } from "./operation.js";
import { compilePath } from "./wire/path.js";

const METHODS: ReadonlySet<string> = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** The client each stream view belongs to, and each client's view (made on first use). */
const owners = new WeakMap<object, OpenAPIClient<{}>>();
const views = new WeakMap<OpenAPIClient<{}>, object>();

/**
 * Any class, as far as the types go; that it extends OpenAPIClient is checked at run time. Typed as
 * `=> OpenAPIClient<{}>`, every generated class's static block had tsc compare its whole instance type
 * (`stream`'s view of every method) with the base's: ~150,000 instantiations on GitHub's spec for a file
 * that makes 3 calls, against ~1,600 now (bench P4).
 */
type ClassOfClients = abstract new (...args: never[]) => object;

interface RequestMethod {
  request(method: HttpMethod, path: string, input: CallInput, options?: CallOptions, wire?: OperationWire): Promise<unknown>;
}

const baseRequest = (OpenAPIClient.prototype as unknown as RequestMethod).request;

function invalid(name: string, problem: string): TypeError {
  return new TypeError(`defineOperations: operation ${JSON.stringify(name)} ${problem}`);
}

function prepare(name: string, row: Operation): PreparedOperation {
  if (!Array.isArray(row) || row.length < 4 || row.length > 5) throw invalid(name, "must be [method, path, pathParameters, body, wire?]");
  const [method, path, pathParameters, body, wire] = row;
  if (typeof method !== "string" || !METHODS.has(method)) throw invalid(name, `has an unknown HTTP method ${JSON.stringify(method)}`);
  if (typeof path !== "string") throw invalid(name, "has a path that is not a string");
  if (!Array.isArray(pathParameters) || !pathParameters.every((parameter) => typeof parameter === "string"))
    throw invalid(name, "has path parameters that are not a list of names");
  if (typeof body !== "boolean") throw invalid(name, "must say whether it takes a body (true or false)");
  if (wire !== undefined && (typeof wire !== "object" || wire === null)) throw invalid(name, "has a wire entry that is not an object");
  const compiled = compilePath(path);
  const bodyIndex = body ? pathParameters.length : -1;
  return {
    method,
    path: compiled,
    // A placeholder the row does not list gets no argument (-1): the call is refused naming it.
    argumentIndex: compiled.names.map((placeholder) => pathParameters.indexOf(placeholder)),
    bodyIndex,
    optionsIndex: pathParameters.length + (body ? 1 : 0),
    wire,
  };
}

/** What `request()` takes, for a subclass that overrides it. */
function inputOf(row: Operation, prepared: PreparedOperation, args: readonly unknown[]): CallInput {
  const path: Record<string, unknown> = {};
  row[2].forEach((parameter, index) => {
    path[parameter] = args[index];
  });
  return { path, body: prepared.bodyIndex === -1 ? undefined : args[prepared.bodyIndex] };
}

function named<F extends Function>(fn: F, name: string): F {
  Object.defineProperty(fn, "name", { value: name, configurable: true });
  return fn;
}

/**
 * Defines each operation of `operations` as a method of `cls` (positional path arguments in
 * `pathParameters` order, then the body when the row says it has one, then the call options) and a
 * `stream` getter whose view has the same methods, resolving with StreamedResponse.
 */
export function defineOperations(cls: ClassOfClients, operations: Readonly<Record<string, Operation>>): void {
  if (typeof cls !== "function" || !(cls.prototype instanceof OpenAPIClient))
    throw new TypeError("defineOperations: the class must extend OpenAPIClient");
  if (typeof operations !== "object" || operations === null)
    throw new TypeError("defineOperations: operations must be an object of method names to rows");
  const prototype = cls.prototype as object;
  const streamMethods: Record<string, unknown> = {};

  // Every row is checked before any method is defined: a bad table leaves the class as it was.
  const rows = Object.keys(operations).map((name) => {
    // Members of the base class (request, open, closed, the instance field api, …) and the stream view itself are not operation names.
    if (name === "stream" || name === "api" || name in OpenAPIClient.prototype)
      throw invalid(name, "would replace a member of OpenAPIClient: rename the method");
    const row = operations[name]!;
    return { name, row, prepared: prepare(name, row) };
  });
  for (const { name, row, prepared } of rows) {
    const method = named(function (this: OpenAPIClient<{}>, ...args: unknown[]): Promise<unknown> {
      const request = (this as unknown as RequestMethod | undefined)?.request;
      // A subclass that overrides request() sees every call, as it did when generated methods called it.
      if (request !== baseRequest && typeof request === "function") {
        return request.call(this, row[0], row[1], inputOf(row, prepared, args), args[prepared.optionsIndex] as CallOptions | undefined, row[4]);
      }
      return sendOperation(this, prepared, args, false);
    }, name);
    Object.defineProperty(prototype, name, { value: method, writable: true, configurable: true, enumerable: false });
    streamMethods[name] = named(function (this: object, ...args: unknown[]): Promise<unknown> {
      const client = owners.get(this);
      if (client === undefined)
        return Promise.reject(new TypeError(`stream.${name} must be called on a client's stream view (client.stream.${name}(…))`));
      return sendOperation(client, prepared, args, true);
    }, name);
  }

  const streamPrototype: object = {};
  for (const [name, fn] of Object.entries(streamMethods))
    Object.defineProperty(streamPrototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(prototype, "stream", {
    configurable: true,
    enumerable: false,
    get(this: OpenAPIClient<{}>) {
      let view = views.get(this);
      if (view === undefined) {
        view = Object.create(streamPrototype) as object;
        owners.set(view, this);
        views.set(this, view);
      }
      return view;
    },
  });
}
