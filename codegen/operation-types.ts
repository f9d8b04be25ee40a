// The types methods.ts names, so that a signature reads as written by hand (`readFlow(id: string, options?:
// CallOptions<never, ReadFlowHeaders>): Promise<ReadFlowResponse>`) and a user can import them from the index:
// - each operation's parts, `<Method><Part>`: an alias of the indexed access into `paths` it stands for;
// - the helpers those use (`CallOptions`, `WithRequired`, `WithOthers`, `BinaryData`).
//
// Why names cannot collide: a part's name is its method's name with the first letter capitalised, then the
// part's suffix. Method names are unique and start with a lower-case letter or `_` (model.ts), so capitalising
// keeps them unique; and no suffix ends with another, so `<A><Part>` = `<B><Other part>` only when A = B and
// the parts are the same. The spec's own names never reach this scope: types.ts exports only `paths`,
// `components`, `operations`, `webhooks` and `$defs` (schemas stay inside `components`), and no helper name ends
// with a suffix. The one name left, the class's (`--name ReadFlowResponse`), is checked: `classNameClash`.
import { inlineCode } from "./doc-text.js";
import { isText } from "./media-types.js";
import type { OperationModel, SuccessResponse } from "./model.js";

export type OperationPart = "PathParams" | "Query" | "Headers" | "Cookies" | "Body" | "Response";

/** In the order methods.ts declares them, which is the order of the arguments. */
export const OPERATION_PARTS: readonly OperationPart[] = ["PathParams", "Query", "Headers", "Cookies", "Body", "Response"];

export const CALL_OPTIONS = "CallOptions";
export const WITH_OTHERS = "WithOthers";
export const WITH_REQUIRED = "WithRequired";
export const BINARY_DATA = "BinaryData";

export interface OperationType {
  part: OperationPart;
  name: string;
  /** The type, as source text: an indexed access into `paths` (or a helper around one). */
  type: string;
  /** Its one-line JSDoc. */
  doc: string;
}

export function operationTypeName(methodName: string, part: OperationPart): string {
  return `${methodName.charAt(0).toUpperCase()}${methodName.slice(1)}${part}`;
}

function operationType(operation: OperationModel): string {
  return `paths[${JSON.stringify(operation.path)}][${JSON.stringify(operation.method)}]`;
}

function statusKey(status: string): string {
  return /^\d+$/.test(status) ? status : JSON.stringify(status);
}

type BodyResponse = SuccessResponse & { mediaType: string };

function bodyResponses(operation: OperationModel): BodyResponse[] {
  return operation.responses.filter((response): response is BodyResponse => response.mediaType !== undefined);
}

/**
 * A response read as JSON has its schema's type; one the runtime reads otherwise (`wire.response`) is a
 * `string` (`text/*`) or a `Uint8Array` (anything else), whatever its schema says. Undefined: no 2xx has a body.
 */
function responseType(operation: OperationModel): string | undefined {
  const bodies = bodyResponses(operation);
  if (bodies.length === 0) return undefined;
  const read = operation.wire.response;
  const types =
    read === undefined
      ? bodies.map(
          (response) => `${operationType(operation)}["responses"][${statusKey(response.status)}]["content"][${JSON.stringify(response.mediaType)}]`,
        )
      : [isText(read) ? "string" : "Uint8Array"];
  if (bodies.length < operation.responses.length) types.push("undefined");
  return types.join(" | ");
}

/** `200`, `200 or 201`, `200, 201 or 202`. */
function statuses(responses: SuccessResponse[]): string {
  const keys = responses.map((response) => response.status);
  return keys.length === 1 ? keys[0]! : `${keys.slice(0, -1).join(", ")} or ${keys.at(-1)!}`;
}

function responseDoc(operation: OperationModel, of: string): string {
  const bodies = bodyResponses(operation);
  const read = operation.wire.response;
  const as = read === undefined ? "" : `, ${inlineCode(read)} as ${isText(read) ? "a string" : "a `Uint8Array`"}`;
  const none = operation.responses.filter((response) => response.mediaType === undefined);
  const empty = none.length > 0 ? `; \`undefined\` for ${statuses(none)}` : "";
  return `Response of ${of}, ${statuses(bodies)}${as}${empty}).`;
}

/** Each part the operation has (a method without a query has no `<Method>Query`), in `OPERATION_PARTS` order. */
export function operationTypes(operation: OperationModel): OperationType[] {
  const op = operationType(operation);
  const name = (part: OperationPart) => operationTypeName(operation.methodName, part);
  const of = `\`${operation.methodName}\` (${inlineCode(`${operation.method.toUpperCase()} ${operation.path}`)}`;
  const others = "those the spec declares, and any other as a string.";
  const types: OperationType[] = [];
  if (operation.pathParameters.some((parameter) => parameter.declared)) {
    types.push({ part: "PathParams", name: name("PathParams"), type: `${op}["parameters"]["path"]`, doc: `Path parameters of ${of}).` });
  }
  if (operation.query.present) {
    types.push({ part: "Query", name: name("Query"), type: `NonNullable<${op}["parameters"]["query"]>`, doc: `Query parameters of ${of}).` });
  }
  if (operation.header.present) {
    let declared = `NonNullable<${op}["parameters"]["header"]>`;
    if (operation.header.ignored.length > 0)
      declared = `Omit<${declared}, ${operation.header.ignored.map((header) => JSON.stringify(header)).join(" | ")}>`;
    types.push({ part: "Headers", name: name("Headers"), type: `${WITH_OTHERS}<${declared}>`, doc: `Headers of ${of}): ${others}` });
  }
  if (operation.cookie.present) {
    const type = `${WITH_OTHERS}<NonNullable<${op}["parameters"]["cookie"]>>`;
    types.push({ part: "Cookies", name: name("Cookies"), type, doc: `Cookies of ${of}): ${others}` });
  }
  const body = operation.body;
  if (body) {
    const requestBody = body.required ? `${op}["requestBody"]` : `NonNullable<${op}["requestBody"]>`;
    const type = body.binary ? BINARY_DATA : `${requestBody}["content"][${JSON.stringify(body.mediaType)}]`;
    const doc = `Request body of ${of}, ${inlineCode(body.mediaType)}${body.binary ? ": raw bytes" : ""}).`;
    types.push({ part: "Body", name: name("Body"), type, doc });
  }
  const response = responseType(operation);
  if (response !== undefined) types.push({ part: "Response", name: name("Response"), type: response, doc: responseDoc(operation, of) });
  return types;
}

/** The operation one of whose types has the class's name (the index exports both), if any. */
export function classNameClash(className: string, operations: OperationModel[]): { operation: OperationModel; part: OperationPart } | undefined {
  const part = OPERATION_PARTS.find((suffix) => className.endsWith(suffix));
  if (part === undefined) return undefined;
  const operation = operations.find((candidate) => operationTypeName(candidate.methodName, part) === className);
  return operation && operationTypes(operation).some((type) => type.part === part) ? { operation, part } : undefined;
}

interface Helper {
  declaration: string;
  usedBy: (operation: OperationModel) => boolean;
}

/**
 * The helpers methods.ts declares, each when some signature or type uses it; exported when signatures show it
 * (a hover shows a name as written only when the user's file could name it too).
 */
const HELPERS: Helper[] = [
  {
    declaration: [
      "/**",
      " * The options every method takes last (`query`, `headers`, `cookies`, `signal`, `timeout`): inject-client's",
      " * `CallOptions`, with no query unless the method's spec declares one (`never`: a query is refused).",
      " */",
      `export type ${CALL_OPTIONS}<Query = never, Headers = Record<string, string>, Cookies = Record<string, unknown>> = RuntimeCallOptions<Query, Headers, Cookies>;`,
    ].join("\n"),
    usedBy: () => true,
  },
  {
    declaration: [
      "/**",
      " * Headers (or cookies) a method takes: those the spec declares, typed from it, and any others as strings.",
      " * The index signature admits the declared types too: with `Declared & Record<string, string>`, a header the",
      " * spec types as a number would be `number & string`, which is `never`.",
      " */",
      `type ${WITH_OTHERS}<Declared> = Declared & { [name: string]: string | Declared[keyof Declared] };`,
    ].join("\n"),
    usedBy: (operation) => operation.header.present || operation.cookie.present,
  },
  {
    declaration: [
      "/** Options whose `Keys` must be given: a required query parameter, header or cookie. */",
      `export type ${WITH_REQUIRED}<Options, Keys extends keyof Options> = Options & { [Key in Keys]-?: Options[Key] };`,
    ].join("\n"),
    usedBy: (operation) => operation.query.required || operation.header.required || operation.cookie.required,
  },
  {
    declaration: [
      "/** A request body of raw bytes: a Blob (a File), a Uint8Array (a Buffer), or a stream, sent as it is read. */",
      `type ${BINARY_DATA} = Blob | Uint8Array | ReadableStream<Uint8Array> | import("node:stream").Readable;`,
    ].join("\n"),
    usedBy: (operation) => operation.body?.binary === true,
  },
];

/** The declarations of the helpers `operations` use. */
export function helperDeclarations(operations: OperationModel[]): string[] {
  return HELPERS.filter((helper) => operations.some(helper.usedBy)).map((helper) => helper.declaration);
}
