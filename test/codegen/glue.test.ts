// The generated methods at run time: arguments land in the right place of the request (path
// parameters in order, body, query, headers), results and errors come back from the base class.
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject, REPO, runCli, SPECS, tempDir, removeTempDirs } from "./support.js";

afterAll(removeTempDirs);

interface Seen {
  method: string;
  url: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      seen.push({ method: request.method!, url: request.url!, body, headers: request.headers });
      const json = (status: number, value: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      if (request.method === "DELETE") response.writeHead(204).end();
      else if (request.url === "/pets/404") json(404, { detail: "Pet not found" });
      else if (request.method === "POST" && request.url === "/pets") json(201, { id: 1, ...JSON.parse(body), tags: [] });
      else json(200, request.url?.includes("/toys") ? ["ball"] : { id: 7, name: "rex", tags: ["good"] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("generated methods at run time", () => {
  it("send each argument where the spec says, and return the parsed body", async () => {
    // A user's project: `inject-client/runtime` is the runtime as installed from its packed tarball.
    const dir = tempDir("glue");
    makeProject(dir);
    expect((await runCli(["generate", "--input", path.join(SPECS, "petstore.yaml"), "--out", path.join(dir, "client")])).status).toBe(0);
    writeFileSync(
      path.join(dir, "main.ts"),
      `import { PetStoreClient } from "./client/index.js";
import { ObjectNotFound } from "inject-client/runtime";
await using client = new PetStoreClient({ baseUrl: process.env.BASE_URL!, maxRetries: 0 });
const results: unknown[] = [];
results.push(await client.getPetsByPetId(7));
results.push(await client.petsCreatePet({ name: "rex" }));
results.push(await client.requestOperation("s-1", 3, { query: { color: "red" }, headers: { "x-trace": "t1" } }));
results.push(await client.listPets({ query: { limit: 5 } }));
results.push((await client.deleteOperation(9)) ?? "undefined");
try { await client.getPetsByPetId(404); } catch (error) { results.push(error instanceof ObjectNotFound ? \`ObjectNotFound \${(error as ObjectNotFound).status}\` : String(error)); }
results.push(PetStoreClient.prototype.getPetsByPetId.name, Object.keys(PetStoreClient.prototype).length);
console.log(JSON.stringify(results));
`,
    );
    const output = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      execFile(
        path.join(REPO, "node_modules/.bin/tsx"),
        ["main.ts"],
        { cwd: dir, env: { ...process.env, BASE_URL: baseUrl } },
        (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
      ),
    );
    expect(output.stderr).toBe("");
    expect(JSON.parse(output.stdout)).toEqual([
      { id: 7, name: "rex", tags: ["good"] },
      { id: 1, name: "rex", tags: [] },
      ["ball"],
      { id: 7, name: "rex", tags: ["good"] },
      "undefined",
      "ObjectNotFound 404",
      "getPetsByPetId",
      0,
    ]);
    expect(seen.map((request) => `${request.method} ${request.url}`)).toEqual([
      "GET /pets/7",
      "POST /pets",
      "GET /stores/s-1/pets/3/toys?color=red",
      "GET /pets?limit=5",
      "DELETE /pets/9",
      "GET /pets/404",
    ]);
    expect(JSON.parse(seen[1]!.body)).toEqual({ name: "rex" });
    expect(seen[2]!.headers["x-trace"]).toBe("t1");
    // The generic profile sends no API-version header.
    expect(seen[0]!.headers["x-prefect-api-version"]).toBeUndefined();
  });
});
