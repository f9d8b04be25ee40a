// The names methods.ts gives each method's types (`ReadFlowResponse`): which parts get one, what their one-line
// JSDoc says, that no two names can be the same (nor a helper's, nor one types.ts exports), and that a class
// name equal to one of them is refused in one line, since the index exports both.
import { afterAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { CodegenError } from "../../codegen/errors.js";
import { generateClient } from "../../codegen/generate.js";
import { loadSpec } from "../../codegen/load.js";
import { modelOperations, type OperationModel } from "../../codegen/model.js";
import { operationTypes } from "../../codegen/operation-types.js";
import { PREFECT_SPEC, removeTempDirs, SPECS, tempDir } from "./support.js";

afterAll(removeTempDirs);

const json = (schema: unknown) => ({ "application/json": { schema } });
const object = { type: "object", properties: { name: { type: "string" } } };

/** Operations whose names would collide under a looser scheme (`foo` + `Body` Response = `fooBody` + Response). */
const SPEC = {
  openapi: "3.1.0",
  info: { title: "Parts", version: "1" },
  paths: {
    "/foo/{id}": {
      post: {
        operationId: "foo",
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "q", in: "query", schema: { type: "string" } },
          { name: "X-Trace", in: "header", schema: { type: "string" } },
          { name: "session", in: "cookie", schema: { type: "string" } },
        ],
        requestBody: { required: true, content: json(object) },
        responses: { 200: { description: "ok", content: json(object) }, 201: { description: "created", content: json(object) } },
      },
    },
    "/foo-body": {
      post: { operationId: "fooBody", requestBody: { content: json(object) }, responses: { 200: { description: "ok", content: json(object) } } },
    },
    "/foo-response": {
      get: { operationId: "fooResponse", responses: { 200: { description: "ok", content: json(object) }, 204: { description: "none" } } },
    },
    "/foo-query": {
      get: {
        operationId: "fooQuery",
        parameters: [{ name: "q", in: "query", schema: { type: "string" } }],
        responses: { 204: { description: "none" } },
      },
    },
    "/1st": { get: { operationId: "1st", responses: { 200: { description: "ok", content: { "text/csv": { schema: { type: "string" } } } } } } },
    "/raw": {
      put: {
        operationId: "binary",
        requestBody: { required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
        responses: { 204: { description: "none" } },
      },
    },
  },
};

let specFile: string;

function typesOf(operations: OperationModel[], methodName: string) {
  return operationTypes(operations.find((operation) => operation.methodName === methodName)!);
}

describe("each method's types", () => {
  it("are named after the method, one per part it has, with a one-line JSDoc", async () => {
    const dir = tempDir("operation-types");
    specFile = path.join(dir, "parts.json");
    writeFileSync(specFile, JSON.stringify(SPEC));
    const operations = modelOperations((await loadSpec(specFile)).document);
    expect(typesOf(operations, "foo").map(({ name, doc }) => [name, doc])).toEqual([
      ["FooPathParams", "Path parameters of `foo` (`POST /foo/{id}`)."],
      ["FooQuery", "Query parameters of `foo` (`POST /foo/{id}`)."],
      ["FooHeaders", "Headers of `foo` (`POST /foo/{id}`): those the spec declares, and any other as a string."],
      ["FooCookies", "Cookies of `foo` (`POST /foo/{id}`): those the spec declares, and any other as a string."],
      ["FooBody", "Request body of `foo` (`POST /foo/{id}`, `application/json`)."],
      ["FooResponse", "Response of `foo` (`POST /foo/{id}`, 200 or 201)."],
    ]);
    expect(typesOf(operations, "fooResponse").map(({ name, doc }) => [name, doc])).toEqual([
      ["FooResponseResponse", "Response of `fooResponse` (`GET /foo-response`, 200; `undefined` for 204)."],
    ]);
    // No body in any 2xx: no `<Method>Response` (the method returns `Promise<void>`).
    expect(typesOf(operations, "fooQuery").map(({ name }) => name)).toEqual(["FooQueryQuery"]);
    expect(typesOf(operations, "_1st").map(({ name, type, doc }) => [name, type, doc])).toEqual([
      ["_1stResponse", "string", "Response of `_1st` (`GET /1st`, 200, `text/csv` as a string)."],
    ]);
    expect(typesOf(operations, "binary").map(({ name, type, doc }) => [name, type, doc])).toEqual([
      ["BinaryBody", "BinaryData", "Request body of `binary` (`PUT /raw`, `application/octet-stream`: raw bytes)."],
    ]);
  });

  it("never share a name, with each other or with a helper or what types.ts exports (Prefect, petstore, this spec)", async () => {
    for (const input of [PREFECT_SPEC, path.join(SPECS, "petstore.yaml"), specFile]) {
      const generated = await generateClient({ input });
      const methods = ts.createSourceFile("methods.ts", generated.files.get("methods.ts")!, ts.ScriptTarget.ES2022, true);
      const types = ts.createSourceFile("types.ts", generated.files.get("types.ts")!, ts.ScriptTarget.ES2022, true);
      const declared = (file: ts.SourceFile) =>
        file.statements
          .filter((statement) => ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement))
          .map((statement) => statement.name.text);
      const names = [...declared(methods), ...declared(types), "RuntimeCallOptions"];
      expect(names.length, input).toBeGreaterThan(10);
      expect(
        names.filter((name, index) => names.indexOf(name) !== index),
        input,
      ).toEqual([]);
    }
  }, 30_000);

  it("a class name that is one of them is refused, in one line naming the method", async () => {
    const error: unknown = await generateClient({ input: path.join(SPECS, "petstore.yaml"), className: "ListPetsResponse" }).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(CodegenError);
    expect((error as CodegenError).message).toBe(
      'the class name "ListPetsResponse" is also the name of the Response type of the method `listPets` (GET /pets), which the client exports: choose another class name',
    );
    // `deleteOperation` returns nothing, so there is no `DeleteOperationResponse`: the name is free.
    const generated = await generateClient({ input: path.join(SPECS, "petstore.yaml"), className: "DeleteOperationResponse" });
    expect(generated.files.get("index.ts")).toContain("export class DeleteOperationResponse extends OpenAPIClient<paths>");
  });
});
