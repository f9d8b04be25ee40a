// The tools the corpus runs on each spec, each in a child process with a hard time limit:
// our generator (through its CLI, as a user runs it), openapi-typescript alone (its Node API), and tsc.
// A child that outlives its limit is killed with its whole process group and reported as "timeout".
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const OUR_CLI = path.join(ROOT, "codegen/dist/cli.js");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");
const OPENAPI_TS_ALONE = path.join(ROOT, "bench/corpus/openapi-typescript-alone.ts");
/** Children get room for the large specs (Microsoft Graph is 47 MB) without taking the machine. */
const NODE_FLAGS = ["--max-old-space-size=4096"];

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `node <args>` in its own process group; on timeout the group is SIGKILLed. Never rejects. */
export function runNode(args: string[], options: { timeoutMs: number; cwd?: string }): Promise<ChildResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, ...args], {
      cwd: options.cwd ?? ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_OPTIONS: "", FORCE_COLOR: "0", NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    const cap = (text: string, chunk: Buffer) => (text.length > 200_000 ? text : text + chunk.toString("utf8"));
    child.stdout!.on("data", (chunk: Buffer) => (stdout = cap(stdout, chunk)));
    child.stderr!.on("data", (chunk: Buffer) => (stderr = cap(stderr, chunk)));
    let timedOut = false;
    const kill = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    let settled = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stdout, stderr, ms: performance.now() - started });
    };
    child.on("error", (error) => {
      stderr += `spawn failed: ${error.message}\n`;
      finish(null, null);
    });
    child.on("close", finish);
  });
}

/** What one tool did with one spec. `error` is the first line that says why, when it failed. */
export interface StepResult {
  ok: boolean;
  /** `error`: a clear one-line error; `crash`: a stack trace, a signal or no message; `timeout`: killed at the limit. */
  failure?: "error" | "crash" | "timeout";
  error?: string;
  ms: number;
}

/** The first line of `text` that is not blank, trimmed. */
export function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((line) => line.trim())
      .find((line) => line.length > 0) ?? ""
  );
}

function childFailure(result: ChildResult, timeoutMs: number, what: string): StepResult {
  if (result.timedOut) return { ok: false, failure: "timeout", error: `${what} timed out after ${timeoutMs} ms`, ms: result.ms };
  if (result.signal) {
    return {
      ok: false,
      failure: "crash",
      error: `${what} was killed by ${result.signal}${/heap out of memory/i.test(result.stderr) ? " (out of memory)" : ""}`,
      ms: result.ms,
    };
  }
  if (/heap out of memory/i.test(result.stderr)) return { ok: false, failure: "crash", error: `${what} ran out of memory`, ms: result.ms };
  return { ok: false, failure: "crash", error: `${what} exited with ${result.code}: ${firstLine(result.stderr) || "no message"}`, ms: result.ms };
}

/**
 * Our generator on one spec: `inject-client generate --input <spec> --out <dir>`, the one place the
 * corpus and its tests call our CLI. A failure is "error" when the CLI printed its one-line
 * `inject-client: error: ...`, "crash" when it printed an unexpected failure (a stack) or nothing.
 */
export async function runOurs(input: string, outDir: string, timeoutMs: number, extraArgs: string[] = []): Promise<StepResult> {
  if (!existsSync(OUR_CLI)) {
    return { ok: false, failure: "crash", error: `${path.relative(ROOT, OUR_CLI)} does not exist: run \`npm run build\` first`, ms: 0 };
  }
  const result = await runNode([OUR_CLI, "generate", "--input", input, "--out", outDir, ...extraArgs], { timeoutMs });
  if (result.code === 0 && !result.timedOut) {
    if (!existsSync(path.join(outDir, "index.ts"))) return { ok: false, failure: "crash", error: "exited 0 but wrote no index.ts", ms: result.ms };
    return { ok: true, ms: result.ms };
  }
  // The CLI prefixes each message with the job's name, which is the output directory's name.
  const prefix = `inject-client: error: ${path.basename(outDir)}: `;
  const line = result.stderr
    .split("\n")
    .find((text) => text.startsWith("inject-client: error: "))
    ?.replace(prefix, "inject-client: error: ");
  if (!result.timedOut && !result.signal && line && !/unexpected failure/.test(line)) {
    return { ok: false, failure: "error", error: line.replace(/^inject-client: error: /, ""), ms: result.ms };
  }
  if (line && /unexpected failure/.test(line)) {
    // The stack's first line is the message; the frames below say where, for the report's example.
    return { ok: false, failure: "crash", error: line.replace(/^inject-client: error: /, ""), ms: result.ms };
  }
  return childFailure(result, timeoutMs, "inject-client");
}

/** openapi-typescript's Node API alone on one spec, writing `<outDir>/types.ts` (a .ts, so tsc checks it). */
export async function runOpenapiTypescript(input: string, outDir: string, timeoutMs: number): Promise<StepResult> {
  await mkdir(outDir, { recursive: true });
  const result = await runNode(["--import", "tsx", OPENAPI_TS_ALONE, input, path.join(outDir, "types.ts")], { timeoutMs });
  if (result.code === 0 && !result.timedOut) return { ok: true, ms: result.ms };
  if (result.code === 1 && !result.timedOut) {
    const line = result.stderr.split("\n").find((text) => text.startsWith("openapi-typescript: error: "));
    if (line) return { ok: false, failure: "error", error: line.replace(/^openapi-typescript: error: /, ""), ms: result.ms };
  }
  return childFailure(result, timeoutMs, "openapi-typescript");
}

/** The compiler options a user of the generated client would have: strict, skipLibCheck, NodeNext. */
export const TSC_OPTIONS = {
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  lib: ["ES2022", "ESNext.Disposable"],
  types: ["node"],
  verbatimModuleSyntax: true,
};

/** Writes the tsconfig (and an ESM package.json) that checks every .ts under `dir`. */
export async function writeCheckProject(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "tsconfig.json"), `${JSON.stringify({ compilerOptions: TSC_OPTIONS, include: ["**/*.ts"] }, null, 2)}\n`);
  await writeFile(path.join(dir, "package.json"), '{ "type": "module", "private": true }\n');
}

export interface TscDiagnostic {
  file: string;
  line: number;
  code: string;
  message: string;
}

export interface TypecheckResult extends StepResult {
  diagnostics: TscDiagnostic[];
}

/** Parses `file(line,col): error TSnnnn: message` lines (paths relative to the project dir). */
export function parseTscOutput(output: string, projectDir: string): TscDiagnostic[] {
  const diagnostics: TscDiagnostic[] = [];
  for (const match of output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)) {
    diagnostics.push({
      file: path.relative(projectDir, path.resolve(projectDir, match[1]!)),
      line: Number(match[2]),
      code: match[3]!,
      message: match[4]!,
    });
  }
  return diagnostics;
}

/** `tsc -p <dir>` (after `writeCheckProject(dir)`), with a hard limit. */
export async function typecheck(dir: string, timeoutMs: number): Promise<TypecheckResult> {
  await writeCheckProject(dir);
  const result = await runNode([TSC, "-p", dir, "--pretty", "false"], { timeoutMs, cwd: dir });
  if (result.code === 0 && !result.timedOut) return { ok: true, ms: result.ms, diagnostics: [] };
  const diagnostics = parseTscOutput(result.stdout, dir);
  if (!result.timedOut && !result.signal && diagnostics.length > 0) {
    const first = diagnostics[0]!;
    const more = diagnostics.length > 1 ? ` (+${diagnostics.length - 1} more)` : "";
    return { ok: false, failure: "error", error: `${path.basename(first.file)}: ${first.code}: ${first.message}${more}`, ms: result.ms, diagnostics };
  }
  const failed = childFailure(result, timeoutMs, "tsc");
  if (failed.failure === "crash" && !result.signal && firstLine(result.stdout))
    failed.error = `tsc exited with ${result.code}: ${firstLine(result.stdout)}`;
  return { ...failed, diagnostics };
}

/**
 * The cause of a failure with spec-specific names stripped, so that failures group: quoted names,
 * paths, numbers and locations become placeholders.
 */
export function normaliseCause(error: string): string {
  return firstLine(error)
    .replace(/ \(\+\d+ more\)$/, "")
    .replace(/ \(at [^)]*\)$/, "")
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/(?<![A-Za-z])'(?:[^'\\]|\\.)*'/g, "'…'")
    .replace(/`[^`]*`/g, "`…`")
    .replace(/ at #\/.*$/, " at #/…") // a JSON pointer at the end may hold spaces
    .replace(/#\/[^\s)'"]*/g, "#/…")
    .replace(/(?:\/[\w.@~%{}-]+)+\/?/g, "/…")
    .replace(/\b\d+(?:\.\d+)*\b/g, "N")
    .replace(/\s+/g, " ")
    .slice(0, 200)
    .trim();
}
