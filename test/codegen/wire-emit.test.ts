// What the generator emits for the wire (issue 13), in process: the operations table's rows (a 5th element
// only when the spec says more than OpenAPI's defaults, never on Prefect's spec), and the method signatures
// (headers and cookies typed from the spec, required ones required; files as Blob | Uint8Array; text and
// binary responses), type-checked in process with the repo's TypeScript against the runtime as installed from its
// packed tarball (packing spawns npm: this file is in the e2e tier).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateClient, type GeneratedClient } from "../../codegen/generate.js";
import { loadSpec } from "../../codegen/load.js";
import { modelOperations } from "../../codegen/model.js";
import { linkPackedPackages } from "../support/installed-packages.js";
import { PREFECT_SPEC, REPO, STRICT_NODENEXT } from "./support.js";

const bucket = { name: "Bucket", in: "path", required: true, schema: { type: "string" } };
const json = (schema: unknown) => ({ "application/json": { schema } });

/** One operation per thing the table or the signatures must carry. */
const SPEC = {
  openapi: "3.1.0",
  info: { title: "Wire", version: "1" },
  paths: {
    "/pets": {
      get: {
        operationId: "listPets",
        parameters: [
          { name: "tags", in: "query", style: "form", explode: false, schema: { type: "array", items: { type: "string" } } },
          { name: "filter", in: "query", content: json({ type: "object", properties: { status: { type: "string" } } }) },
          { name: "X-Rate", in: "header", required: true, schema: { type: "integer" } },
          { name: "Authorization", in: "header", required: true, schema: { type: "string" } },
          { name: "session", in: "cookie", schema: { type: "string" } },
        ],
        responses: { 200: { description: "ok", content: json({ type: "array", items: { type: "string" } }) } },
      },
    },
    "/search": {
      post: {
        operationId: "search",
        parameters: [{ name: "q", in: "query", required: true, schema: { type: "string" } }],
        requestBody: { content: json({ type: "object", properties: { text: { type: "string" } } }) },
        responses: { 204: { description: "none" } },
      },
    },
    "/session": {
      get: {
        operationId: "getSession",
        parameters: [{ name: "session", in: "cookie", required: true, schema: { type: "string" } }],
        responses: { 204: { description: "none" } },
      },
    },
    "/tags#operation=untag": { post: { operationId: "untag", responses: { 204: { description: "none" } } } },
    "/{Bucket}?list-type=2": {
      get: {
        operationId: "listObjects",
        parameters: [bucket, { name: "__proto__", in: "query", explode: false, schema: { type: "array", items: { type: "string" } } }],
        responses: { 200: { description: "ok", content: { "text/csv": { schema: { type: "string" } } } } },
      },
    },
    "/upload": {
      post: {
        operationId: "upload",
        requestBody: {
          required: true,
          content: {
            "multipart/form-data": {
              schema: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary" }, meta: { type: "object" } } },
              encoding: { meta: { contentType: "application/json" } },
            },
          },
        },
        responses: { 200: { description: "ok", content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } } },
      },
      put: {
        operationId: "putRaw",
        requestBody: { required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
        responses: { 204: { description: "none" } },
      },
      patch: {
        operationId: "patchUpload",
        requestBody: { content: { "application/merge-patch+json": { schema: { type: "object", properties: { name: { type: "string" } } } } } },
        responses: { 200: { description: "ok", content: json({ type: "object", properties: { name: { type: "string" } } }) } },
      },
    },
  },
};

let scratch: string;
let generated: GeneratedClient;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "inject-client-wire-emit-"));
  writeFileSync(path.join(scratch, "wire.json"), JSON.stringify(SPEC));
  generated = await generateClient({ input: path.join(scratch, "wire.json") });
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** The `operations` table of an index.ts, parsed: method name -> the row's elements as source text. */
function rows(index: string): Map<string, string[]> {
  const file = ts.createSourceFile("index.ts", index, ts.ScriptTarget.ES2022, true);
  const table = file.statements
    .filter(ts.isVariableStatement)
    .flatMap((statement) => statement.declarationList.declarations)
    .find((declaration) => declaration.name.getText(file) === "operations");
  if (!table?.initializer || !ts.isObjectLiteralExpression(table.initializer)) throw new Error("operations table not found");
  return new Map(
    table.initializer.properties.map((property) => {
      const row = (property as ts.PropertyAssignment).initializer as ts.ArrayLiteralExpression;
      return [property.name!.getText(file), row.elements.map((element) => element.getText(file))];
    }),
  );
}

describe("the operations table", () => {
  it("prints the wire as a 5th element, on the row's line, only where the spec says more than the defaults", () => {
    const index = generated.files.get("index.ts")!;
    const table = index.slice(index.indexOf("const operations"), index.indexOf("};", index.indexOf("const operations")) + 2);
    expect(table.split("\n")).toEqual([
      "const operations: Record<keyof WireClientMethods, Operation> = {",
      '  listPets: ["get", "/pets", [], false, { query: { tags: { explode: false }, filter: { content: "application/json" } } }],',
      '  search: ["post", "/search", [], true],',
      '  getSession: ["get", "/session", [], false],',
      '  untag: ["post", "/tags", [], false, { fixedQuery: "operation=untag" }],',
      '  putRaw: ["put", "/upload", [], true, { body: "application/octet-stream" }],',
      '  upload: ["post", "/upload", [], true, { body: "multipart/form-data", bodyEncoding: { meta: { contentType: "application/json" } }, response: "application/octet-stream" }],',
      '  patchUpload: ["patch", "/upload", [], true, { body: "application/merge-patch+json" }],',
      '  listObjects: ["get", "/{Bucket}", ["Bucket"], false, { query: { ["__proto__"]: { explode: false } }, fixedQuery: "list-type=2", response: "text/csv" }],',
      "};",
    ]);
  });

  it("evaluates to the model's wire: `__proto__` is a key, not the object's prototype", () => {
    const index = generated.files.get("index.ts")!;
    const literal = rows(index).get("listObjects")![4]!;
    // oxlint-disable-next-line typescript/no-implied-eval -- evaluating the emitted literal is the point of this test
    const value = new Function(`return ${literal};`)() as { query: Record<string, unknown> };
    expect(Object.hasOwn(value.query, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(value.query)).toBe(Object.prototype);
    expect(value).toEqual({ query: JSON.parse('{"__proto__": {"explode": false}}'), fixedQuery: "list-type=2", response: "text/csv" });
  });

  it("hands the table to defineOperations, imports the runtime's Operation, and declares `stream`", () => {
    const index = generated.files.get("index.ts")!;
    expect(index).toContain(
      'import { OpenAPIClient, defineClientClass, defineOperations, type ClientSettings, type Operation, type StreamingMethods } from "inject-client/runtime";',
    );
    expect(index).not.toMatch(/type Operation =/);
    expect(index).toMatch(/\n {2}static \{\n {4}defineOperations\(this, operations\);\n {2}\}\n/);
    expect(index).toMatch(
      / \* The same methods, resolving with the 2xx response unread[^]*`await client\.stream\.upload\(\.\.\.\)`[^]*\*\/\n {2}readonly stream: StreamingMethods<WireClientMethods>;\n/,
    );
  });
});

describe("Prefect's spec (no styles, default headers)", () => {
  it("has no wire on any operation: every row is 4 elements", async () => {
    const { document } = await loadSpec(PREFECT_SPEC);
    const operations = modelOperations(document);
    expect(operations).toHaveLength(179);
    expect(operations.filter((operation) => Object.keys(operation.wire).length > 0).map((operation) => operation.methodName)).toEqual([]);
    const prefect = await generateClient({ input: PREFECT_SPEC });
    const table = rows(prefect.files.get("index.ts")!);
    expect(table.size).toBe(179);
    expect([...table].filter(([, row]) => row.length !== 4).map(([name]) => name)).toEqual([]);
    expect(table.get("readFlow")).toEqual(['"get"', '"/flows/{id}"', '["id"]', "false"]);
    // Its optional `x-prefect-api-version` header is typed, and makes nothing required.
    const methods = prefect.files.get("methods.ts")!;
    expect(methods).toContain("readFlow(id: string, options?: CallOptions<never, ReadFlowHeaders>): Promise<ReadFlowResponse>;");
    expect(methods).toContain('export type ReadFlowHeaders = WithOthers<NonNullable<paths["/flows/{id}"]["get"]["parameters"]["header"]>>;');
    expect(methods).not.toMatch(/"headers"|"cookies"/);
  }, 30_000);
});

/** What must and must not compile, against the generated WireClient (`@ts-expect-error`: must not). */
const USAGE = `import { Readable } from "node:stream";
import type { StreamedResponse } from "inject-client/runtime";
import { WireClient } from "./client/index.js";

export async function use(client: WireClient): Promise<unknown[]> {
  // A required header makes the options, and its headers, required; other headers are strings.
  // @ts-expect-error X-Rate is required: so are the options
  await client.listPets();
  // @ts-expect-error X-Rate is required
  await client.listPets({ headers: {} });
  // @ts-expect-error X-Rate is an integer
  await client.listPets({ headers: { "X-Rate": "fast" } });
  // @ts-expect-error an undeclared header is a string
  await client.listPets({ headers: { "X-Rate": 1, "x-trace": { id: 1 } } });
  const pets: string[] = await client.listPets({
    headers: { "X-Rate": 3, "x-trace": "t-1" },
    query: { tags: ["a", "b"], filter: { status: "open" } },
    cookies: { session: "s-1" },
  });
  // Authorization is a header OpenAPI ignores: the client's settings send it, a call may still.
  await client.listPets({ headers: { "X-Rate": 3, Authorization: "Bearer x" } });
  // @ts-expect-error a JSON-encoded query parameter takes its schema's value, not a string
  await client.listPets({ headers: { "X-Rate": 3 }, query: { filter: "status=open" } });
  // @ts-expect-error the session cookie is a string
  await client.listPets({ headers: { "X-Rate": 3 }, cookies: { session: 1 } });

  // A required cookie, a required query before an optional body.
  // @ts-expect-error the session cookie is required
  await client.getSession();
  await client.getSession({ cookies: { session: "s-1" } });
  await client.search(undefined, { query: { q: "x" } });
  // @ts-expect-error the query is required
  await client.search({ text: "x" });

  // Files: Blob | Uint8Array in a multipart body; a whole binary body may also be a stream.
  await client.upload({ file: new Blob(["x"]), meta: {} });
  // @ts-expect-error a file field is not a string
  await client.upload({ file: "x" });
  await client.putRaw(new Uint8Array([1, 2]));
  await client.putRaw(new Blob(["x"]));
  await client.putRaw(Readable.from(["x"]));
  await client.putRaw(new ReadableStream<Uint8Array>());
  // @ts-expect-error a binary body is bytes, not an object
  await client.putRaw({ a: 1 });
  await client.patchUpload({ name: "n" });

  // Responses: bytes, text, JSON; and each method unread under \`stream\`.
  const bytes: Uint8Array = await client.upload({ file: new Uint8Array([1]) });
  const csv: string = await client.listObjects("bucket");
  // @ts-expect-error a text/csv body is a string
  const notBytes: Uint8Array = await client.listObjects("bucket");
  const patched: { name?: string } = await client.patchUpload();
  const streamed: StreamedResponse = await client.stream.upload({ file: new Blob(["x"]) });
  const body: ReadableStream<Uint8Array> = streamed.body;
  // @ts-expect-error stream methods take the same arguments
  await client.stream.listPets();
  // @ts-expect-error the untag operation takes no query
  await client.untag({ query: { x: 1 } });
  return [pets, bytes, csv, notBytes, patched, body];
}
`;

/**
 * Type-checks `files` (absolute paths) with the repo's TypeScript, in this process; returns the errors, one line
 * each, and the program (an `oldProgram` for the next check, which then re-reads only what changed).
 */
function typeCheckInProcess(files: string[], oldProgram?: ts.Program): { errors: string[]; program: ts.Program } {
  const program = ts.createProgram({
    rootNames: files,
    oldProgram,
    options: STRICT_NODENEXT,
  });
  const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file
      ? `${path.relative(scratch, diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
      : "";
    return `${where} TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
  });
  return { errors, program };
}

describe("method signatures", () => {
  it("type-check: headers and cookies from the spec, required ones required, files, text and bytes", () => {
    // A user's project, depending on the runtime as installed from its packed tarball (its declarations: `npm run build`).
    const runtimeTypes = path.join(REPO, "runtime/dist/index.d.ts");
    expect(
      existsSync(runtimeTypes) && readFileSync(path.join(REPO, "runtime/dist/http/index.d.ts"), "utf8").includes("defineOperations"),
      "run `npm run build` first",
    ).toBe(true);
    const project = path.join(scratch, "project");
    mkdirSync(path.join(project, "src/client"), { recursive: true });
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module" }));
    linkPackedPackages(project, ["inject-client"]);
    for (const [name, text] of generated.files) writeFileSync(path.join(project, "src/client", name), text);
    writeFileSync(path.join(project, "src/use.ts"), USAGE);
    const files = [path.join(project, "src/client/index.ts"), path.join(project, "src/use.ts")];
    // Every @ts-expect-error is needed (an unused one is an error, TS2578), and nothing else fails.
    const first = typeCheckInProcess(files);
    expect(first.errors).toEqual([]);
    // Without the directives, exactly the lines after them fail: the file was checked, each for its own line.
    const lines = USAGE.split("\n");
    const expected = lines.flatMap((line, index) => (line.includes("@ts-expect-error") ? [`src/use.ts:${index + 2}`] : []));
    expect(expected).toHaveLength(13);
    writeFileSync(path.join(project, "src/use.ts"), USAGE.replace(/@ts-expect-error/g, "expected:"));
    const failing = typeCheckInProcess(files, first.program).errors.map((error) => error.split(" ")[0]!.replace(/^project\//, ""));
    expect([...new Set(failing)]).toEqual(expected);
  }, 240_000); // packing, and on a cold npm cache the one install per build (test/support/installed-packages.ts)

  it("a file field is `Blob | Uint8Array` in types.ts, and the multipart body keeps its media type's schema", () => {
    const types = generated.files.get("types.ts")!;
    expect(types).toMatch(/"multipart\/form-data": \{\s+\/\*\* Format: binary \*\/\s+file: Blob \| Uint8Array;\s+meta\?: Record<string, never>;/);
    expect(types).toMatch(/"application\/octet-stream": Blob \| Uint8Array;/);
    const methods = generated.files.get("methods.ts")!;
    expect(methods).toContain("upload(body: UploadBody, options?: CallOptions): Promise<UploadResponse>;");
    expect(methods).toContain('export type UploadBody = paths["/upload"]["post"]["requestBody"]["content"]["multipart/form-data"];');
    expect(methods).toContain("putRaw(body: PutRawBody, options?: CallOptions): Promise<void>;");
    expect(methods).toContain("export type PutRawBody = BinaryData;");
    expect(methods).toContain('type BinaryData = Blob | Uint8Array | ReadableStream<Uint8Array> | import("node:stream").Readable;');
  });

  for (const version of ["3.0.3", "3.1.0"]) {
    it(`types every binary schema as a file, and a base64 one as a string (OpenAPI ${version})`, async () => {
      const nullable = version === "3.0.3" ? { type: "string", nullable: true } : { type: ["string", "null"] };
      const spec = {
        openapi: version,
        info: { title: "Files", version: "1" },
        paths: {
          "/f": {
            post: {
              operationId: "f",
              requestBody: {
                content: {
                  "multipart/form-data": {
                    schema: {
                      type: "object",
                      properties: {
                        many: { type: "array", items: { type: "string", format: "binary" } },
                        maybe: { ...nullable, format: "binary" },
                        png: { type: "string", contentMediaType: "image/png" },
                        b64: { type: "string", contentMediaType: "image/png", contentEncoding: "base64" },
                        plain: { type: "string", format: "byte" },
                        ref: { $ref: "#/components/schemas/File" },
                      },
                    },
                  },
                },
              },
              responses: { 204: { description: "ok" } },
            },
          },
        },
        components: { schemas: { File: { type: "string", format: "binary" }, MaybeFile: { ...nullable, format: "binary" } } },
      };
      const file = path.join(scratch, `files-${version}.json`);
      writeFileSync(file, JSON.stringify(spec));
      const types = (await generateClient({ input: file })).files.get("types.ts")!;
      expect(types).toMatch(/many\?: \(Blob \| Uint8Array\)\[\];/);
      expect(types).toMatch(/maybe\?: \(?Blob \| Uint8Array\)? \| null;/);
      expect(types).toMatch(/png\?: Blob \| Uint8Array;/);
      expect(types).toMatch(/b64\?: string;/);
      expect(types).toMatch(/plain\?: string;/);
      expect(types).toMatch(/File: Blob \| Uint8Array;/);
      expect(types).toMatch(/MaybeFile: \(?Blob \| Uint8Array\)? \| null;/);
    });
  }
});
