// Runs a Node CLI as a child process and measures its wall time and peak RSS.
// Peak RSS comes from bench/lib/peak-rss.cjs, loaded through NODE_OPTIONS so that it also reports
// from any Node grandchild; the figure is the largest single process (tools here run in one process).
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { peakRssHook, scratch, ensureDir } from "./paths.js";

export interface Measured {
  wallMs: number;
  /** KiB; NaN when no process reported (killed by a signal). */
  peakRssKiB: number;
  /** User + system CPU ms of every Node process of the run; NaN when none reported. */
  cpuMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Extra node flags before the script. */
  nodeArgs?: string[];
  timeoutMs?: number;
}

let counter = 0;

/** `node [nodeArgs] script ...args`, measured. Rejects only when the process cannot start. */
export function runNode(script: string, args: string[], options: RunOptions = {}): Promise<Measured> {
  ensureDir();
  const rssFile = path.join(scratch, `.rss-${process.pid}-${++counter}`);
  rmSync(rssFile, { force: true });
  const nodeOptions = [process.env.NODE_OPTIONS ?? "", `--require=${peakRssHook}`].join(" ").trim();
  const env = { ...process.env, ...options.env, NODE_OPTIONS: nodeOptions, BENCH_PEAK_RSS_FILE: rssFile, FORCE_COLOR: "0", NO_COLOR: "1" };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
      cwd: options.cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      let peakRssKiB = Number.NaN;
      let cpuMs = Number.NaN;
      try {
        const lines = readFileSync(rssFile, "utf8")
          .trim()
          .split("\n")
          .map((line) => line.split(" ").map(Number));
        peakRssKiB = Math.max(...lines.map((fields) => fields[1]!));
        cpuMs = lines.reduce((sum, fields) => sum + fields[2]! / 1000, 0);
      } catch {
        // no report
      }
      rmSync(rssFile, { force: true });
      resolve({ wallMs, peakRssKiB, cpuMs, code, stdout, stderr });
    });
  });
}

/** Throws with the tail of the output when a measured run failed. */
export function assertOk(what: string, result: Measured): Measured {
  if (result.code !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-15).join("\n");
    throw new Error(`${what} exited with ${result.code}:\n${tail}`);
  }
  return result;
}

export interface Contender<T = Measured> {
  name: string;
  run: (round: number) => Promise<T>;
}

/**
 * Runs each contender `runs` times, alternating (A B C A B C ...) so that machine noise spreads over
 * all of them, after `warmup` unrecorded rounds (disk cache, ts-patch's cache, JIT of the runner).
 */
export async function alternate<T>(
  contenders: Contender<T>[],
  runs: number,
  options: { warmup?: number; onRound?: (round: number, results: Map<string, T>) => void } = {},
): Promise<Map<string, T[]>> {
  const results = new Map<string, T[]>(contenders.map((contender) => [contender.name, []]));
  for (let round = -(options.warmup ?? 0); round < runs; round++) {
    const roundResults = new Map<string, T>();
    for (const contender of contenders) {
      const result = await contender.run(round);
      if (round >= 0) {
        results.get(contender.name)!.push(result);
        roundResults.set(contender.name, result);
      }
    }
    if (round >= 0) options.onRound?.(round, roundResults);
  }
  return results;
}

/** Failures that mean "dist/ was being rebuilt at that moment" (other work runs `npm run build`), not a real failure. */
const TRANSIENT =
  /MODULE_NOT_FOUND|ERR_MODULE_NOT_FOUND|ERR_REQUIRE_ESM|Cannot find module|ERR_PACKAGE_PATH_NOT_EXPORTED|SyntaxError: Unexpected end|error TS2307/;

/**
 * `runNode`, retried (up to `attempts` times, 5 s apart) when it fails because a module of dist/ was
 * missing or half-written; each retry is logged. The measurement of a retried run is the retry's.
 */
export async function runNodeStable(script: string, args: string[], options: RunOptions = {}, attempts = 4): Promise<Measured> {
  for (let attempt = 1; ; attempt++) {
    const result = await runNode(script, args, options);
    if (result.code === 0 || attempt >= attempts || !TRANSIENT.test(`${result.stdout}\n${result.stderr}`)) return result;
    process.stdout.write(`\n  (${path.basename(script)} failed to load a module, dist/ is probably being rebuilt: retrying in 5 s)\n`);
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
}
