// Tests install what users install: the three workspaces packed as tarballs (by `npm run pack`'s script) and
// installed with npm into fresh projects in os.tmpdir(), with no link to this repository.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../..", import.meta.url));
/** The packages are released together at one version (test/package/versions.test.ts): the tarballs carry it in their names. */
const packageVersion = (JSON.parse(readFileSync(join(repo, "runtime/package.json"), "utf8")) as { version: string }).version;
const PREFECT_SPEC = join(repo, "../shared/openapi/prefect-v3.json");
const STRICT = { exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true };
const COMMON = { target: "ES2022", lib: ["ES2022", "ESNext.Disposable"], types: ["node"], strict: true, skipLibCheck: true, noEmit: true, ...STRICT };
// npm settings for every install here: the registry's cache first, no audit or funding noise.
const NPM_ENV = {
  ...process.env,
  npm_config_prefer_offline: "true",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
};

let scratch: string;
let packs: string;
let tarballs: { runtime: string; codegen: string; transformer: string };

function sh(command: string, cwd: string, env: NodeJS.ProcessEnv = NPM_ENV): string {
  const result = spawnSync("sh", ["-c", command], { cwd, env, encoding: "utf8", timeout: 240_000 });
  if (result.status !== 0) throw new Error(`\`${command}\` exited with ${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** `sh` without blocking this process: for commands that talk to a server this test runs. */
function shAsync(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("sh", ["-c", command], { cwd, env, encoding: "utf8", timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`\`${command}\` failed (${error.code ?? error.signal}):\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

function project(name: string, packageJson: object = { name, version: "1.0.0", private: true, type: "module" }): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify(packageJson, null, 2));
  return dir;
}

function tsc(dir: string, bin: string, tsconfig: object): { status: number | null; output: string } {
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  const result = spawnSync(process.execPath, [bin, "-p", "."], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** Bytes of every file under `dir` (what `du --apparent-size` counts). */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Installed packages: every directory under node_modules (at any depth) with a package.json naming it. */
function packagesUnder(nodeModules: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const full = join(dir, entry.name);
      if (entry.name.startsWith("@")) visit(full);
      else if (existsSync(join(full, "package.json"))) {
        found.push(full.slice(nodeModules.length + 1));
        if (existsSync(join(full, "node_modules"))) visit(join(full, "node_modules"));
      }
    }
  };
  visit(nodeModules);
  return found;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "inject-client-packages-"));
  packs = join(scratch, "packs");
  // The build already ran (pretest); the pack script packs without running it again.
  const listed = execFileSync(process.execPath, [join(repo, ".ci/pack.mjs"), packs], { encoding: "utf8" })
    .trim()
    .split("\n");
  const find = (name: string) => listed.find((file) => file.endsWith(`/${name}-${packageVersion}.tgz`))!;
  tarballs = { runtime: find("inject-client"), codegen: find("inject-client-codegen"), transformer: find("inject-client-transformer") };
  expect(Object.values(tarballs).every(Boolean), listed.join("\n")).toBe(true);
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("inject-client, as a server installs it (npm install --omit=dev)", () => {
  let dir: string;
  beforeAll(() => {
    dir = project("server");
    sh(`npm install --omit=dev ${tarballs.runtime}`, dir);
  }, 240_000);

  it("is at most 5 MB on disk in at most 6 packages, with no TypeScript and no generator", () => {
    const nodeModules = join(dir, "node_modules");
    const packages = packagesUnder(nodeModules);
    const bytes = bytesUnder(nodeModules);
    console.log(`inject-client --omit=dev: ${(bytes / 1e6).toFixed(2)} MB in ${packages.length} packages (${packages.join(", ")})`);
    expect(bytes).toBeLessThanOrEqual(5_000_000);
    expect(packages.length).toBeLessThanOrEqual(6);
    for (const heavy of ["typescript", "ts-morph", "openapi-typescript", "@redocly/openapi-core"]) expect(packages).not.toContain(heavy);
  });

  it("imports from plain Node with no extra step", () => {
    writeFileSync(
      join(dir, "main.mjs"),
      `import { getOrCreateClient, setClientFactory } from "inject-client/runtime";
       const client = { closed: false, async [Symbol.asyncDispose]() {} };
       setClientFactory(() => client);
       const [resolved, inferred] = getOrCreateClient();
       console.log(JSON.stringify({ same: resolved === client, inferred }));`,
    );
    expect(JSON.parse(execFileSync(process.execPath, ["main.mjs"], { cwd: dir, encoding: "utf8" }))).toEqual({ same: true, inferred: false });
  });

  it("inject-client/runtime/core resolves clients without loading the HTTP layer (undici); inject-client/runtime loads it", () => {
    const loadsUndici = (entry: string) => {
      const script = `import { createRequire } from "node:module";
        const started = performance.now();
        const runtime = await import(${JSON.stringify(entry)});
        const ms = performance.now() - started;
        const undici = Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes("/node_modules/undici/"));
        console.log(JSON.stringify({ undici, ms, resolves: typeof runtime.getOrCreateClient }));`;
      return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" })) as {
        undici: boolean;
        ms: number;
        resolves: string;
      };
    };
    const core = loadsUndici("inject-client/runtime/core");
    const full = loadsUndici("inject-client/runtime");
    console.log(`import time: inject-client/runtime/core ${core.ms.toFixed(0)} ms, inject-client/runtime ${full.ms.toFixed(0)} ms`);
    expect(core).toMatchObject({ undici: false, resolves: "function" });
    expect(full).toMatchObject({ undici: true, resolves: "function" });
  });
});

describe("a TypeScript 5.9 project with the three tarballs: generated client under every module setting", () => {
  let dir: string;
  const tscBin = () => join(dir, "node_modules/typescript/bin/tsc");
  const USE = `import { injected } from "inject-client/runtime";
import { PrefectClient } from "./prefect/index.js";

export async function latestRuns(flowName: string, client: PrefectClient = injected(PrefectClient)) {
  const runs = await client.readFlowRuns({ flows: { name: { any_: [flowName] } }, limit: 5 });
  return runs[0]?.name;
}
export async function pause(id: string, { client, force = false }: { client?: PrefectClient; force?: boolean } = {}) {
  await client!.setFlowRunState(id, { state: { type: "PAUSED" }, force });
}
`;

  beforeAll(() => {
    dir = project("ts59");
    sh(`npm install --save-dev ${tarballs.runtime} ${tarballs.codegen} ${tarballs.transformer} typescript@5.9.3 @types/node@20`, dir);
    sh(`npx inject-client generate --input ${PREFECT_SPEC} --out src/prefect`, dir);
    writeFileSync(join(dir, "src/use.ts"), USE);
    // The same sources in a CommonJS package.
    mkdirSync(join(dir, "cjs"));
    writeFileSync(join(dir, "cjs/package.json"), JSON.stringify({ type: "commonjs" }));
    cpSync(join(dir, "src"), join(dir, "cjs/src"), { recursive: true });
  }, 300_000);

  it("names the prefect profile's class PrefectClient without --name, and writes .ts files only", () => {
    expect(readFileSync(join(dir, "src/prefect/index.ts"), "utf8")).toMatch(/export class PrefectClient extends OpenAPIClient/);
    expect(
      readdirSync(join(dir, "src/prefect"))
        .filter((file) => !file.startsWith("."))
        .sort(),
    ).toEqual(["index.ts", "methods.ts", "types.ts"]);
  });

  const settings: [string, string, object][] = [
    ["NodeNext, ESM package (with verbatimModuleSyntax)", ".", { module: "NodeNext", verbatimModuleSyntax: true }],
    ["NodeNext, CommonJS package", "cjs", { module: "NodeNext" }],
    ["bundler", ".", { module: "ESNext", moduleResolution: "Bundler", verbatimModuleSyntax: true }],
    ["CommonJS (Node10 resolution, through typesVersions)", ".", { module: "CommonJS" }],
  ];
  for (const [name, where, options] of settings) {
    it(`type-checks under ${name}`, () => {
      const result = tsc(join(dir, where), tscBin(), { compilerOptions: { ...COMMON, ...options }, include: ["src"] });
      expect(result.output).toBe("");
      expect(result.status).toBe(0);
    });
  }

  it("rejects a wrong call (the checks above really type-check the generated methods)", () => {
    writeFileSync(
      join(dir, "src/wrong.ts"),
      `import { PrefectClient } from "./prefect/index.js";\nexport const wrong = (c: PrefectClient) => c.readFlow(42, { nope: true });\n`,
    );
    try {
      const result = tsc(dir, tscBin(), { compilerOptions: { ...COMMON, module: "NodeNext" }, include: ["src"] });
      expect(result.output).toMatch(/src\/wrong\.ts\(2,\d+\): error TS2345/);
    } finally {
      rmSync(join(dir, "src/wrong.ts"));
    }
  });

  it("survives outDir + declaration: a library's published .d.ts keeps every method", () => {
    const library = join(dir, "library");
    mkdirSync(library);
    cpSync(join(dir, "src"), join(library, "src"), { recursive: true });
    writeFileSync(join(library, "package.json"), JSON.stringify({ type: "module" }));
    const build = tsc(library, tscBin(), {
      compilerOptions: { ...COMMON, module: "NodeNext", noEmit: false, declaration: true, rootDir: "src", outDir: "lib" },
      include: ["src"],
    });
    expect(build.output).toBe("");
    expect(readdirSync(join(library, "lib/prefect")).sort()).toEqual([
      "index.d.ts",
      "index.js",
      "methods.d.ts",
      "methods.js",
      "types.d.ts",
      "types.js",
    ]);
    // A consumer of the library sees only lib/: the declarations, not the sources.
    rmSync(join(library, "src"), { recursive: true });
    writeFileSync(
      join(library, "consumer.ts"),
      `import { PrefectClient } from "./lib/prefect/index.js";\nexport const flow = (c: PrefectClient) => c.readFlow("3fa85f64-5717-4562-b3fc-2c963f66afa6").then((f) => f.name.toUpperCase());\nexport const wrong = (c: PrefectClient) => c.readFlowz();\n`,
    );
    const consumer = tsc(library, tscBin(), { compilerOptions: { ...COMMON, module: "NodeNext" }, files: ["consumer.ts"] });
    // readFlow is found and typed (f.name is a string); the misspelt method is the only error.
    expect(consumer.output.trim().split("\n")).toEqual([
      expect.stringMatching(/^consumer\.ts\(3,\d+\): error TS2551: Property 'readFlowz' does not exist on type 'PrefectClient'/),
    ]);
  });
});

describe("TypeScript 7 at the project root", () => {
  let dir: string;
  beforeAll(() => {
    dir = project("ts7");
    sh(`npm install --save-dev typescript@7.0.2 @types/node@20 ${tarballs.runtime} ${tarballs.codegen} ${tarballs.transformer}`, dir);
  }, 300_000);

  it("installs, and npm gives the generator its own TypeScript 5.9 beside it", () => {
    const version = (file: string) => (JSON.parse(readFileSync(join(dir, file), "utf8")) as { version: string }).version;
    expect(version("node_modules/typescript/package.json")).toBe("7.0.2");
    expect(version("node_modules/@inject-client/codegen/node_modules/typescript/package.json")).toBe("5.9.3");
  });

  it("`npx inject-client generate --input <Prefect spec> --out src/prefect` works, and TS 7's tsc --noEmit accepts the output and a file using it", () => {
    const out = sh(`npx inject-client generate --input ${PREFECT_SPEC} --out src/prefect`, dir);
    expect(out).toMatch(/PrefectClient \(\d+ operations, profile prefect\) -> src\/prefect written/);
    writeFileSync(
      join(dir, "src/use.ts"),
      `import { ClientContext, injected } from "inject-client/runtime";
import { PrefectClient } from "./prefect/index.js";

export async function latestRuns(flowName: string, client: PrefectClient = injected(PrefectClient)) {
  return client.readFlowRuns({ flows: { name: { any_: [flowName] } }, sort: "START_TIME_DESC", limit: 5 });
}
export async function count(): Promise<number> {
  await using shared = PrefectClient.fromEnv();
  const runs = await ClientContext.run({ client: shared }, () => latestRuns("etl"));
  return runs.length;
}
`,
    );
    const tsc7 = join(dir, "node_modules/typescript/bin/tsc");
    const ok = tsc(dir, tsc7, { compilerOptions: { ...COMMON, module: "NodeNext", verbatimModuleSyntax: true }, include: ["src"] });
    expect(ok.output).toBe("");
    expect(ok.status).toBe(0);
    // The control: TS 7 really checks the calls against the generated types.
    writeFileSync(
      join(dir, "src/wrong.ts"),
      `import { PrefectClient } from "./prefect/index.js";\nexport const n = (c: PrefectClient): Promise<number> => c.readFlow("x");\n`,
    );
    const wrong = tsc(dir, tsc7, { compilerOptions: { ...COMMON, module: "NodeNext", verbatimModuleSyntax: true }, include: ["src"] });
    expect(wrong.output).toMatch(/src\/wrong\.ts\(2,\d+\): error TS2322/);
    expect(wrong.status).not.toBe(0);
  });
});

/**
 * README, "Using it in your project": its commands run as written (only the path to the tarballs differs), in a
 * fresh project, with its tsconfig.json and source files, against a Prefect-shaped server on 127.0.0.1.
 */
describe("the README's Using it in your project", () => {
  let server: Server;
  const filterCalls: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      };
      if (request.method === "GET" && request.url === "/api/openapi.json") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(readFileSync(PREFECT_SPEC));
      } else if (request.method === "POST" && request.url === "/api/flow_runs/filter") {
        let body = "";
        request.on("data", (chunk: Buffer) => (body += chunk.toString()));
        request.on("end", () => {
          filterCalls.push(body);
          send(200, []);
        });
      } else if (request.method === "GET" && request.url === "/api/admin/version") {
        send(200, "3.4.11"); // what a Prefect 3 server answers (a client checks it when it opens)
      } else send(404, { detail: "Not Found" }); // /csrf-token too: the client then sends none
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("every command works as pasted on a fresh npm init -y project", async () => {
    const readme = readFileSync(join(repo, "README.md"), "utf8");
    const section = readme.slice(
      readme.indexOf("## Using it in your project\n"),
      readme.indexOf("\n## ", readme.indexOf("## Using it in your project\n") + 5),
    );
    const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, body]) => ({ lang: lang!, body: body! }));
    const commands = blocks
      .filter((block) => block.lang === "sh")
      .flatMap((block) => block.body.split("\n"))
      .map((line) => line.replace(/\s+#.*$/, "").trim())
      .filter(Boolean);
    const dir = join(scratch, "readme", "my-app");
    mkdirSync(dir, { recursive: true });
    // `../inject-client` is the clone beside the project; here, the tarballs packed above.
    const clone = join(scratch, "readme", "inject-client");
    mkdirSync(clone);
    cpSync(packs, join(clone, "packs"), { recursive: true });

    writeFileSync(join(dir, "tsconfig.json"), blocks.find((block) => block.lang === "json")!.body);
    for (const block of blocks.filter((b) => b.lang === "ts")) {
      const file = /^\/\/ (src\/\S+\.ts)/.exec(block.body)![1]!;
      mkdirSync(join(dir, "src"), { recursive: true });
      writeFileSync(join(dir, file), block.body);
    }
    const port = (server.address() as AddressInfo).port;
    const env = { ...NPM_ENV, PREFECT_API_URL: `http://127.0.0.1:${port}/api` };
    expect(commands[0]).toMatch(/^npm ci && npm run pack$/); // run in the repository: the packs are built above
    for (const command of commands.slice(1)) await shAsync(command, dir, env);

    expect(readFileSync(join(dir, "dist/runs.js"), "utf8")).toContain("getOrCreateClient");
    // latestRuns ran three times: created client, context client, the caller's own.
    expect(filterCalls).toHaveLength(3);
    expect(JSON.parse(filterCalls[0]!)).toMatchObject({ flows: { name: { any_: ["etl"] } }, limit: 5 });
  }, 400_000);
});
