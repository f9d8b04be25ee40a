// The README's "Using it in your project" code, compiled with the real tspc and run with node exactly as
// pasted (the files named in each block's first line), against a Prefect-shaped server on 127.0.0.1.
// Then its keyless variant (`injected()`, the class read from the annotation, in a program where nothing
// else imports the generated module as a value), and the same with an interface annotation, which must
// fail the build with TS47007 at its line.
import { execFile } from "node:child_process";
import { cpSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFixture, makeTempDir, REPO, removeTempDirs, tspc, type CommandResult } from "../transformer/support/project.js";

const PREFECT_SPEC = join(REPO, "../shared/openapi/prefect-v3.json");
/** The ```ts blocks of the README section, by the file their first line names (`// src/runs.ts; …`). */
function quickStartFiles(): Record<string, string> {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const section = readme.slice(
    readme.indexOf("## Using it in your project"),
    readme.indexOf("\n## ", readme.indexOf("## Using it in your project") + 1),
  );
  const files: Record<string, string> = {};
  for (const [, code] of section.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const file = /^\/\/ (src\/[\w./-]+\.ts)[;\s]/.exec(code!)?.[1];
    if (file) files[file] = code!;
  }
  return files;
}

let server: Server;
let apiUrl: string;
/** PrefectClient as the README's `npx inject-client generate … --out src/generated/prefect` makes it, generated once. */
let generated: string;
const received: Array<{ method: string; path: string; body: string }> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push({ method: request.method!, path: request.url!.split("?")[0]!, body });
      const json = (status: number, value: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      if (request.method === "POST" && request.url === "/api/flow_runs/filter") json(200, [{ id: "run-1", name: "happy-otter" }]);
      else if (request.url === "/api/admin/version") json(200, "3.4.11"); // the version check of a created client's open()
      else json(404, { detail: "Not Found" }); // /csrf-token included: the client then sends no CSRF token
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  generated = join(makeTempDir("quickstart-generated"), "prefect");
  await promisify(execFile)(process.execPath, [
    join(REPO, "codegen/dist/cli.js"),
    "generate",
    "--input",
    PREFECT_SPEC,
    "--out",
    generated,
    "--name",
    "PrefectClient",
  ]);
}, 60_000);

afterAll(async () => {
  removeTempDirs();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A scratch project (tsconfig with the plugin) with the generated PrefectClient and `files`. */
function project(files: Record<string, string>): string {
  const dir = copyFixture("quickstart", files, join(REPO, "test/fixtures/resolution"));
  cpSync(generated, join(dir, "src/generated/prefect"), { recursive: true });
  return dir;
}

/** Runs a compiled file with node, PREFECT_API_URL pointing at the server (async: the server answers meanwhile). */
async function run(dir: string, file: string): Promise<CommandResult> {
  const env = { ...process.env, PREFECT_API_URL: apiUrl };
  return promisify(execFile)(process.execPath, [file], { cwd: dir, env, timeout: 20_000 }).then(
    ({ stdout, stderr }) => ({ status: 0, output: `${stdout}${stderr}` }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      status: error.code ?? 1,
      output: `${error.stdout ?? ""}${error.stderr ?? ""}`,
    }),
  );
}

const filterRequests = () => received.filter((request) => request.method === "POST" && request.path === "/api/flow_runs/filter");

describe("the README's quick start", () => {
  let files: Record<string, string>;
  let dir: string;
  let build: CommandResult;
  beforeAll(async () => {
    files = quickStartFiles();
    dir = project(files);
    build = tspc(dir);
  }, 120_000);

  it("is two files, the tagged one importing the class it declares and using it only as the key", () => {
    expect(Object.keys(files).sort()).toEqual(["src/main.ts", "src/runs.ts"]);
    expect(files["src/runs.ts"]).toContain("client: PrefectClient = injected(PrefectClient)");
  });

  it("compiles with tspc and runs with node: three calls, each with a PrefectClient", async () => {
    expect(build.output).toBe("");
    expect(build.status).toBe(0);
    const before = filterRequests().length;
    const result = await run(dir, "dist/main.js");
    expect(result).toEqual({ status: 0, output: "" });
    const calls = filterRequests().slice(before);
    expect(calls).toHaveLength(3);
    for (const call of calls) expect(JSON.parse(call.body)).toMatchObject({ flows: { name: { any_: ["etl"] } }, sort: "START_TIME_DESC", limit: 5 });
  });
});

describe("the quick start's keyless form", () => {
  const keylessRuns = () => quickStartFiles()["src/runs.ts"]!.replace("injected(PrefectClient)", "injected()");
  // Nothing but the tagged function names the generated module: its import is used only as a type.
  const main = `import { latestRuns } from "./runs.js";\nconsole.log(JSON.stringify(await latestRuns("etl")));\n`;

  it("with the class as the annotation: compiles and runs, the rewrite importing the class itself", async () => {
    const runs = keylessRuns();
    expect(runs).toMatch(/^import \{ PrefectClient \} from "\.\/generated\/prefect\/index\.js";$/m);
    const dir = project({ "src/runs.ts": runs, "src/main.ts": main });
    expect(tspc(dir)).toEqual({ status: 0, output: "" });
    const compiled = readFileSync(join(dir, "dist/runs.js"), "utf8");
    expect(compiled).toMatch(
      /import \* as (PrefectClient_module_1) from "\.\/generated\/prefect\/index\.js";[\s\S]*getOrCreateClient\(client, \1\.PrefectClient\)/,
    );
    const result = await run(dir, "dist/main.js");
    expect(result).toEqual({ status: 0, output: `${JSON.stringify([{ id: "run-1", name: "happy-otter" }])}\n` });
  }, 120_000);

  it("with an interface as the annotation: the build fails with TS47007 at the placeholder's line", async () => {
    const runs = keylessRuns()
      .replace(
        `import { PrefectClient } from "./generated/prefect/index.js";`,
        `import type { PrefectClientMethods } from "./generated/prefect/index.js";`,
      )
      .replace("client: PrefectClient = injected()", "client: PrefectClientMethods = injected()");
    const dir = project({ "src/runs.ts": runs, "src/main.ts": main });
    const line = runs.split("\n").findIndex((text) => text.includes("injected()")) + 1;
    const column = runs.split("\n")[line - 1]!.indexOf("injected()") + 1;
    const result = tspc(dir);
    expect(result.status).not.toBe(0);
    expect(result.output.trim()).toBe(
      `src/runs.ts(${line},${column}): error TS47007: @injectClient: in latestRuns, cannot tell which client class \`client\` is: ` +
        '`PrefectClientMethods` (from "./generated/prefect/index.js") is a type, not a class. Name the class in the placeholder: write `injected(TheClass)`, ' +
        "e.g. `client: PrefectClient = injected(PrefectClient)`.",
    );
  }, 120_000);
});
