// A path parameter written as its plain type (`id: string`) must be exactly the type `paths` gives it, or the
// signature would be looser or stricter than the spec. Which schemas count as plain (the model), and, with the
// repo's TypeScript in process, that each plain type is identical to `paths[...]["parameters"]["path"][name]`
// on a spec of tricky parameters, on Prefect's and on the petstore (an assertion that must fail, fails).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateClient } from "../../codegen/generate.js";
import { loadSpec } from "../../codegen/load.js";
import { modelOperations, type OperationModel } from "../../codegen/model.js";
import { plainTypeChecks } from "./plain-checks.js";
import { makeProject, PREFECT_SPEC, REPO, removeTempDirs, SPECS, STRICT_NODENEXT, tempDir } from "./support.js";

afterAll(removeTempDirs);

const path_ = (name: string, schema: unknown) => ({ name, in: "path", required: true, schema });
const ok = { 200: { description: "ok" } };

/** One operation per kind of path parameter schema; the operationId says what its `p` should be written as. */
const SPEC = {
  openapi: "3.1.0",
  info: { title: "Params", version: "1" },
  components: {
    schemas: { Id: { type: "string", format: "uuid" }, Color: { type: "string", enum: ["red", "blue"] }, Ref: { $ref: "#/components/schemas/Id" } },
    parameters: { Shared: path_("p", { type: "integer" }) },
  },
  paths: {
    "/string/{p}": {
      get: { operationId: "stringParam", parameters: [path_("p", { type: "string", minLength: 1, "x-note": "docs" })], responses: ok },
    },
    "/uuid/{p}": {
      get: { operationId: "uuidParam", parameters: [path_("p", { type: "string", format: "uuid", description: "an id" })], responses: ok },
    },
    "/integer/{p}": {
      get: { operationId: "integerParam", parameters: [path_("p", { type: "integer", format: "int64", minimum: 1 })], responses: ok },
    },
    "/number/{p}": { get: { operationId: "numberParam", parameters: [path_("p", { type: "number" })], responses: ok } },
    "/boolean/{p}": { get: { operationId: "booleanParam", parameters: [path_("p", { type: "boolean", default: false })], responses: ok } },
    "/ref/{p}": { get: { operationId: "refToString", parameters: [path_("p", { $ref: "#/components/schemas/Ref" })], responses: ok } },
    "/shared/{p}": { get: { operationId: "sharedParameter", parameters: [{ $ref: "#/components/parameters/Shared" }], responses: ok } },
    "/overridden/{p}": {
      parameters: [path_("p", { type: "string" })],
      get: { operationId: "overriddenByOperation", parameters: [path_("p", { type: "integer" })], responses: ok },
    },
    "/enum/{p}": { get: { operationId: "notEnum", parameters: [path_("p", { type: "string", enum: ["a", "b"] })], responses: ok } },
    "/color/{p}": { get: { operationId: "notRefToEnum", parameters: [path_("p", { $ref: "#/components/schemas/Color" })], responses: ok } },
    "/const/{p}": { get: { operationId: "notConst", parameters: [path_("p", { type: "string", const: "x" })], responses: ok } },
    "/nullable/{p}": { get: { operationId: "notNullable", parameters: [path_("p", { type: "string", nullable: true })], responses: ok } },
    "/list/{p}": { get: { operationId: "notTypeList", parameters: [path_("p", { type: ["string", "null"] })], responses: ok } },
    "/binary/{p}": { get: { operationId: "notBinary", parameters: [path_("p", { type: "string", format: "binary" })], responses: ok } },
    "/array/{p}": { get: { operationId: "notArray", parameters: [path_("p", { type: "array", items: { type: "string" } })], responses: ok } },
    "/one-of/{p}": {
      get: { operationId: "notOneOf", parameters: [path_("p", { oneOf: [{ type: "string" }, { type: "integer" }] })], responses: ok },
    },
    "/proto/{p}": { get: { operationId: "notProtoType", parameters: [path_("p", { type: "__proto__" })], responses: ok } },
    "/content/{p}": {
      get: {
        operationId: "notContent",
        parameters: [{ name: "p", in: "path", required: true, content: { "application/json": { schema: { type: "string" } } } }],
        responses: ok,
      },
    },
    "/no-schema/{p}": { get: { operationId: "notWithoutSchema", parameters: [{ name: "p", in: "path", required: true }], responses: ok } },
  },
};

let project: string;
const clients: Array<{ name: string; operations: OperationModel[] }> = [];

beforeAll(async () => {
  project = tempDir("plain-types");
  makeProject(project);
  const inputs = [
    { name: "params", input: path.join(project, "params.json") },
    { name: "prefect", input: PREFECT_SPEC },
    { name: "pet", input: path.join(SPECS, "petstore.yaml") },
  ];
  writeFileSync(inputs[0]!.input, JSON.stringify(SPEC));
  for (const { name, input } of inputs) {
    const generated = await generateClient({ input, cwd: REPO });
    mkdirSync(path.join(project, "src", name), { recursive: true });
    for (const [file, text] of generated.files) writeFileSync(path.join(project, "src", name, file), text);
    clients.push({ name, operations: modelOperations((await loadSpec(input)).document) });
  }
}, 60_000);

function plainTypes(operations: OperationModel[]): Record<string, string | undefined> {
  return Object.fromEntries(operations.map((operation) => [operation.methodName, operation.pathParameters[0]?.plainType]));
}

describe("plain path parameter types", () => {
  it("are the keyword openapi-typescript writes, for primitive schemas only", () => {
    expect(plainTypes(clients[0]!.operations)).toEqual({
      booleanParam: "boolean",
      integerParam: "number",
      notArray: undefined,
      notBinary: undefined,
      notConst: undefined,
      notContent: undefined,
      notEnum: undefined,
      notNullable: undefined,
      notOneOf: undefined,
      notProtoType: undefined,
      notRefToEnum: undefined,
      notTypeList: undefined,
      notWithoutSchema: undefined,
      numberParam: "number",
      overriddenByOperation: "number",
      refToString: "string",
      sharedParameter: "number",
      stringParam: "string",
      uuidParam: "string",
    });
  });

  it("are identical to the type in `paths`, on these specs (tsc in process)", () => {
    const { lines, count } = plainTypeChecks(clients);
    // A control: the check fails when the types differ (Prefect's `id` is a string, not a number).
    const control = 'export const control: Equal<prefectPaths["/flows/{id}"]["get"]["parameters"]["path"]["id"], number> = true;';
    expect(count).toBeGreaterThan(100);
    expect(errors([...lines, control])).toEqual([`plain.ts:${lines.length + 1} TS2322`]);
    expect(errors(lines)).toEqual([]);
  }, 60_000);
});

/** Type-checks `lines` as src/plain.ts of the project: `file:line TScode` per error. */
function errors(lines: string[]): string[] {
  const file = path.join(project, "src/plain.ts");
  writeFileSync(file, lines.join("\n"));
  const program = ts.createProgram({
    rootNames: [file],
    options: { ...STRICT_NODENEXT, types: [] },
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (diagnostic) =>
        `${path.basename(diagnostic.file?.fileName ?? "")}:${(diagnostic.file?.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line ?? -1) + 1} TS${diagnostic.code}`,
    );
}
