// Emit the client with ts-morph, in two files:
// - methods.ts: an interface with one method per operation, its JSDoc, and a signature that indexes
//   into the generated `paths` type (no restated types). A declaration file: with skipLibCheck, tsc
//   resolves only the methods a project calls.
// - index.ts: the class (constructor, fromEnv, the interface merged in) and a table saying how each
//   method calls its operation; a static block turns the table into methods that hand each call to the
//   base class's `request`. Checking the table costs tsc little, whatever the size of the spec.
import { IndentationText, NewLineKind, Project, QuoteKind, StructureKind, VariableDeclarationKind, type CodeBlockWriter, type SourceFileStructure } from "ts-morph";
import type { OperationModel, SuccessResponse } from "./model.js";
import type { Profile } from "./profile.js";

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
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u2028\u2029]/g, "\n")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .replace(/\*\//g, "*\\/")
    .split("\n")
    .map((line) => line.replace(/\s+$/, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
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

function responseType(operation: OperationModel): string {
  const bodies = operation.responses.filter((response): response is Required<SuccessResponse> => response.mediaType !== undefined);
  if (bodies.length === 0) return "void";
  const types = bodies.map((response) => `${operationType(operation)}["responses"][${statusKey(response.status)}]["content"][${JSON.stringify(response.mediaType)}]`);
  if (bodies.length < operation.responses.length) types.push("undefined");
  return types.join(" | ");
}

function methodDocs(operation: OperationModel): string {
  const parts: string[] = [];
  const summary = operation.summary ? sanitizeDoc(operation.summary) : "";
  const description = operation.description ? sanitizeDoc(operation.description) : "";
  if (summary) parts.push(summary);
  if (description && description !== summary) parts.push(description);
  parts.push(`\`${operation.method.toUpperCase()} ${sanitizeDoc(operation.path)}\``);
  const tags: string[] = [];
  for (const parameter of operation.pathParameters) {
    if (parameter.description) tags.push(`@param ${parameter.argument} ${sanitizeDoc(parameter.description).replace(/\n+/g, " ")}`);
  }
  if (operation.deprecated) tags.push("@deprecated The spec marks this operation as deprecated.");
  return [...parts, ...(tags.length > 0 ? [tags.join("\n")] : [])].join("\n\n");
}

/** One method signature of the interface, as source text: broken over lines when it would be long. */
function methodSignature(operation: OperationModel): string {
  const op = operationType(operation);
  // A placeholder no parameter declares has no type in `paths`: any string or number fills it.
  const parameters: string[] = operation.pathParameters.map((parameter) =>
    parameter.declared ? `${parameter.argument}: ${op}["parameters"]["path"][${JSON.stringify(parameter.name)}]` : `${parameter.argument}: string | number`,
  );
  if (operation.body) {
    const requestBody = operation.body.required ? `${op}["requestBody"]` : `NonNullable<${op}["requestBody"]>`;
    const type = `${requestBody}["content"][${JSON.stringify(operation.body.mediaType)}]`;
    // An optional body before a required options object (a required query parameter) takes `undefined`.
    parameters.push(
      operation.body.required ? `body: ${type}` : operation.query.required ? `body: ${type} | undefined` : `body?: ${type}`,
    );
  }
  const query = `NonNullable<${op}["parameters"]["query"]>`;
  parameters.push(
    !operation.query.present
      ? "options?: CallOptions<never>"
      : operation.query.required
        ? `options: CallOptions<${query}> & { query: ${query} }`
        : `options?: CallOptions<${query}>`,
  );
  const returns = `Promise<${responseType(operation)}>`;
  const oneLine = `${operation.methodName}(${parameters.join(", ")}): ${returns};`;
  const signature =
    oneLine.length + 2 <= MAX_LINE ? [oneLine] : [`${operation.methodName}(`, ...parameters.map((parameter) => `  ${parameter},`), `): ${returns};`];
  const docs = methodDocs(operation)
    .split("\n")
    .map((line) => (line ? ` * ${line}` : " *"));
  return ["/**", ...docs, " */", ...signature].join("\n");
}

/** One row of the operations table: `readFlow: ["get", "/flows/{id}", ["id"], false],`. */
function operationRow(operation: OperationModel): string {
  const parameters = operation.pathParameters.map((parameter) => JSON.stringify(parameter.name)).join(", ");
  return `${operation.methodName}: [${JSON.stringify(operation.method)}, ${JSON.stringify(operation.path)}, [${parameters}], ${operation.body ? "true" : "false"}],`;
}

const MAX_LINE = 120;

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
  writer.writeLine('import type { CallOptions } from "inject-client/runtime";');
  writer.writeLine('import type { paths } from "./types.js";');
  writer.blankLine();
  writer.writeLine("/**");
  for (const line of [
    `The methods of \`${className}\`, one per operation, implemented in index.ts.`,
    "",
    "Path parameters come first, in path order, then the request body (if any), then options (`query`, `headers`, `signal`, `timeout`).",
    "Each method resolves with the parsed 2xx body and rejects with `HTTPStatusError` (`ObjectNotFound` for 404, `ObjectAlreadyExists` for 409).",
  ]) {
    writer.writeLine(line ? ` * ${line}` : " *");
  }
  writer.writeLine(" */");
  writer.write(`export interface ${className}Methods`).block(() => {
    operations.forEach((operation, index) => {
      if (index > 0) writer.blankLine();
      writer.write(methodSignature(operation));
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
  const classDocs = [
    `Typed client for ${sanitizeDoc(title)}: one method per operation (see \`${methodsInterface}\`).`,
    "",
    ...usage,
  ].join("\n");
  const statements: SourceFileStructure["statements"] = [
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: "inject-client/runtime",
      namedImports: [
        "OpenAPIClient",
        "defineClientClass",
        ...(profile.hasDefaultFactory ? ["settingsFromEnv"] : []),
        "type CallOptions",
        "type ClientSettings",
        "type HttpMethod",
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
    {
      kind: StructureKind.TypeAlias,
      name: "Operation",
      docs: [{ description: "How a method calls its operation: HTTP method, path, the path parameters its first arguments fill, and whether a request body follows them." }],
      type: "readonly [method: HttpMethod, path: string, pathParameters: readonly string[], body: boolean]",
    },
    [
      `/** One row per method of \`${methodsInterface}\` (methods.ts has their signatures and docs). */`,
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
  file.getClassOrThrow(className).addMember(`/** Defines each method of the operations table on the prototype, as a class method would be. */
static {
  for (const [name, [method, path, pathParameters, hasBody]] of Object.entries(operations)) {
    const call = async function (this: ${className}, ...args: unknown[]): Promise<unknown> {
      const input = {
        path: Object.fromEntries(pathParameters.map((parameter, index) => [parameter, args[index]])),
        body: hasBody ? args[pathParameters.length] : undefined,
      };
      return this.request(method, path, input, args[pathParameters.length + (hasBody ? 1 : 0)] as CallOptions | undefined);
    };
    Object.defineProperty(call, "name", { value: name });
    Object.defineProperty(${className}.prototype, name, { value: call, writable: true, configurable: true });
  }
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
    .replace(/ extends (\w+) \{\n\}/, " extends $1 {}")
    .replace(/\n(  \/\*\*\n   \* Makes the class a key)/, "\n\n$1")
    .replace(/\n{3,}/g, "\n\n");
  return { "index.ts": `${header}\n${text}`, "methods.ts": emitMethods(project, input) };
}
