// Emit the client with ts-morph, in two files:
// - methods.ts: an interface with one method per operation, its JSDoc, and a signature that indexes
//   into the generated `paths` type (no restated types). A declaration file: with skipLibCheck, tsc
//   resolves only the methods a project calls.
// - index.ts: the class (constructor, fromEnv, the interface merged in) and a table saying how each
//   method calls its operation (and how its parameters and bodies go on the wire, where the spec says
//   more than OpenAPI's defaults); the runtime's `defineOperations` turns the table into methods that
//   hand each call to the base class. Checking the table costs tsc little, whatever the size of the spec.
import {
  IndentationText,
  NewLineKind,
  Project,
  QuoteKind,
  StructureKind,
  VariableDeclarationKind,
  type CodeBlockWriter,
  type SourceFileStructure,
} from "ts-morph";
import { isText } from "./media-types.js";
import type { OperationModel, SuccessResponse } from "./model.js";
import { objectKey } from "./names.js";
import type { Profile } from "./profile.js";
import { isEmptyWire } from "./wire-model.js";

export interface ClientFiles {
  "index.ts": string;
  "methods.ts": string;
}

export interface ClientFileInput {
  className: string;
  operations: OperationModel[];
  profile: Profile;
  /** `"Prefect REST API" v3`-style description of the spec for the header and class docs. */
  title: string;
  header: string;
}

/** Spec text inside a JSDoc block: it must not end the comment, and stays plain text. */
export function sanitizeDoc(text: string): string {
  return (
    text
      .replace(/\r\n?/g, "\n")
      .replace(/[\u2028\u2029]/g, "\n")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
      .replace(/\*\//g, "*\\/")
      .split("\n")
      .map((line) => line.replace(/\s+$/, ""))
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim()
  );
}

/** Text inside a `//` comment: one line, so that nothing after it can become code. */
export function sanitizeLineComment(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ").trim();
}

function operationType(operation: OperationModel): string {
  return `paths[${JSON.stringify(operation.path)}][${JSON.stringify(operation.method)}]`;
}

function statusKey(status: string): string {
  return /^\d+$/.test(status) ? status : JSON.stringify(status);
}

/**
 * A response read as JSON has its schema's type; one the runtime reads otherwise (`wire.response`) is a
 * `string` (`text/*`) or a `Uint8Array` (anything else), whatever its schema says.
 */
function responseType(operation: OperationModel): string {
  const bodies = operation.responses.filter((response): response is SuccessResponse & { mediaType: string } => response.mediaType !== undefined);
  if (bodies.length === 0) return "void";
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

/**
 * The `options` parameter: `CallOptions<Query, Headers, Cookies>` typed from the spec, trailing defaults left
 * out (no query parameter: `never`, so that a query is refused), `WithRequired` around it when a query
 * parameter, header or cookie is required. `lines`: the same, broken over lines, for a long signature.
 */
function optionsParameter(operation: OperationModel): { text: string; lines: string[]; required: boolean } {
  const op = operationType(operation);
  const query = operation.query.present ? `NonNullable<${op}["parameters"]["query"]>` : "never";
  let declaredHeaders = `NonNullable<${op}["parameters"]["header"]>`;
  if (operation.header.ignored.length > 0)
    declaredHeaders = `Omit<${declaredHeaders}, ${operation.header.ignored.map((name) => JSON.stringify(name)).join(" | ")}>`;
  const headers = operation.header.present ? `${WITH_OTHERS}<${declaredHeaders}>` : undefined;
  const cookies = operation.cookie.present ? `${WITH_OTHERS}<NonNullable<${op}["parameters"]["cookie"]>>` : undefined;
  const typeArguments = [query, ...(headers || cookies ? [headers ?? "Record<string, string>"] : []), ...(cookies ? [cookies] : [])];
  const required = [
    ...(operation.query.required ? ['"query"'] : []),
    ...(operation.header.required ? ['"headers"'] : []),
    ...(operation.cookie.required ? ['"cookies"'] : []),
  ].join(" | ");
  const wrap = (options: string) => (required ? `${WITH_REQUIRED}<${options}, ${required}>` : options);
  const name = required ? "options" : "options?";
  const text = `${name}: ${wrap(`CallOptions<${typeArguments.join(", ")}>`)}`;
  const lines =
    typeArguments.length === 1
      ? [text]
      : [
          `${name}: ${required ? `${WITH_REQUIRED}<` : ""}CallOptions<`,
          ...typeArguments.map((type, index) => `  ${type}${index < typeArguments.length - 1 ? "," : ""}`),
          `>${required ? `, ${required}>` : ""}`,
        ];
  return { text, lines, required: required !== "" };
}

/** One method signature of the interface, as source text: broken over lines when it would be long. */
function methodSignature(operation: OperationModel): string {
  const op = operationType(operation);
  // A placeholder no parameter declares has no type in `paths`: any string or number fills it.
  const parameters: string[] = operation.pathParameters.map((parameter) =>
    parameter.declared
      ? `${parameter.argument}: ${op}["parameters"]["path"][${JSON.stringify(parameter.name)}]`
      : `${parameter.argument}: string | number`,
  );
  const options = optionsParameter(operation);
  if (operation.body) {
    const requestBody = operation.body.required ? `${op}["requestBody"]` : `NonNullable<${op}["requestBody"]>`;
    const type = operation.body.binary ? BINARY_BODY : `${requestBody}["content"][${JSON.stringify(operation.body.mediaType)}]`;
    // An optional body before a required options object (a required query parameter or header) takes `undefined`.
    parameters.push(operation.body.required ? `body: ${type}` : options.required ? `body: ${type} | undefined` : `body?: ${type}`);
  }
  const returns = `Promise<${responseType(operation)}>`;
  const oneLine = `${operation.methodName}(${[...parameters, options.text].join(", ")}): ${returns};`;
  // The options type over lines of its own only when it alone would be a very long line (three type
  // arguments, a required header): most, such as Prefect's `CallOptions<never, WithOthers<...>>`, read better on one.
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

const WITH_OTHERS = "WithOthers";
const WITH_REQUIRED = "WithRequired";
const BINARY_BODY = "BinaryBody";

/** Type aliases methods.ts declares when some signature uses them. */
const METHOD_TYPE_ALIASES: Record<string, string> = {
  [WITH_OTHERS]: [
    "/**",
    " * Headers (or cookies) a method takes: those the spec declares, typed from it, and any others as strings.",
    " * The index signature admits the declared types too: with `Declared & Record<string, string>`, a header the",
    " * spec types as a number would be `number & string`, which is `never`.",
    " */",
    `type ${WITH_OTHERS}<Declared> = Declared & { [name: string]: string | Declared[keyof Declared] };`,
  ].join("\n"),
  [WITH_REQUIRED]: [
    "/** Options whose `Keys` must be given: a required query parameter, header or cookie. */",
    `type ${WITH_REQUIRED}<Options, Keys extends keyof Options> = Options & { [Key in Keys]-?: Options[Key] };`,
  ].join("\n"),
  [BINARY_BODY]: [
    "/** A request body of raw bytes: a Blob (a File), a Uint8Array (a Buffer), or a stream, sent as it is read. */",
    `type ${BINARY_BODY} = Blob | Uint8Array | ReadableStream<Uint8Array> | import("node:stream").Readable;`,
  ].join("\n"),
};

/** The row's 5th element: a literal on one line, keys as written in source (`["__proto__"]` stays a key). */
function literal(value: unknown): string {
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "boolean") return String(value);
  const entries = Object.entries(value as Record<string, unknown>).map(([key, inner]) => `${objectKey(key)}: ${literal(inner)}`);
  return `{ ${entries.join(", ")} }`;
}

/** A string literal that stays on one line even in editors that break lines at U+2028/U+2029. */
function stringLiteral(text: string): string {
  return JSON.stringify(text)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * One row of the operations table: `readFlow: ["get", "/flows/{id}", ["id"], false],`, and a 5th element
 * when the wire is not OpenAPI's default: `listPets: ["get", "/pets", [], false, { query: { tags: { explode: false } } }],`.
 */
function operationRow(operation: OperationModel): string {
  const parameters = operation.pathParameters.map((parameter) => stringLiteral(parameter.name)).join(", ");
  const wire = isEmptyWire(operation.wire) ? "" : `, ${literal(operation.wire)}`;
  return `${operation.methodName}: [${JSON.stringify(operation.method)}, ${stringLiteral(operation.template)}, [${parameters}], ${operation.body ? "true" : "false"}${wire}],`;
}

const MAX_LINE = 120;
const LONG_LINE = 160;

function newProject(): Project {
  return new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Double, newLineKind: NewLineKind.LineFeed },
  });
}

/**
 * methods.ts (types only), written with the project's code writer: the signatures are already source text, so
 * nothing needs a syntax tree (parsing them, ~1.5 MB on GitHub's spec, took a third of a second).
 */
function emitMethods(project: Project, { className, operations, header }: ClientFileInput): string {
  const writer = project.createWriter();
  const signatures = operations.map(methodSignature);
  writer.writeLine('import type { CallOptions } from "inject-client/runtime";');
  writer.writeLine('import type { paths } from "./types.js";');
  const used: Record<string, boolean> = {
    [WITH_OTHERS]: operations.some((operation) => operation.header.present || operation.cookie.present),
    [WITH_REQUIRED]: operations.some((operation) => operation.query.required || operation.header.required || operation.cookie.required),
    [BINARY_BODY]: operations.some((operation) => operation.body?.binary === true),
  };
  for (const [name, declaration] of Object.entries(METHOD_TYPE_ALIASES)) {
    if (!used[name]) continue;
    writer.blankLine();
    writer.writeLine(declaration);
  }
  writer.blankLine();
  writer.writeLine("/**");
  for (const line of [
    `The methods of \`${className}\`, one per operation, implemented in index.ts.`,
    "",
    "Path parameters come first, in path order, then the request body (if any), then options (`query`, `headers`, `cookies`, `signal`, `timeout`).",
    "Each method resolves with the parsed 2xx body and rejects with `HTTPStatusError` (`ObjectNotFound` for 404, `ObjectAlreadyExists` for 409).",
  ]) {
    writer.writeLine(line ? ` * ${line}` : " *");
  }
  writer.writeLine(" */");
  writer.write(`export interface ${className}Methods`).block(() => {
    signatures.forEach((signature, index) => {
      if (index > 0) writer.blankLine();
      writer.write(signature);
    });
  });
  writer.newLine();
  return `${header}${NO_CHECK}\n${writer.toString().replace(/\n{3,}/g, "\n\n")}`;
}

/**
 * The first lines of methods.ts and types.ts after the header. They are `.ts`, not `.d.ts`, so that a project
 * compiling the client with `outDir` + `declaration` emits their declarations (tsc never copies a `.d.ts`).
 * `@ts-nocheck` keeps what `.d.ts` + `skipLibCheck` gave: tsc does not check these files themselves (on
 * GitHub's spec, megabytes of types), only the code that uses them; their emitted `.d.ts` is unchanged.
 */
export const NO_CHECK = "// @ts-nocheck (types only: tsc checks the code that uses them, not this file)\n";

const blankLine = (writer: CodeBlockWriter) => writer.blankLine();

/** JSDoc of the `stream` member, with a download from the spec as the example: a non-JSON response, else a `download` route. */
function streamDocs(operations: OperationModel[]): string {
  const example =
    operations.find((operation) => operation.wire.response !== undefined) ??
    operations.find((operation) => /download/i.test(operation.methodName)) ??
    operations.find((operation) => operation.method === "get") ??
    operations[0];
  const call = example ? `client.stream.${example.methodName}(...)` : "client.stream.<method>(...)";
  return [
    "The same methods, resolving with the 2xx response unread (`status`, `headers`, `url`, and `body` as a",
    `\`ReadableStream\`) instead of the parsed body, for large downloads: \`await ${call}\`.`,
    "The body is not limited by `maxResponseBytes`; read it to the end or cancel it, so that its connection is released.",
  ].join("\n");
}

/**
 * index.ts: one source-file structure, printed by ts-morph and parsed once; the class's static block
 * (which ts-morph's printer would put before the constructor) is then added as its last member.
 */
export function emitClient(input: ClientFileInput): ClientFiles {
  const { className, operations, profile, title, header } = input;
  const project = newProject();
  const methodsInterface = `${className}Methods`;
  const usage = profile.hasDefaultFactory
    ? [
        "```ts",
        `await using client = ${className}.fromEnv();`,
        "const flow = await client.readFlow(id);",
        "```",
        "",
        `A function whose client is \`injected(${className})\` gets \`${className}.fromEnv()\` when no ${className} is passed or open in a context`,
        `(\`setClientFactory(${className}, factory)\` or \`withClientFactory(${className}, factory, fn)\` replaces it).`,
      ]
    : [
        "```ts",
        `await using client = new ${className}({ baseUrl: "https://api.example.com" });`,
        "```",
        "",
        `For \`injected(${className})\`, set how one is made: \`setClientFactory(${className}, () => new ${className}({ ... }))\`.`,
      ];
  const classDocs = [`Typed client for ${sanitizeDoc(title)}: one method per operation (see \`${methodsInterface}\`).`, "", ...usage].join("\n");
  const statements: SourceFileStructure["statements"] = [
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: "inject-client/runtime",
      namedImports: [
        "OpenAPIClient",
        "defineClientClass",
        "defineOperations",
        ...(profile.hasDefaultFactory ? ["settingsFromEnv"] : []),
        "type ClientSettings",
        "type Operation",
        "type StreamingMethods",
      ],
    },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./methods.js", namedImports: [methodsInterface], isTypeOnly: true },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./types.js", namedImports: ["paths"], isTypeOnly: true },
    "// The spec's types (`paths`, `components`, `operations`, ...), from openapi-typescript.",
    'export type * from "./types.js";',
    `export type { ${methodsInterface} } from "./methods.js";`,
    blankLine,
    {
      kind: StructureKind.VariableStatement,
      docs: [
        {
          description:
            profile.name === "prefect"
              ? "Prefect's defaults: CSRF tokens on (as `PREFECT_CLIENT_CSRF_SUPPORT_ENABLED`) and the API version Prefect's Python client sends."
              : "Defaults for a generic API: no CSRF tokens, no API-version header.",
        },
      ],
      declarationKind: VariableDeclarationKind.Const,
      declarations: [
        {
          name: "defaults",
          type: "Partial<ClientSettings>",
          initializer: `{ csrfEnabled: ${profile.defaults.csrfEnabled}, apiVersion: ${JSON.stringify(profile.defaults.apiVersion)} }`,
        },
      ],
    },
    blankLine,
    [
      "/**",
      ` * One row per method of \`${methodsInterface}\` (methods.ts has their signatures and docs): HTTP method, path, the path`,
      " * parameters its first arguments fill, whether a request body follows them, and, where the spec says more than",
      " * OpenAPI's defaults, a 5th element on how the call goes on the wire (parameter styles, media types, a fixed query).",
      " */",
      `const operations: Record<keyof ${methodsInterface}, Operation> = {`,
      ...operations.map((operation) => `  ${operationRow(operation)}`),
      "};",
    ].join("\n"),
    {
      kind: StructureKind.Interface,
      name: className,
      isExported: true,
      extends: [methodsInterface],
      docs: [{ description: `Merges the typed methods of methods.ts into the class below, which defines them from \`operations\`.` }],
      properties: [
        {
          name: "stream",
          isReadonly: true,
          type: `StreamingMethods<${methodsInterface}>`,
          docs: [{ description: streamDocs(operations) }],
        },
      ],
    },
    {
      kind: StructureKind.Class,
      name: className,
      isExported: true,
      extends: "OpenAPIClient<paths>",
      docs: [{ description: classDocs }],
      ctors: [{ parameters: [{ name: "settings", type: "ClientSettings" }], statements: ["super({ ...defaults, ...settings });"] }],
      methods: profile.hasDefaultFactory
        ? [
            {
              name: "fromEnv",
              isStatic: true,
              docs: [
                {
                  description:
                    "A client configured from Prefect's environment variables (`PREFECT_API_URL`, `PREFECT_API_KEY`, ...), as Prefect's `get_client()`.",
                },
              ],
              returnType: className,
              statements: [`return new ${className}(settingsFromEnv());`],
            },
          ]
        : [],
    },
  ];
  const file = project.createSourceFile("index.ts", { statements }, { overwrite: true });
  file.getClassOrThrow(className)
    .addMember(`/** Defines the methods of the operations table (and their \`stream\` twins) on the prototype, as class methods would be. */
static {
  defineOperations(this, operations);
}`);
  // Resolution finds the class's identity and default factory through the class itself (the key
  // `injected(${className})` passes), not through a registration an elided import would skip.
  const defaultFactory = profile.hasDefaultFactory ? `, defaultFactory: () => ${className}.fromEnv()` : "";
  file.getClassOrThrow(className).addMember(`/**
 * Makes the class a key for inject-client's resolution: a function whose client is \`injected(${className})\` takes an open
 * ${className} from a context (also one made by another copy of this module), else ${profile.hasDefaultFactory ? `\`${className}.fromEnv()\`` : "the factory set with `setClientFactory`"}.
 */
static {
  defineClientClass(this, { name: ${JSON.stringify(className)}, operations${defaultFactory} });
}`);
  const text = file
    .getFullText()
    .replace(/\n(\/\/ The spec's types)/, "\n\n$1")
    .replace(/\n(  \/\*\*\n   \* Makes the class a key)/, "\n\n$1")
    .replace(/\n{3,}/g, "\n\n");
  return { "index.ts": `${header}\n${text}`, "methods.ts": emitMethods(project, input) };
}
