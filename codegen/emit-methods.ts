// methods.ts: the interface with one method per operation (its JSDoc and its signature), then the types the
// signatures name (operation-types.ts). Types only: with `@ts-nocheck`, tsc resolves only what a project calls.
// Written with a code writer: the signatures are already source text, so nothing needs a syntax tree (parsing
// them, ~1.5 MB on GitHub's spec, took a third of a second).
import type { CodeBlockWriter } from "ts-morph";
import { sanitizeDoc } from "./doc-text.js";
import { isText } from "./media-types.js";
import type { OperationModel } from "./model.js";
import { CALL_OPTIONS, helperDeclarations, operationTypes, WITH_REQUIRED, type OperationPart, type OperationType } from "./operation-types.js";

/**
 * The first lines of methods.ts and types.ts after the header. They are `.ts`, not `.d.ts`, so that a project
 * compiling the client with `outDir` + `declaration` emits their declarations (tsc never copies a `.d.ts`).
 * `@ts-nocheck` keeps what `.d.ts` + `skipLibCheck` gave: tsc does not check these files themselves (on
 * GitHub's spec, megabytes of types), only the code that uses them; their emitted `.d.ts` is unchanged.
 */
export const NO_CHECK = "// @ts-nocheck (types only: tsc checks the code that uses them, not this file)\n";

const MAX_LINE = 120;
const LONG_LINE = 160;

/** JSDoc for a body the runtime does not parse as JSON. */
function responseDoc(operation: OperationModel): string | undefined {
  const read = operation.wire.response;
  if (read === undefined) return undefined;
  const as = isText(read) ? "a string" : "a `Uint8Array`";
  return `Resolves with the \`${sanitizeDoc(read).replace(/`/g, "'")}\` body as ${as}; \`stream.${operation.methodName}(...)\` gives it unread, for large ones.`;
}

function methodDocs(operation: OperationModel): string {
  const parts: string[] = [];
  const summary = operation.summary ? sanitizeDoc(operation.summary) : "";
  const description = operation.description ? sanitizeDoc(operation.description) : "";
  if (summary) parts.push(summary);
  if (description && description !== summary) parts.push(description);
  parts.push(`\`${operation.method.toUpperCase()} ${sanitizeDoc(operation.path)}\``);
  const response = responseDoc(operation);
  if (response) parts.push(response);
  const tags: string[] = [];
  for (const parameter of operation.pathParameters) {
    if (parameter.description) tags.push(`@param ${parameter.argument} ${sanitizeDoc(parameter.description).replace(/\n+/g, " ")}`);
  }
  if (operation.deprecated) tags.push("@deprecated The spec marks this operation as deprecated.");
  return [...parts, ...(tags.length > 0 ? [tags.join("\n")] : [])].join("\n\n");
}

type TypeNames = Partial<Record<OperationPart, string>>;

/**
 * The `options` parameter: `CallOptions<Query, Headers, Cookies>`, trailing defaults left out (no query
 * parameter: `never`, so that a query is refused; nothing at all: `CallOptions`), `WithRequired` around it
 * when a query parameter, header or cookie is required. `lines`: the same, broken over lines, for a long signature.
 */
function optionsParameter(operation: OperationModel, names: TypeNames): { text: string; lines: string[]; required: boolean } {
  const query = names.Query ?? "never";
  const typeArguments = names.Cookies
    ? [query, names.Headers ?? "Record<string, string>", names.Cookies]
    : names.Headers
      ? [query, names.Headers]
      : names.Query
        ? [names.Query]
        : [];
  const required = [
    ...(operation.query.required ? ['"query"'] : []),
    ...(operation.header.required ? ['"headers"'] : []),
    ...(operation.cookie.required ? ['"cookies"'] : []),
  ].join(" | ");
  const options = typeArguments.length === 0 ? CALL_OPTIONS : `${CALL_OPTIONS}<${typeArguments.join(", ")}>`;
  const name = required ? "options" : "options?";
  const text = `${name}: ${required ? `${WITH_REQUIRED}<${options}, ${required}>` : options}`;
  const lines =
    typeArguments.length <= 1
      ? [text]
      : [
          `${name}: ${required ? `${WITH_REQUIRED}<` : ""}${CALL_OPTIONS}<`,
          ...typeArguments.map((type, index) => `  ${type}${index < typeArguments.length - 1 ? "," : ""}`),
          `>${required ? `, ${required}>` : ""}`,
        ];
  return { text, lines, required: required !== "" };
}

/** One method signature of the interface, as source text: broken over lines when it would be long. */
function methodSignature(operation: OperationModel, names: TypeNames): string {
  // A placeholder no parameter declares has no type in `paths`: any string or number fills it.
  const parameters: string[] = operation.pathParameters.map(
    (parameter) =>
      `${parameter.argument}: ${parameter.plainType ?? (parameter.declared ? `${names.PathParams}[${JSON.stringify(parameter.name)}]` : "string | number")}`,
  );
  const options = optionsParameter(operation, names);
  if (operation.body) {
    const type = names.Body;
    // An optional body before a required options object (a required query parameter or header) takes `undefined`.
    parameters.push(operation.body.required ? `body: ${type}` : options.required ? `body: ${type} | undefined` : `body?: ${type}`);
  }
  const returns = `Promise<${names.Response ?? "void"}>`;
  const oneLine = `${operation.methodName}(${[...parameters, options.text].join(", ")}): ${returns};`;
  // The options type over lines of its own only when it alone would be a very long line.
  const optionsLines = options.text.length + 5 <= LONG_LINE ? [options.text] : options.lines;
  const signature =
    oneLine.length + 2 <= MAX_LINE
      ? [oneLine]
      : [
          `${operation.methodName}(`,
          ...parameters.map((parameter) => `  ${parameter},`),
          ...optionsLines.map((line, index) => `  ${line}${index === optionsLines.length - 1 ? "," : ""}`),
          `): ${returns};`,
        ];
  const docs = methodDocs(operation)
    .split("\n")
    .map((line) => (line ? ` * ${line}` : " *"));
  return ["/**", ...docs, " */", ...signature].join("\n");
}

function writeDocComment(writer: CodeBlockWriter, lines: string[]): void {
  writer.writeLine("/**");
  for (const line of lines) writer.writeLine(line ? ` * ${line}` : " *");
  writer.writeLine(" */");
}

export interface MethodsInput {
  className: string;
  operations: OperationModel[];
  header: string;
}

/** methods.ts, written with `writer` (a ts-morph code writer, for its indentation settings). */
export function emitMethods(writer: CodeBlockWriter, { className, operations, header }: MethodsInput): string {
  const typesOf = operations.map(operationTypes);
  writer.writeLine(`import type { ${CALL_OPTIONS} as RuntimeCallOptions } from "inject-client/runtime";`);
  writer.writeLine('import type { paths } from "./types.js";');
  for (const declaration of helperDeclarations(operations)) {
    writer.blankLine();
    writer.writeLine(declaration);
  }
  writer.blankLine();
  writeDocComment(writer, [
    `The methods of \`${className}\`, one per operation, implemented in index.ts.`,
    "",
    "Path parameters come first, in path order, then the request body (if any), then options (`query`, `headers`, `cookies`, `signal`, `timeout`).",
    "Each method resolves with the parsed 2xx body and rejects with `HTTPStatusError` (`ObjectNotFound` for 404, `ObjectAlreadyExists` for 409).",
    "Each method's types are named after it, below (`<Method>Response`, `<Method>Body`, `<Method>Query`, ...); the index exports them.",
  ]);
  writer.write(`export interface ${className}Methods`).block(() => {
    operations.forEach((operation, index) => {
      if (index > 0) writer.blankLine();
      writer.write(methodSignature(operation, namesOf(typesOf[index]!)));
    });
  });
  writer.newLine();
  for (const types of typesOf) {
    if (types.length === 0) continue;
    writer.blankLine();
    for (const type of types) {
      writer.writeLine(`/** ${type.doc} */`);
      writer.writeLine(`export type ${type.name} = ${type.type};`);
    }
  }
  return `${header}${NO_CHECK}\n${writer.toString().replace(/\n{3,}/g, "\n\n")}`;
}

function namesOf(types: OperationType[]): TypeNames {
  return Object.fromEntries(types.map((type) => [type.part, type.name]));
}
