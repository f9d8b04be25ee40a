/**
 * `npm run demo`: the whole workflow a Prefect user follows, with real parts.
 *   1. generate the Prefect client from the spec (file, or $PREFECT_API_URL/openapi.json)
 *   2. compile examples/prefect-quickstart with the real tspc and the inject-client transformer
 *   3. run it against $PREFECT_API_URL, or a spec-validating stand-in started here on 127.0.0.1
 * The stand-in and the example's process are stopped on success, failure and Ctrl-C.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startMockApi, type MockApi } from "../test/support/mock-api.js";
import { prefectStandInHandlers } from "./prefect-quickstart/stand-in.js";

const repo = fileURLToPath(new URL("..", import.meta.url));
const example = fileURLToPath(new URL("./prefect-quickstart/", import.meta.url));
const localSpec = fileURLToPath(new URL("../../shared/openapi/prefect-v3.json", import.meta.url));
const started = performance.now();

let standIn: MockApi | undefined;
let child: ChildProcess | undefined;

async function shutdown(): Promise<void> {
  const running = child;
  child = undefined;
  if (running && running.exitCode === null && running.signalCode === null) {
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await exited;
  }
  const server = standIn;
  standIn = undefined;
  await server?.close();
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping`);
    void shutdown().finally(() => process.exit(130));
  });
}

function step(text: string): void {
  console.log(`\n▸ ${text}`);
}

/** Runs a command with inherited output; rejects with its exit code. */
function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    child = spawn(command, args, { cwd: options.cwd ?? repo, env: options.env ?? process.env, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      child = undefined;
      if (code === 0) resolve();
      else reject(new Error(`${[command, ...args].join(" ")} exited with ${signal ?? code}`));
    });
  });
}

async function main(): Promise<void> {
  const apiUrl = process.env.PREFECT_API_URL?.replace(/\/$/, "");
  const specSource = apiUrl ? `${apiUrl}/openapi.json` : localSpec;
  if (!apiUrl && !existsSync(localSpec)) throw new Error(`Prefect's spec is not at ${localSpec}, and PREFECT_API_URL is not set`);

  step(`1/3 generate PrefectClient from ${specSource} (the example's \`npm run codegen\`)`);
  await run(process.execPath, [fileURLToPath(new URL("../codegen/bin/inject-client.js", import.meta.url)), "generate"], { cwd: example });

  step("2/3 compile examples/prefect-quickstart with tspc (transformer: @inject-client/transformer)");
  await run(process.execPath, [fileURLToPath(new URL("../node_modules/ts-patch/bin/tspc.js", import.meta.url)), "-p", example]);

  let target = apiUrl;
  if (!target) {
    standIn = await startMockApi({ spec: localSpec, prefix: "/api", handlers: prefectStandInHandlers() });
    target = standIn.url;
    step(`3/3 run the example against a stand-in for the Prefect API at ${target} (every request validated against the spec)`);
  } else {
    step(`3/3 run the example against ${target}`);
  }
  await run(process.execPath, ["dist/main.js"], { cwd: example, env: { ...process.env, PREFECT_API_URL: target } });

  const invalid = standIn?.invalidRequests() ?? [];
  if (invalid.length > 0) {
    throw new Error(
      `the stand-in rejected ${invalid.length} request(s) as invalid for the spec: ${invalid.map((r) => `${r.method} ${r.path}`).join(", ")}`,
    );
  }
  const checked = standIn ? `, ${standIn.requests.length} requests validated against the spec` : "";
  console.log(`\n✔ demo finished in ${((performance.now() - started) / 1000).toFixed(1)} s${checked}`);
}

try {
  await main();
  await shutdown();
} catch (error) {
  await shutdown();
  console.error(`\n✘ demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
