// The generated Prefect client (generated in process): every operation has a method, the names
// hold, the colliding route names get distinct readable names. prefect-types.test.ts type-checks it.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GeneratedClient } from "../../codegen/generate.js";
import { generateInto, PREFECT_SPEC, tempDir, removeTempDirs } from "./support.js";

afterAll(removeTempDirs);

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

interface GeneratedMethod {
  name: string;
  httpMethod: string;
  path: string;
}

/**
 * Reads the generated client with the TypeScript parser: the methods the interface in methods.ts
 * declares, and the (HTTP method, path) each row of the `operations` table in index.ts sends.
 */
function generatedMethods(dir: string, className: string): GeneratedMethod[] {
  const parse = (name: string) => ts.createSourceFile(name, readFileSync(path.join(dir, name), "utf8"), ts.ScriptTarget.ES2022, true);
  const declarations = parse("methods.ts").statements.find(
    (node): node is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(node) && node.name.text === `${className}Methods`,
  );
  if (!declarations) throw new Error(`interface ${className}Methods not found`);
  const declared = declarations.members.map((member) => member.name!.getText());
  const table = parse("index.ts")
    .statements.filter(ts.isVariableStatement)
    .flatMap((statement) => statement.declarationList.declarations)
    .find((declaration) => declaration.name.getText() === "operations");
  if (!table?.initializer || !ts.isObjectLiteralExpression(table.initializer)) throw new Error("operations table not found");
  const rows = table.initializer.properties.map((property) => {
    const row = (property as ts.PropertyAssignment).initializer as ts.ArrayLiteralExpression;
    const [method, route] = row.elements.map((element) => (ts.isStringLiteral(element) ? element.text : undefined));
    return { name: property.name!.getText(), httpMethod: method!, path: route! };
  });
  expect(rows.map((row) => row.name).sort()).toEqual([...declared].sort());
  return rows;
}

/** The spec's operations, read straight from the JSON. */
function specOperations(): Array<{ method: string; path: string; operationId: string }> {
  const spec = JSON.parse(readFileSync(PREFECT_SPEC, "utf8")) as { paths: Record<string, Record<string, { operationId: string }>> };
  const operations = [];
  for (const [route, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item))
      if (METHODS.includes(method)) operations.push({ method, path: route, operationId: operation.operationId });
  }
  return operations;
}

/** FastAPI's rule from the issue: operationId = re.sub(r"\W", "_", route_name + path) + "_" + method. */
function routeName(operation: { method: string; path: string; operationId: string }): string {
  const suffix = `${operation.path.replace(/\W/g, "_")}_${operation.method}`;
  expect(operation.operationId.endsWith(suffix)).toBe(true);
  return operation.operationId.slice(0, -suffix.length);
}

let dir: string;
let generation: GeneratedClient;
let methods: GeneratedMethod[];

beforeAll(async () => {
  dir = tempDir("prefect");
  generation = await generateInto(path.join(dir, "src/prefect"), { input: PREFECT_SPEC, className: "PrefectClient" });
  methods = generatedMethods(path.join(dir, "src/prefect"), "PrefectClient");
});

describe("generated Prefect client", () => {
  it("has 179 operations, the prefect profile, and three files (and the manifest, once written)", async () => {
    expect([generation.operations, generation.profile, generation.className]).toEqual([179, "prefect", "PrefectClient"]);
    expect(readdirSync(path.join(dir, "src/prefect")).sort()).toEqual([".inject-client-manifest.json", "index.ts", "methods.ts", "types.ts"]);
  });

  it("has one method per operation of the spec, each sending that operation", async () => {
    const expected = specOperations()
      .map((operation) => `${operation.method} ${operation.path}`)
      .sort();
    expect(expected).toHaveLength(179);
    expect(methods.map((method) => `${method.httpMethod} ${method.path}`).sort()).toEqual(expected);
    expect(new Set(methods.map((method) => method.name)).size).toBe(179);
  });

  it("names the issue's operations as Prefect's Python client does, camelCased", async () => {
    const byRoute = new Map(methods.map((method) => [`${method.httpMethod} ${method.path}`, method.name]));
    expect(byRoute.get("get /flows/{id}")).toBe("readFlow");
    expect(byRoute.get("post /flows/filter")).toBe("readFlows");
    expect(byRoute.get("get /flows/name/{name}")).toBe("readFlowByName");
    expect(byRoute.get("post /flows/")).toBe("createFlow");
    expect(byRoute.get("post /flow_runs/")).toBe("createFlowRun");
    expect(byRoute.get("get /flow_runs/{id}")).toBe("readFlowRun");
    expect(byRoute.get("post /flow_runs/filter")).toBe("readFlowRuns");
    expect(byRoute.get("post /flow_runs/{id}/set_state")).toBe("setFlowRunState");
    expect(byRoute.get("get /deployments/name/{flow_name}/{deployment_name}")).toBe("readDeploymentByName");
    expect(byRoute.get("post /deployments/{id}/create_flow_run")).toBe("createFlowRunFromDeployment");
    expect(byRoute.get("get /health")).toBe("healthCheck");
  });

  it("gives the six route names used twice twelve distinct, readable names", async () => {
    const operations = specOperations();
    const byRouteName = new Map<string, string[]>();
    for (const operation of operations) {
      const key = routeName(operation);
      byRouteName.set(key, [...(byRouteName.get(key) ?? []), `${operation.method} ${operation.path}`]);
    }
    const collided = [...byRouteName].filter(([, routes]) => routes.length > 1);
    expect(collided.map(([name]) => name).sort()).toEqual([
      "create_work_queue",
      "delete_work_queue",
      "read_work_queue",
      "read_work_queues",
      "update_work_queue",
      "validate_template",
    ]);
    const nameOf = new Map(methods.map((method) => [`${method.httpMethod} ${method.path}`, method.name]));
    const names = collided.flatMap(([, routes]) => routes.map((route) => nameOf.get(route)!));
    expect(new Set(names).size).toBe(12);
    for (const [route, routes] of collided) {
      const camel = route.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
      for (const r of routes) expect(nameOf.get(r)).toMatch(new RegExp(`^${camel}(In[A-Z][A-Za-z]*)?$`));
    }
    expect(nameOf.get("post /work_queues/")).toBe("createWorkQueue");
    expect(nameOf.get("post /work_pools/{work_pool_name}/queues")).toBe("createWorkQueueInWorkPools");
    expect(nameOf.get("post /templates/validate")).toBe("validateTemplate");
    expect(nameOf.get("post /automations/templates/validate")).toBe("validateTemplateInAutomations");
  });

  it("never names a method after a reserved word or a member of the base class", async () => {
    const forbidden = ["constructor", "request", "api", "open", "closed", "delete", "default", "new", "fromEnv", "toString", "then"];
    for (const method of methods) expect(forbidden).not.toContain(method.name);
  });

  it("marks itself as generated, from which input, with no timestamp", async () => {
    const text = readFileSync(path.join(dir, "src/prefect/index.ts"), "utf8");
    expect(text.split("\n")[0]).toBe(`// Generated by inject-client from ${PREFECT_SPEC} (Prefect REST API v3, 179 operations, profile "prefect").`);
    expect(text).not.toMatch(/20\d\d-\d\d-\d\d/);
    expect(text).toContain('from "inject-client/runtime"');
    // The default factory is found through the class (`injected(PrefectClient)`), not registered by importing the module.
    expect(text).toContain('defineClientClass(this, { name: "PrefectClient", operations, defaultFactory: () => PrefectClient.fromEnv() });');
    expect(text).not.toContain("setDefaultClientFactory");
    expect(text).toContain('{ csrfEnabled: true, apiVersion: "0.8.4" }');
  });
});
