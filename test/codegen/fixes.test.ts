// Generator fixes found by the corpus and adversarial suites: class names from titles that start with a
// digit, `$ref` cycles and duplicate operationIds as one-line errors, and path placeholders that no
// parameter declares.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emitClient } from "../../codegen/emit-client.js";
import { loadSpec } from "../../codegen/load.js";
import { modelOperations } from "../../codegen/model.js";
import { classNameFromTitle, classNameProblem } from "../../codegen/names.js";
import { PROFILES } from "../../codegen/profile.js";
import { makeProject, REPO, runCli, SPECS, tempDir, typeCheck, removeTempDirs } from "./support.js";

afterAll(removeTempDirs);

const ADVERSARIAL = path.join(REPO, "test/fixtures/adversarial");
const UNDECLARED = path.join(SPECS, "undeclared-path-param.json");

describe("class names", () => {
  it("derives a valid, readable name from a title that starts with a digit", () => {
    expect(classNameFromTitle("1Password Connect")).toBe("Api1PasswordConnectClient");
    expect(classNameFromTitle("1Forge Finance")).toBe("Api1ForgeFinanceClient");
    expect(classNameFromTitle("1000000 Recipe and Food API")).toBe("Api1000000RecipeAndFoodApiClient");
    expect(classNameFromTitle("Prefect REST API")).toBe("PrefectRestApiClient");
    expect(classNameFromTitle("")).toBe("ApiClient");
    expect(classNameFromTitle("???")).toBe("ApiClient");
    for (const title of ["1Password Connect", "42", "Operation", "OpenAPI Client"]) expect(classNameProblem(classNameFromTitle(title)), title).toBeUndefined();
  });

  it("refuses an explicit name that is not an identifier, a reserved word or a name the module uses", () => {
    expect(classNameProblem("1PasswordClient")).toMatch(/^the class name "1PasswordClient" is not a valid identifier: it must start with a letter/);
    expect(classNameProblem("class")).toBe('the class name "class" is a reserved word');
    expect(classNameProblem("Operation")).toMatch(/clashes with a name the generated module declares/);
    expect(classNameProblem("PetsClient")).toBeUndefined();
  });

  it("--name that is not a valid class name is a usage mistake: one line, exit 2, before the spec is read", async () => {
    const result = await runCli(["generate", "--input", "does-not-exist.json", "--out", path.join(tempDir("name"), "client"), "--name", "1Password"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'inject-client: error: --name: the class name "1Password" is not a valid identifier: it must start with a letter, `_` or `$` and contain only letters, digits, `_` and `$`\n',
    );
  });
});

describe("specs refused in one line", () => {
  const cases: Array<[string, string]> = [
    [
      "circular-ref.json",
      'circular $ref: "#/components/parameters/Loop" refers back to itself (at <spec>#/components/parameters/Loop/$ref)',
    ],
    [
      "duplicate-operation-id.json",
      'every operation must have a unique `operationId`: "constructor" is the operationId of GET /a (#/paths/~1a/get/operationId) and of GET /b (at <spec>#/paths/~1b/get/operationId)',
    ],
  ];
  for (const [fixture, message] of cases) {
    it(`${fixture}: the cause and both places, exit 1`, async () => {
      const input = path.join(ADVERSARIAL, fixture);
      const result = await runCli(["generate", "--input", input, "--out", path.join(tempDir("refused"), "client")]);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`inject-client: error: ${message.replace("<spec>", input)}\n`);
    });
  }

  it("a $ref cycle through two components names the whole loop", async () => {
    const dir = tempDir("cycle");
    const input = path.join(dir, "spec.json");
    writeFileSync(
      input,
      JSON.stringify({
        openapi: "3.1.0",
        info: { title: "t", version: "1" },
        paths: { "/a": { get: { responses: { 200: { $ref: "#/components/responses/Ping" } } } } },
        components: { responses: { Ping: { $ref: "#/components/responses/Pong" }, Pong: { $ref: "#/components/responses/Ping" } } },
      }),
    );
    await expect(loadSpec(input)).rejects.toThrow(
      'circular $ref: "#/components/responses/Ping" -> "#/components/responses/Pong" refers back to itself',
    );
  });
});

describe("a path placeholder that no parameter declares", () => {
  it("becomes a `string | number` argument; declared ones keep their spec type", async () => {
    const { document } = await loadSpec(UNDECLARED);
    const operations = modelOperations(document);
    expect(operations.map((operation) => operation.pathParameters.map(({ name, declared }) => [name, declared]))).toEqual([
      [["shop", true], ["item", false]],
      [["id", false]],
    ]);
    const methods = emitClient({ className: "C", operations, profile: PROFILES.generic, title: "t", header: "" })["methods.ts"];
    expect(methods).toContain('putItem(\n    shop: paths["/shops/{shop}/items/{item}"]["put"]["parameters"]["path"]["shop"],\n    item: string | number,\n    body:');
    expect(methods).toContain("getThing(\n    id: string | number,\n    options?: CallOptions<never>,\n  )");
  });

  it("type-checks under strict tsc, refuses a wrong type, and sends the value in the URL", async () => {
    const dir = tempDir("undeclared");
    makeProject(dir);
    expect((await runCli(["generate", "--input", UNDECLARED, "--out", path.join(dir, "src/client")])).status).toBe(0);
    writeFileSync(
      path.join(dir, "src/use.ts"),
      `import { PlaceholdersWithoutParametersClient } from "./client/index.js";
export async function use(client: PlaceholdersWithoutParametersClient): Promise<string | undefined> {
  await client.putItem(1, "x-1", { count: 2 });
  await client.putItem(1, 2, { count: 2 });
  // @ts-expect-error a placeholder takes a string or a number
  await client.getThing({ id: 1 });
  return (await client.getThing("a b")).name;
}
`,
    );
    const { diagnostics, output } = typeCheck(dir, "nodenext");
    expect(diagnostics, output).toEqual([]);

    const urls: string[] = [];
    const server = createServer((request, response) => {
      urls.push(`${request.method} ${request.url}`);
      if (request.method === "PUT") response.writeHead(204).end();
      else response.writeHead(200, { "content-type": "application/json" }).end('{"name":"n"}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      // Under .tmp/ of this repo, so `inject-client/runtime` resolves to this package by self-reference.
      const runDir = tempDir("undeclared-run");
      expect((await runCli(["generate", "--input", UNDECLARED, "--out", path.join(runDir, "client")])).status).toBe(0);
      writeFileSync(
        path.join(runDir, "main.ts"),
        `import { PlaceholdersWithoutParametersClient } from "./client/index.js";
await using client = new PlaceholdersWithoutParametersClient({ baseUrl: process.env.BASE_URL!, maxRetries: 0 });
await client.putItem(3, "x-1", { count: 2 });
console.log(JSON.stringify(await client.getThing(42)));
`,
      );
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const run = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
        execFile(path.join(REPO, "node_modules/.bin/tsx"), ["main.ts"], { cwd: runDir, env: { ...process.env, BASE_URL: baseUrl } }, (_error, stdout, stderr) =>
          resolve({ stdout, stderr }),
        ),
      );
      expect(run.stderr).toBe("");
      expect(JSON.parse(run.stdout)).toEqual({ name: "n" });
      expect(urls).toEqual(["PUT /shops/3/items/x-1", "GET /things/42"]);
    } finally {
      server.close();
    }
    expect(readFileSync(path.join(dir, "src/client/methods.ts"), "utf8")).toContain("item: string | number");
  });
});
