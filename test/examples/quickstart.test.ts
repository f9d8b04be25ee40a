// The README's main job, run as a new user would: `npm run demo` from a clean state, the example's own
// Vitest suite (through inject-client/vite), and Ctrl-C in the middle leaving nothing behind.
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const example = fileURLToPath(new URL("../../examples/prefect-quickstart/", import.meta.url));
const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1" };
delete env.PREFECT_API_URL;
delete env.FORCE_COLOR;

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("npm run demo", () => {
  it("generates, compiles with tspc and runs the example, showing every way a client is resolved", () => {
    rmSync(example + "src/generated", { recursive: true, force: true });
    rmSync(example + "dist", { recursive: true, force: true });
    const result = spawnSync("npm", ["run", "demo"], { cwd: repo, env, encoding: "utf8", timeout: 120_000 });
    const output = result.stdout + result.stderr;
    expect(result.status, output).toBe(0);

    expect(output).toMatch(/1\/3 generate PrefectClient[\s\S]*179 operations, (\d+) of \1 files written/);
    expect(output).toMatch(/2\/3 compile examples\/prefect-quickstart with tspc/);
    // 1. a call that creates its own client, then closes it after its request
    expect(output).toMatch(
      /● ensureFlow\("inject-client-quickstart"\)\n\s+client: none passed or in context: created client #1\n\s+GET \/admin\/version -> 200\n\s+client: opened client #1\n\s+POST \/flows\/ -> 200\n\s+client: closed client #1/,
    );
    // 2. several calls inside ClientContext.run sharing one client, never closed by them
    const shared = output.slice(output.indexOf("2. Many calls"), output.indexOf("3. The caller"));
    expect(shared.match(/client: from ClientContext \(the shared client\)/g)).toHaveLength(3);
    expect(shared).not.toMatch(/created|closed client/);
    expect(shared).toContain("POST /deployments/{id}/create_flow_run -> 200");
    // 3. the caller's own client
    // The stand-in answers this call once with 503 + Retry-After: the retry is visible, then the call succeeds.
    expect(output).toMatch(
      /client: passed by the caller \(the caller's client\)\n\s+POST \S*\/flow_runs\/filter attempt 1\/6 -> HTTP 503; retrying in [\d.]+ s\n\s+POST \/flow_runs\/filter -> 200/,
    );
    // The server version is checked once per server and process, not again when client #2 opens.
    expect(output.match(/GET \/admin\/version/g)).toHaveLength(1);
    expect(output).toContain("the caller's client is open: true");
    // 4. an API error as a typed error; the created client is closed all the same
    expect(output).toMatch(/-> 404\n\s+client: closed client #2\n\s+caught ObjectNotFound: status 404, detail "Deployment not found"/);
    expect(output).toMatch(/✔ demo finished in [\d.]+ s, \d+ requests validated against the spec/);
  }, 150_000);

  it("the example's own Vitest suite passes through inject-client/vite", () => {
    const result = spawnSync(process.execPath, [repo + "node_modules/vitest/vitest.mjs", "run"], {
      cwd: example,
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    const output = result.stdout + result.stderr;
    expect(result.status, output).toBe(0);
    expect(output).toMatch(/Tests\s+4 passed/);
  }, 150_000);

  it("Ctrl-C in the middle stops the stand-in and the example: nothing is left listening", async () => {
    const demo = spawn(process.execPath, ["--import", "tsx", "examples/demo.ts"], { cwd: repo, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let port: number | undefined;
    const interrupted = new Promise<void>((resolve) => {
      demo.stdout.on("data", (chunk: Buffer) => {
        output += chunk;
        port ??= Number(/127\.0\.0\.1:(\d+)\/api/.exec(output)?.[1]) || undefined;
        if (port && output.includes("● ")) {
          demo.kill("SIGINT");
          resolve();
        }
      });
    });
    demo.stderr.on("data", (chunk: Buffer) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => demo.once("exit", (code) => resolve(code)));
    await Promise.race([interrupted, exited]);
    const code = await exited;
    expect(output).toContain("SIGINT: stopping");
    expect(output).not.toContain("✔ demo finished");
    expect(code).not.toBe(0);
    expect(await portIsClosed(port!)).toBe(true);
    const stray = spawnSync("pgrep", ["-f", "prefect-quickstart/dist/main.js"], { encoding: "utf8" });
    expect(stray.stdout.trim()).toBe("");
  }, 150_000);
});
