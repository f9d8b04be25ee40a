// Method naming, JSDoc sanitising and lenient request bodies, on small specs (in process: no tsc).
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { sanitizeDoc } from "../../codegen/doc-text.js";
import { emitClient } from "../../codegen/emit-client.js";
import { relaxRequestBodies, LENIENT_MARK } from "../../codegen/lenient.js";
import { loadSpec } from "../../codegen/load.js";
import { modelOperations } from "../../codegen/model.js";
import { PROFILES } from "../../codegen/profile.js";
import { SPECS } from "./support.js";

function spec(paths: Record<string, Record<string, { operationId?: string }>>): OpenAPI3 {
  const withResponses = Object.fromEntries(
    Object.entries(paths).map(([route, item]) => [
      route,
      Object.fromEntries(Object.entries(item).map(([method, op]) => [method, { ...op, responses: { "204": { description: "ok" } } }])),
    ]),
  );
  return { openapi: "3.1.0", info: { title: "t", version: "1" }, paths: withResponses } as OpenAPI3;
}

function names(document: OpenAPI3): Record<string, string> {
  return Object.fromEntries(modelOperations(document).map((operation) => [`${operation.method} ${operation.path}`, operation.methodName]));
}

describe("method names", () => {
  it("strips FastAPI's path-and-method suffix and camelCases the route name", () => {
    expect(
      names(
        spec({
          "/flows/{id}": { get: { operationId: "read_flow_flows__id__get" } },
          "/deployments/{id}/create_flow_run": { post: { operationId: "create_flow_run_from_deployment_deployments__id__create_flow_run_post" } },
        }),
      ),
    ).toEqual({ "get /flows/{id}": "readFlow", "post /deployments/{id}/create_flow_run": "createFlowRunFromDeployment" });
  });

  it("camelCases other operationIds, and uses method + path when there is none", () => {
    expect(
      names(
        spec({
          "/repos/{owner}/{repo}/contents/{path}": { get: { operationId: "repos/get-content" } },
          "/pets/{petId}/toys": { get: {} },
          "/HTTPStatus": { get: { operationId: "GetHTTPStatus" } },
        }),
      ),
    ).toEqual({
      "get /repos/{owner}/{repo}/contents/{path}": "reposGetContent",
      "get /pets/{petId}/toys": "getPetsByPetIdToys",
      "get /HTTPStatus": "getHttpStatus",
    });
  });

  it("keeps clear of reserved words and the class's own members", () => {
    const result = names(
      spec({
        "/a": {
          delete: { operationId: "delete" },
          get: { operationId: "request" },
          post: { operationId: "constructor" },
          put: { operationId: "from_env" },
        },
      }),
    );
    expect(result).toEqual({
      "delete /a": "deleteOperation",
      "get /a": "requestOperation",
      "post /a": "constructorOperation",
      "put /a": "fromEnvOperation",
    });
  });

  it("resolves collisions readably and independently of the order of paths in the spec", () => {
    const paths = {
      "/work_queues/": { post: { operationId: "create_work_queue_work_queues__post" } },
      "/work_pools/{work_pool_name}/queues": { post: { operationId: "create_work_queue_work_pools__work_pool_name__queues_post" } },
      // Distinct operationIds (a duplicate is refused) that camelCase to the same name.
      "/a/x": { get: { operationId: "same" } },
      "/b/x": { get: { operationId: "Same" } },
    };
    const expected = {
      "post /work_queues/": "createWorkQueue",
      "post /work_pools/{work_pool_name}/queues": "createWorkQueueInWorkPools",
      "get /a/x": "sameInA",
      "get /b/x": "sameInB",
    };
    expect(names(spec(paths))).toEqual(expected);
    expect(names(spec(Object.fromEntries(Object.entries(paths).reverse())))).toEqual(expected);
  });

  it("refuses a duplicate operationId, naming both operations whatever their order in the spec", () => {
    const paths = { "/b/x": { get: { operationId: "same" } }, "/a/x": { post: { operationId: "same" } } };
    const message =
      'every operation must have a unique `operationId`: "same" is the operationId of POST /a/x (#/paths/~1a~1x/post/operationId) and of GET /b/x';
    expect(() => modelOperations(spec(paths))).toThrow(message);
    expect(() => modelOperations(spec(Object.fromEntries(Object.entries(paths).reverse())))).toThrow(message);
  });

  it("names path arguments in camelCase, in path order, away from `body` and `options`", () => {
    const [operation] = modelOperations(spec({ "/s/{store_id}/{options}/{class}": { get: { operationId: "x" } } }));
    expect(operation!.pathParameters.map((parameter) => [parameter.name, parameter.argument])).toEqual([
      ["store_id", "storeId"],
      ["options", "optionsParam"],
      ["class", "classParam"],
    ]);
  });
});

describe("JSDoc from spec text", () => {
  it("cannot end the comment: the only top-level statements are the generated ones", async () => {
    const loaded = await loadSpec(path.join(SPECS, "petstore.yaml"));
    const files = emitClient({
      className: "PetStoreClient",
      operations: modelOperations(loaded.document),
      profile: PROFILES.generic,
      title: "Pet */ Store",
      header: "// header\n",
    });
    expect(sanitizeDoc("a */ b")).toBe("a *\\/ b");
    const kindsOf = (name: string, text: string) => {
      const source = ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true);
      expect((source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
      return source.statements.map((statement) =>
        ts.isImportDeclaration(statement)
          ? "import"
          : ts.isExportDeclaration(statement)
            ? "export"
            : ts.isVariableStatement(statement)
              ? "const"
              : ts.isTypeAliasDeclaration(statement)
                ? "type"
                : ts.isInterfaceDeclaration(statement)
                  ? "interface"
                  : ts.isClassDeclaration(statement)
                    ? "class"
                    : "other",
      );
    };
    expect(kindsOf("index.ts", files["index.ts"])).toEqual([
      "import",
      "import",
      "import",
      "export",
      "export",
      "const",
      "const",
      "interface",
      "class",
    ]);
    // `type CallOptions`, `type WithRequired` (the spec has a required query parameter), the interface, then
    // the types of each method's parts.
    const methods = kindsOf("methods.ts", files["methods.ts"]);
    expect(methods.slice(0, 5)).toEqual(["import", "import", "type", "type", "interface"]);
    expect(methods.slice(5)).toEqual(Array.from({ length: 13 }, () => "type"));
    expect(files["methods.ts"]).toContain("console.log('pwned')"); // kept, as text inside the comment
  });
});

describe("lenient request bodies", () => {
  it("relaxes request-only schemas in place and twins the ones responses share", async () => {
    const { document } = await loadSpec(path.join(SPECS, "petstore.yaml"));
    const stats = relaxRequestBodies(document);
    const schemas = document.components!.schemas as Record<string, { properties: Record<string, Record<string, unknown>> }>;
    // Pet is a request body and a response: it keeps its precise shape; requests use Pet-Input.
    expect(schemas.Pet!.properties.tags![LENIENT_MARK]).toBeUndefined();
    expect(schemas["Pet-Input"]!.properties.tags![LENIENT_MARK]).toBe(true);
    expect(schemas["Pet-Input"]!.properties.owner!.$ref).toBe("#/components/schemas/Owner-Input");
    expect(schemas.Owner!.properties.vip![LENIENT_MARK]).toBeUndefined();
    expect(schemas["Owner-Input"]!.properties.vip![LENIENT_MARK]).toBe(true);
    // SearchQuery only appears in a request: relaxed in place, and its shared Owner points at the twin.
    expect(schemas.SearchQuery!.properties.limit![LENIENT_MARK]).toBe(true);
    expect(schemas.SearchQuery!.properties.owner!.$ref).toBe("#/components/schemas/Owner-Input");
    const body = (document.paths!["/pets"] as { post: { requestBody: { content: Record<string, { schema: { $ref: string } }> } } }).post.requestBody;
    expect(body.content["application/json"]!.schema.$ref).toBe("#/components/schemas/Pet-Input");
    expect(stats).toEqual({ relaxedInPlace: 1, twins: 2, properties: 3 });
    expect(readFileSync(path.join(SPECS, "petstore.yaml"), "utf8")).not.toContain(LENIENT_MARK);
  });
});
