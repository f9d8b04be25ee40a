// A path placeholder that no parameter declares, for real: the generated client (generated in process)
// type-checks under strict tsc, refuses a wrong type, and, run with tsx against a local server, sends the
// value in the URL. What is generated is tested in process in fixes.test.ts.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateInto, makeProject, REPO, SPECS, tempDir, typeCheck, removeTempDirs } from "./support.js";

afterAll(removeTempDirs);

const UNDECLARED = path.join(SPECS, "undeclared-path-param.json");

describe("a path placeholder that no parameter declares", () => {
  it("type-checks under strict tsc, refuses a wrong type, and sends the value in the URL", async () => {
    const dir = tempDir("undeclared");
    makeProject(dir);
    await generateInto(path.join(dir, "src/client"), { input: UNDECLARED });
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
      // A user's project: `inject-client/runtime` is the runtime as installed from its packed tarball.
      const runDir = tempDir("undeclared-run");
      makeProject(runDir);
      await generateInto(path.join(runDir, "client"), { input: UNDECLARED });
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
        execFile(
          path.join(REPO, "node_modules/.bin/tsx"),
          ["main.ts"],
          { cwd: runDir, env: { ...process.env, BASE_URL: baseUrl } },
          (_error, stdout, stderr) => resolve({ stdout, stderr }),
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
