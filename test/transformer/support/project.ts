import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { linkPackedPackages } from "../../support/installed-packages.js";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const FIXTURES = join(REPO, "test/fixtures/transformer");
/** The real tspc binary (ts-patch's live-patching tsc), run with node as `npx tspc` would. */
export const TSPC = join(REPO, "node_modules/ts-patch/bin/tspc.js");
/**
 * Where the scratch projects live: outside the repository, so that a package a project does not hold itself
 * does not resolve up the tree to the repo's node_modules (and our workspaces there).
 */
export const TMP_ROOT = join(tmpdir(), "inject-client-tests", "transformer");

export type TypeScriptVersion = "5" | "6";

/**
 * tspc compiles with `require.resolve("typescript")` from ts-patch's own folder (our 5.9.3),
 * unless TSP_COMPILER_TS_PATH names a typescript package folder: that is how TS 6 is selected.
 */
const TYPESCRIPT_PATH: Record<TypeScriptVersion, string | undefined> = {
  "5": undefined,
  "6": join(REPO, "test/typescript-6/node_modules/typescript"),
};

const created: string[] = [];

/** A fresh dir under TMP_ROOT, removed by `removeTempDirs`. */
export function makeTempDir(name: string): string {
  mkdirSync(TMP_ROOT, { recursive: true });
  const dir = mkdtempSync(join(TMP_ROOT, `${name.replace(/\W/g, "-")}-`));
  created.push(dir);
  return dir;
}

/** For `afterAll`: removes the dirs this test file made, unless KEEP_TMP is set (to inspect a failure). */
export function removeTempDirs(): void {
  if (process.env.KEEP_TMP) return;
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Copies a fixture project to a fresh temp dir and gives it a node_modules the way an installed
 * app has one: `inject-client` and `@inject-client/transformer` as installed from their packed
 * tarballs (links to the shared install of test/support/installed-packages.ts), and `@types`.
 */
export function copyFixture(name: string, files: Record<string, string> = {}, fixtures = FIXTURES): string {
  const dir = makeTempDir(name);
  cpSync(join(fixtures, name), dir, {
    recursive: true,
    filter: (source) => !/[/\\](dist|node_modules)$/.test(source),
  });
  mkdirSync(join(dir, "node_modules"));
  linkPackedPackages(dir, ["inject-client", "@inject-client/transformer"]);
  symlinkSync(join(REPO, "node_modules/@types"), join(dir, "node_modules/@types"), "dir");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export interface CommandResult {
  status: number | null;
  output: string;
}

/** Runs the real tspc on a project dir. */
export function tspc(dir: string, args: string[] = [], typescript: TypeScriptVersion = "5"): CommandResult {
  const tsPath = TYPESCRIPT_PATH[typescript];
  const result = spawnSync(process.execPath, [TSPC, "-p", dir, "--pretty", "false", ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, ...(tsPath ? { TSP_COMPILER_TS_PATH: tsPath } : {}) },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Runs a compiled file with node (source maps on, as for a stack trace a user reads). */
export function runNode(file: string, cwd: string): CommandResult {
  const result = spawnSync(process.execPath, ["--enable-source-maps", file], { cwd, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** 1-based line of the first line of `file` containing `marker`. */
export function lineOf(file: string, marker: string): number {
  const index = readFileSync(file, "utf8")
    .split("\n")
    .findIndex((line) => line.includes(marker));
  if (index === -1) throw new Error(`${marker} not found in ${file}`);
  return index + 1;
}
