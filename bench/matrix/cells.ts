// One cell of the install matrix: a Node × a TypeScript × a toolchain. Each cell installs the packed tarballs into a
// fresh project, generates the Prefect client, builds with that toolchain and runs a tagged function against a
// local server (bench/matrix/server.ts). A cell's outcome is ok, fails (first line of the error) or n/a: a pairing
// that cannot exist (why, and which door to use instead).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { NPM_ENV, scratchProject, sh, type Tarballs } from "../lib/install.js";
import { specs } from "../lib/paths.js";
import type { CallLog } from "./server.js";

export const NODES = ["20", "22", "24"] as const;
export const TYPESCRIPTS = ["5.9.3", "6.0.3", "7.0.2"] as const;
export const KINDS = ["codegen", "tspc", "post-emit", "vite", "ts-jest"] as const;
export type NodeMajor = (typeof NODES)[number];
export type TypeScriptVersion = (typeof TYPESCRIPTS)[number];
export type Kind = (typeof KINDS)[number];

export const KIND_LABELS: Record<Kind, string> = {
  codegen: "codegen + tsc",
  tspc: "tspc",
  "post-emit": "tsc + inject-client-transform",
  vite: "tsc --noEmit + Vitest + Vite build",
  "ts-jest": "ts-jest",
};

export interface Cell {
  node: NodeMajor;
  ts: TypeScriptVersion;
  kind: Kind;
}

export type Outcome =
  | { status: "ok"; ms: number }
  | { status: "fails"; ms: number; error: string; step: string }
  /** The pairing cannot exist: `reason` says why, `use` the door that serves this TypeScript instead. */
  | { status: "n/a"; reason: string; use: string };

export interface CellContext {
  /** Where this cell's project goes (emptied first). */
  dir: string;
  tarballs: Tarballs;
  /** The `node` binary of the cell's Node version. */
  nodeBinary: string;
  apiUrl: string;
  calls: CallLog;
}

/** Versions the toolchains are pinned to (the ones this repository tests with, so npm's cache serves them). */
const PINS = { typesNode: "@types/node@20", vite: "vite@8.3.8", vitest: "vitest@4.1.12", jest: "jest@30", tsJest: "ts-jest@29.4.15" };
const tsPatchFor: Record<TypeScriptVersion, string | undefined> = { "5.9.3": "ts-patch@3.3.0", "6.0.3": "ts-patch@4", "7.0.2": undefined };

export function cellId(cell: Cell): string {
  return `node${cell.node}-ts${cell.ts}-${cell.kind}`;
}

/** Why a cell's pairing cannot exist and which door to use instead, or undefined when the cell runs. */
export function notApplicable(cell: Cell): { reason: string; use: string } | undefined {
  if (cell.kind === "tspc" && cell.ts.startsWith("7.")) {
    return {
      reason: "TypeScript 7's tsc loads no JavaScript plugins, so there is no tspc for it",
      use: "tsc + inject-client-transform, or a Vite build",
    };
  }
  if (cell.kind === "ts-jest" && cell.ts.startsWith("7.")) {
    return {
      reason: "ts-jest 29 requires TypeScript < 7 (peer range) and compiles through TypeScript's JavaScript API, which 7.0 does not have",
      use: "Vitest with @inject-client/transformer/vite",
    };
  }
  return undefined;
}

const RUNS_TS = `import { injected } from "inject-client/runtime";
import { PrefectClient } from "./prefect/index.js";

/** @injectClient */
export async function latestRuns(flowName: string, client: PrefectClient = injected(PrefectClient)) {
  return client.readFlowRuns({ flows: { name: { any_: [flowName] } }, sort: "START_TIME_DESC", limit: 5 });
}
`;
// MATRIX_PASS_CLIENT: the codegen cell compiles with plain tsc (no transform), so it passes its own client; every
// other cell lets the transformed default resolve one (PrefectClient.fromEnv(), from PREFECT_API_URL).
const MAIN_TS = `import { PrefectClient } from "./prefect/index.js";
import { latestRuns } from "./runs.js";

const flow = process.env.MATRIX_FLOW ?? "unset";
let runs: unknown[];
if (process.env.MATRIX_PASS_CLIENT) {
  const mine = new PrefectClient({ baseUrl: process.env.PREFECT_API_URL ?? "" });
  try {
    runs = await latestRuns(flow, mine);
  } finally {
    await mine[Symbol.asyncDispose]();
  }
} else runs = await latestRuns(flow);
console.log(JSON.stringify({ flow, runs: runs.length }));
`;
const TEST_TS = (importGlobals: string) => `${importGlobals}
import { latestRuns } from "../src/runs.js";

test("a tagged function resolves its client and calls the server", async () => {
  expect(await latestRuns(process.env.MATRIX_FLOW ?? "unset")).toEqual([]);
});
`;

const COMPILER_OPTIONS = {
  target: "ES2022",
  module: "NodeNext",
  lib: ["ES2022", "ESNext.Disposable"],
  types: ["node"],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  skipLibCheck: true,
  rootDir: "src",
  outDir: "dist",
};

function write(dir: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

/** The first line that says what went wrong: an error line if there is one, else the first non-empty line. */
export function firstErrorLine(output: string): string {
  const lines = output
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("`") && !/^npm (warn|notice)/i.test(line));
  return (lines.find((line) => /error|ERR!|Error:|cannot|failed|not found/i.test(line)) ?? lines[0] ?? "(no output)").slice(0, 240);
}

export async function runCell(cell: Cell, context: CellContext): Promise<Outcome> {
  const inapplicable = notApplicable(cell);
  if (inapplicable) return { status: "n/a", ...inapplicable };
  const started = performance.now();
  const { dir, tarballs } = context;
  rmSync(dir, { recursive: true, force: true });
  scratchProject(dir);
  // The cell's Node first on PATH: npm, npx and every `#!/usr/bin/env node` script run on it (npm resolves
  // engines-dependent versions, like ts-patch's, as a user on that Node gets them).
  const flow = cellId(cell);
  const env: NodeJS.ProcessEnv = {
    ...NPM_ENV,
    PATH: `${path.dirname(context.nodeBinary)}${path.delimiter}${process.env.PATH ?? ""}`,
    PREFECT_API_URL: context.apiUrl,
    MATRIX_FLOW: flow,
    NODE_OPTIONS: "",
    FORCE_COLOR: "0",
    NO_COLOR: "1",
    CI: "1",
  };
  let step = "install";
  const run = async (what: string, command: string, extraEnv: NodeJS.ProcessEnv = {}) => {
    step = what;
    return sh(command, dir, { env: { ...env, ...extraEnv }, timeoutMs: 300_000 });
  };
  try {
    const packages = [tarballs.runtime, tarballs.codegen, `typescript@${cell.ts}`, PINS.typesNode];
    if (cell.kind !== "codegen") packages.push(tarballs.transformer);
    if (cell.kind === "tspc") packages.push(tsPatchFor[cell.ts]!);
    if (cell.kind === "vite") packages.push(PINS.vite, PINS.vitest);
    if (cell.kind === "ts-jest") packages.push(PINS.jest, PINS.tsJest);
    await run("npm install", `npm install --save-dev ${packages.join(" ")}`);
    await run("inject-client generate", `npx inject-client generate --input ${specs.prefect} --out src/prefect`);
    write(dir, "src/runs.ts", RUNS_TS);
    write(dir, "src/main.ts", MAIN_TS);
    const calledBefore = context.calls.count(flow);
    let expectedCalls = 0;
    const runMain = async (what: string, extraEnv: NodeJS.ProcessEnv = {}) => {
      const out = await run(what, "node dist/main.js", extraEnv);
      if (!out.includes(`"runs":0`)) throw new Error(`${what} printed ${JSON.stringify(out.trim().slice(0, 200))}, not the server's answer`);
      expectedCalls++;
    };

    if (cell.kind === "codegen") {
      write(dir, "tsconfig.json", JSON.stringify({ compilerOptions: COMPILER_OPTIONS, include: ["src"] }, null, 2));
      await run("tsc", "npx tsc -p .");
      await runMain("node dist/main.js", { MATRIX_PASS_CLIENT: "1" });
    } else if (cell.kind === "tspc") {
      const compilerOptions = { ...COMPILER_OPTIONS, plugins: [{ transform: "@inject-client/transformer" }] };
      write(dir, "tsconfig.json", JSON.stringify({ compilerOptions, include: ["src"] }, null, 2));
      await run("tspc", "npx tspc -p .");
      await runMain("node dist/main.js");
    } else if (cell.kind === "post-emit") {
      // The door for compilers that run no transformer (TypeScript 7's tsc): rewrite what tsc emitted.
      write(dir, "tsconfig.json", JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, sourceMap: true }, include: ["src"] }, null, 2));
      await run("tsc", "npx tsc -p .");
      const rewritten = await run("inject-client-transform", "npx inject-client-transform dist");
      if (rewritten.trim() !== "inject-client-transform: 1 file rewritten in dist")
        throw new Error(`inject-client-transform printed ${JSON.stringify(rewritten.trim())}`);
      await runMain("node dist/main.js");
    } else if (cell.kind === "vite") {
      write(dir, "tsconfig.json", JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, rootDir: "." }, include: ["src", "test"] }, null, 2));
      write(
        dir,
        "vite.config.ts",
        `import { injectClient } from "@inject-client/transformer/vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [injectClient()],
  build: { ssr: "src/main.ts", outDir: "dist", target: "node20" },
});
`,
      );
      write(dir, "test/runs.test.ts", TEST_TS(`import { expect, test } from "vitest";`));
      // Types are tsc's to check (with TypeScript 7 too); Vite only strips them.
      await run("tsc --noEmit", "npx tsc -p . --noEmit");
      await run("vitest run", "npx vitest run");
      expectedCalls++;
      await run("vite build", "npx vite build");
      await runMain("node dist/main.js (vite build)");
    } else {
      write(
        dir,
        "tsconfig.json",
        JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, rootDir: ".", types: ["node"] }, include: ["src", "test"] }, null, 2),
      );
      // ts-jest's ESM mode (the packages are ES modules): the README's astTransformers entry plus useESM.
      write(
        dir,
        "jest.config.js",
        `export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\\\.{1,2}/.*)\\\\.js$": "$1" },
  transform: { "^.+\\\\.ts$": ["ts-jest", { useESM: true, astTransformers: { before: ["@inject-client/transformer"] } }] },
};
`,
      );
      write(dir, "test/runs.test.ts", TEST_TS(`import { expect, test } from "@jest/globals";`));
      await run("jest", "npx jest", { NODE_OPTIONS: "--experimental-vm-modules" });
      expectedCalls++;
    }
    step = "server check";
    const calls = context.calls.count(flow) - calledBefore;
    if (calls !== expectedCalls) throw new Error(`the server saw ${calls} call(s) for ${flow}, expected ${expectedCalls}`);
    return { status: "ok", ms: performance.now() - started };
  } catch (error) {
    const output = (error as { output?: string }).output ?? (error as Error).message;
    return { status: "fails", ms: performance.now() - started, step, error: `${step}: ${firstErrorLine(output)}` };
  }
}
