// Versioned like the runtime's shared state: another copy of the runtime brands its errors the same way.
const ERROR_CLASS = Symbol.for("inject-client.error-class/1");

/**
 * `instanceof` for the runtime's error classes that also recognises errors thrown by another copy of the
 * runtime in the process (an ES-module and a CommonJS copy, two installed versions): each class's
 * prototype carries its name under a shared symbol, and an error whose prototype chain has that name
 * is an instance. A user's subclass has no brand of its own and keeps plain `instanceof`.
 */
function hasInstance(this: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
  if (typeof value !== "object" || value === null) return false;
  const brand = Object.getOwnPropertyDescriptor(this.prototype, ERROR_CLASS)?.value as string | undefined;
  if (brand === undefined) return false;
  for (let proto: object | null = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (Object.getOwnPropertyDescriptor(proto, ERROR_CLASS)?.value === brand) return true;
  }
  return false;
}

/** Makes `instanceof errorClass` hold for errors of the same name from another copy of the runtime. */
export function recogniseAcrossCopies(errorClass: abstract new (...args: never[]) => Error, name: string): void {
  Object.defineProperty(errorClass.prototype, ERROR_CLASS, { value: name });
  Object.defineProperty(errorClass, Symbol.hasInstance, { value: hasInstance, configurable: true });
}

/** Thrown by a client that is used after it was closed. */
export class ClientClosedError extends Error {
  override name = "ClientClosedError";
  constructor(message = "The client is closed: it cannot send requests after [Symbol.asyncDispose](). Create a new client instead.") {
    super(message);
  }
}

/** No client was passed, none (of the class asked for) is open in a context, and there is no factory. */
export class MissingClientFactoryError extends Error {
  override name = "MissingClientFactoryError";
  /** The class asked for (`injected(PetClient)`), or undefined for unkeyed resolution. */
  readonly clientClass: string | undefined;

  constructor(clientClass?: string) {
    super(
      clientClass === undefined
        ? "inject-client: no client was passed, no open client was found in ClientContext, FlowRunContext or TaskRunContext, " +
            "and no client factory is set. Declare the client's class, `client: YourClient = injected(YourClient)`, so that its own " +
            "factory is used, or call setClientFactory(() => new YourClient(...)) from inject-client/runtime."
        : `inject-client: no ${clientClass} was passed, none is open in ClientContext, FlowRunContext or TaskRunContext, ` +
            `and ${clientClass} has no client factory. Call setClientFactory(${clientClass}, () => new ${clientClass}({ ... })) ` +
            `from inject-client/runtime, or withClientFactory(${clientClass}, factory, fn) for one call tree.`,
    );
    this.clientClass = clientClass;
  }
}

/** `injected()` ran as a real call: the function was not compiled by the transformer. */
export class InjectedNotTransformedError extends Error {
  override name = "InjectedNotTransformedError";
  constructor(functionName: string | undefined) {
    const where = functionName ? `the function \`${functionName}\`` : "the function that declares `client = injected()`";
    super(
      `injected() was called at run time: ${where} was compiled without the inject-client transformer. ` +
        'Add { "transform": "@inject-client/transformer" } to "compilerOptions.plugins" and build with tspc (TypeScript 5.9/6), ' +
        "use a bundler plugin (@inject-client/transformer/vite, /rollup, /esbuild, /webpack, …), run Node or tsx with " +
        "--import @inject-client/transformer/register, run inject-client-transform on TypeScript 7's output, or pass a client explicitly.",
    );
  }
}

export interface HTTPStatusErrorInit {
  status: number;
  method: string;
  url: string;
  /** The server's `detail` field (FastAPI's error body), or the raw body text when there is none. */
  detail?: unknown;
  /** The parsed response body, when there was one. */
  body?: unknown;
  headers?: Headers;
}

function describeDetail(detail: unknown): string {
  if (detail === undefined || detail === null || detail === "") return "";
  const text = typeof detail === "string" ? detail : JSON.stringify(detail);
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 500 ? `${oneLine.slice(0, 500)}…` : oneLine;
}

/** A non-2xx response. Prefect's `PrefectHTTPStatusError`. */
export class HTTPStatusError extends Error {
  override name = "HTTPStatusError";
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly detail: unknown;
  readonly body: unknown;
  readonly headers: Headers | undefined;

  constructor(init: HTTPStatusErrorInit) {
    const detail = describeDetail(init.detail);
    super(`${init.method.toUpperCase()} ${init.url} failed with HTTP ${init.status}${detail ? `: ${detail}` : ""}`);
    this.status = init.status;
    this.method = init.method.toUpperCase();
    this.url = init.url;
    this.detail = init.detail;
    this.body = init.body;
    this.headers = init.headers;
  }

  /** The error class for a status: 404 and 409 get their own, for every operation. */
  static from(init: HTTPStatusErrorInit): HTTPStatusError {
    if (init.status === 404) return new ObjectNotFound(init);
    if (init.status === 409) return new ObjectAlreadyExists(init);
    return new HTTPStatusError(init);
  }
}

/** HTTP 404. */
export class ObjectNotFound extends HTTPStatusError {
  override name = "ObjectNotFound";
}

/** HTTP 409. */
export class ObjectAlreadyExists extends HTTPStatusError {
  override name = "ObjectAlreadyExists";
}

recogniseAcrossCopies(ClientClosedError, "ClientClosedError");
recogniseAcrossCopies(MissingClientFactoryError, "MissingClientFactoryError");
recogniseAcrossCopies(InjectedNotTransformedError, "InjectedNotTransformedError");
recogniseAcrossCopies(HTTPStatusError, "HTTPStatusError");
recogniseAcrossCopies(ObjectNotFound, "ObjectNotFound");
recogniseAcrossCopies(ObjectAlreadyExists, "ObjectAlreadyExists");
