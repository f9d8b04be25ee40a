// `npm run demo` run for real (node --import tsx examples/demo.ts: generate, tspc, run against the
// stand-in) with proxy variables pointing at a local forward proxy: it still finishes, its requests went
// through the proxy, and it shows the stand-in's one retry. Needs runtime/dist built (`npm run build`).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { startForwardProxy, type ForwardProxy } from "./prefect-env-servers.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
let proxy: ForwardProxy | undefined;
afterAll(async () => proxy?.close());

function runDemo(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "examples/demo.ts"], { cwd: repo, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGTERM"), 100_000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

it("the demo reaches the stand-in through HTTP_PROXY/HTTPS_PROXY and shows one retry", { timeout: 120_000 }, async () => {
  proxy = await startForwardProxy();
  const env: NodeJS.ProcessEnv = { ...process.env, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url };
  for (const name of ["PREFECT_API_URL", "NO_PROXY", "no_proxy", "http_proxy", "https_proxy"]) delete env[name];
  const { code, output } = await runDemo(env);
  expect(output).toMatch(/✔ demo finished/);
  expect(code).toBe(0);
  expect(output).toMatch(/POST \/api\/flow_runs\/filter attempt 1\/6 -> HTTP 503; retrying in 0\.\d s/);
  // Every API call of the example went through the proxy as an absolute URI to the stand-in.
  expect(proxy.seen.some((line) => /^GET http:\/\/127\.0\.0\.1:\d+\/api\/admin\/version$/.test(line))).toBe(true);
  expect(proxy.seen.filter((line) => line.startsWith("POST http://127.0.0.1:")).length).toBeGreaterThan(3);
});
