// Where things are. Scratch output goes to .tmp/bench (git-ignored), never into the repo tree.
import { createHash } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repo = fileURLToPath(new URL("../../", import.meta.url));
export const scratch = path.join(repo, ".tmp", "bench");
/**
 * Where a report's sections are stored for later `--only` runs to merge from: one folder per report, so
 * a trial run with `--out` elsewhere never replaces the figures bench/RESULTS.md is re-rendered from.
 */
export function sectionsDirFor(outFile: string | undefined): string {
  if (outFile === undefined) return path.join(scratch, "sections");
  return path.join(scratch, `sections-${createHash("sha256").update(path.resolve(outFile)).digest("hex").slice(0, 12)}`);
}
export const peakRssHook = fileURLToPath(new URL("./peak-rss.cjs", import.meta.url));

/** Node CLIs the benchmarks run, by script path (run with `node`, so the peak-RSS hook loads in them). */
export const bin = {
  /** TypeScript 5.9 (the `typescript` package that ts-patch patches): the fair plain-tsc baseline for tspc. */
  tsc: path.join(repo, "node_modules/typescript/bin/tsc"),
  tspc: path.join(repo, "node_modules/ts-patch/bin/tspc.js"),
  tsPatch: path.join(repo, "node_modules/ts-patch/bin/ts-patch.js"),
  openapiTypescript: path.join(repo, "node_modules/openapi-typescript/bin/cli.js"),
  heyApi: path.join(repo, "node_modules/@hey-api/openapi-ts/bin/run.js"),
  ours: path.join(repo, "codegen/dist/cli.js"),
  transformer: path.join(repo, "transformer/dist/cjs/index.js"),
};

/** Why P1 and P2 cannot run: they compile with the transformer's CommonJS build. */
export const TRANSFORMER_NOT_BUILT = "transformer not built (transformer/dist/cjs/index.js missing: run `npm run build`)";

export const specs = {
  github: path.join(repo, "node_modules/@octokit/openapi/generated/api.github.com.json"),
  /** Read in place: never copied into the repo. */
  prefect: path.resolve(repo, "../shared/openapi/prefect-v3.json"),
};

/** The compiler settings of every project the benchmarks compile (a strict Node ESM project, sources in src/). */
export const benchCompilerOptions = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  lib: ["ES2022", "ESNext.Disposable"],
  types: ["node"],
  strict: true,
  skipLibCheck: true,
  rootDir: "src",
};

/** A fresh, empty scratch directory. */
export function freshDir(...parts: string[]): string {
  const dir = path.join(scratch, ...parts);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function ensureDir(...parts: string[]): string {
  const dir = path.join(scratch, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}
