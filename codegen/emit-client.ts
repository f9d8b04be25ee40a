// Emit the client in two files:
// - methods.ts (emit-methods.ts): an interface with one method per operation, its JSDoc, and a signature
//   naming the operation's types (`ReadFlowResponse`), aliases of indexed accesses into the generated `paths`
//   (no restated types). Types only: tsc resolves only the methods a project calls.
// - index.ts (here, with ts-morph): the class (constructor, fromEnv, the interface merged in) and a table saying
//   how each method calls its operation (and how its parameters and bodies go on the wire, where the spec says
//   more than OpenAPI's defaults); the runtime's `defineOperations` turns the table into methods that hand each
//   call to the base class. Checking the table costs tsc little, whatever the size of the spec.
// What differs between profiles (Prefect's, a generic API's) is data of the profile (profile.ts).
import {
  IndentationText,
  NewLineKind,
  Project,
  QuoteKind,
  StructureKind,
  VariableDeclarationKind,
  type ClassDeclarationStructure,
  type CodeBlockWriter,
  type ImportDeclarationStructure,
  type InterfaceDeclarationStructure,
  type OptionalKind,
  type VariableStatementStructure,
} from "ts-morph";
import { sanitizeDoc } from "./doc-text.js";
import { emitMethods } from "./emit-methods.js";
import { CodegenError } from "./errors.js";
import type { OperationModel } from "./model.js";
import { objectKey } from "./names.js";
import { classNameClash } from "./operation-types.js";
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

/** The table `defineOperations` reads, typed so that tsc checks that every method of the interface has a row. */
function operationsTable(methodsInterface: string, operations: OperationModel[]): string {
  return [
    "/**",
    ` * One row per method of \`${methodsInterface}\` (methods.ts has their signatures and docs): HTTP method, path, the path`,
    " * parameters its first arguments fill, whether a request body follows them, and, where the spec says more than",
    " * OpenAPI's defaults, a 5th element on how the call goes on the wire (parameter styles, media types, a fixed query).",
    " */",
    `const operations: Record<keyof ${methodsInterface}, Operation> = {`,
    ...operations.map((operation) => `  ${operationRow(operation)}`),
    "};",
  ].join("\n");
}

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

/** The class's JSDoc: what it is, and how to get one (from the environment, or by hand). */
function classDocs(className: string, title: string, profile: Profile): string {
  const usage = profile.fromEnv
    ? [
        "```ts",
        `await using client = ${className}.fromEnv();`,
        profile.fromEnv.exampleCall,
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
  return [`Typed client for ${sanitizeDoc(title)}: one method per operation (see \`${className}Methods\`).`, "", ...usage].join("\n");
}

function runtimeImport(profile: Profile): OptionalKind<ImportDeclarationStructure> & { kind: StructureKind.ImportDeclaration } {
  return {
    kind: StructureKind.ImportDeclaration,
    moduleSpecifier: "inject-client/runtime",
    namedImports: [
      "OpenAPIClient",
      "defineClientClass",
      "defineOperations",
      ...(profile.fromEnv ? ["settingsFromEnv"] : []),
      "type ClientSettings",
      "type Operation",
      "type StreamingMethods",
    ],
  };
}

function defaultsConstant(profile: Profile): OptionalKind<VariableStatementStructure> & { kind: StructureKind.VariableStatement } {
  return {
    kind: StructureKind.VariableStatement,
    docs: [{ description: profile.defaultsDoc }],
    declarationKind: VariableDeclarationKind.Const,
    declarations: [
      {
        name: "defaults",
        type: "Partial<ClientSettings>",
        initializer: `{ csrfEnabled: ${profile.defaults.csrfEnabled}, apiVersion: ${JSON.stringify(profile.defaults.apiVersion)} }`,
      },
    ],
  };
}

/** The interface merged into the class: the typed methods, and their `stream` twins. */
function mergedInterface(
  className: string,
  operations: OperationModel[],
): OptionalKind<InterfaceDeclarationStructure> & { kind: StructureKind.Interface } {
  const methodsInterface = `${className}Methods`;
  return {
    kind: StructureKind.Interface,
    name: className,
    isExported: true,
    extends: [methodsInterface],
    docs: [{ description: `Merges the typed methods of methods.ts into the class below, which defines them from \`operations\`.` }],
    properties: [
      { name: "stream", isReadonly: true, type: `StreamingMethods<${methodsInterface}>`, docs: [{ description: streamDocs(operations) }] },
    ],
  };
}

/**
 * The class: its constructor, `fromEnv` when the profile has one, and two static blocks (ts-morph's printer would
 * put them before the constructor, so they are members written last, as source text).
 */
function clientClass(className: string, title: string, profile: Profile): OptionalKind<ClassDeclarationStructure> & { kind: StructureKind.Class } {
  return {
    kind: StructureKind.Class,
    name: className,
    isExported: true,
    extends: "OpenAPIClient<paths>",
    docs: [{ description: classDocs(className, title, profile) }],
    ctors: [{ parameters: [{ name: "settings", type: "ClientSettings" }], statements: ["super({ ...defaults, ...settings });"] }],
    methods: profile.fromEnv
      ? [
          {
            name: "fromEnv",
            isStatic: true,
            docs: [{ description: profile.fromEnv.doc }],
            returnType: className,
            statements: [`return new ${className}(settingsFromEnv());`],
          },
        ]
      : [],
  };
}

/**
 * The static blocks: one defines the methods from the table; the other makes the class the key inject-client's
 * resolution finds its identity and default factory by (the key `injected(Class)` passes), not a registration an
 * elided import would skip.
 */
function staticBlocks(className: string, profile: Profile): string {
  const defaultFactory = profile.fromEnv ? `, defaultFactory: () => ${className}.fromEnv()` : "";
  const otherwise = profile.fromEnv ? `\`${className}.fromEnv()\`` : "the factory set with `setClientFactory`";
  return `/** Defines the methods of the operations table (and their \`stream\` twins) on the prototype, as class methods would be. */
static {
  defineOperations(this, operations);
}

/**
 * Makes the class a key for inject-client's resolution: a function whose client is \`injected(${className})\` takes an open
 * ${className} from a context (also one made by another copy of this module), else ${otherwise}.
 */
static {
  defineClientClass(this, { name: ${JSON.stringify(className)}, operations${defaultFactory} });
}`;
}

const blankLine = (writer: CodeBlockWriter) => writer.blankLine();

function newProject(): Project {
  return new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Double, newLineKind: NewLineKind.LineFeed },
  });
}

/** index.ts: one source-file structure, printed by ts-morph; the class's static blocks are then added as its last members. */
function emitIndex(project: Project, { className, operations, profile, title, header }: ClientFileInput): string {
  const methodsInterface = `${className}Methods`;
  const file = project.createSourceFile(
    "index.ts",
    {
      statements: [
        runtimeImport(profile),
        { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./methods.js", namedImports: [methodsInterface], isTypeOnly: true },
        { kind: StructureKind.ImportDeclaration, moduleSpecifier: "./types.js", namedImports: ["paths"], isTypeOnly: true },
        blankLine,
        "// The spec's types (`paths`, `components`, `operations`, ...), from openapi-typescript; from methods.ts, the",
        `// interface of the methods and each method's types (\`<Method>Response\`, \`<Method>Body\`, \`<Method>Query\`, ...).`,
        'export type * from "./types.js";',
        'export type * from "./methods.js";',
        blankLine,
        defaultsConstant(profile),
        blankLine,
        operationsTable(methodsInterface, operations),
        mergedInterface(className, operations),
        clientClass(className, title, profile),
      ],
    },
    { overwrite: true },
  );
  file.getClassOrThrow(className).addMember(staticBlocks(className, profile));
  return `${header}\n${file.getFullText().replace(/\n{3,}/g, "\n\n")}`;
}

export function emitClient(input: ClientFileInput): ClientFiles {
  const clash = classNameClash(input.className, input.operations);
  if (clash) {
    throw new CodegenError(
      `the class name "${input.className}" is also the name of the ${clash.part} type of the method \`${clash.operation.methodName}\` (${clash.operation.method.toUpperCase()} ${clash.operation.path}), which the client exports: choose another class name`,
    );
  }
  const project = newProject();
  return { "index.ts": emitIndex(project, input), "methods.ts": emitMethods(project.createWriter(), input) };
}
