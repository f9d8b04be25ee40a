// Helpers for the codegen tests: generate in process or run the built CLI as a subprocess, and compile
// generated code with the real tsc in a throwaway project that depends on inject-client as installed from
// its packed tarball (test/support/installed-packages.ts), never a link to this repo.
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import type { GeneratedClient, GenerateOptions } from "../../codegen/generate.js";
import { linkPackedPackages } from "../support/installed-packages.js";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = path.join(REPO, "codegen/dist/cli.js");
export const SPECS = path.join(REPO, "test/fixtures/specs");
export const PREFECT_SPEC = path.resolve(REPO, "../shared/openapi/prefect-v3.json");
export const GITHUB_SPEC = path.join(REPO, "node_modules/@octokit/openapi/generated/api.github.com.json");
const TSC = path.join(REPO, "node_modules/typescript/bin/tsc");

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node codegen/dist/cli.js <args>` (build first: `npm test` does, via pretest). Asynchronous, so that
 * a test's own HTTP server keeps answering while the CLI runs.
 */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const env = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(options.env ?? {})) if (value === undefined) delete env[key];
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO, env, encoding: "utf8", timeout: 120_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * What `inject-client generate --input … --out <out>` does, in this process: `generateClient` (pure: spec in,
 * files out), then the CLI's atomic write. For tests of what is generated; tests of the command itself
 * (exit codes, stderr, --check) use `runCli`. Loaded on first use: the generator takes a while to import.
 */
export async function generateInto(out: string, options: GenerateOptions): Promise<GeneratedClient> {
  const [{ generateClient }, { writeOutput }] = await Promise.all([import("../../codegen/generate.js"), import("../../codegen/write.js")]);
  const result = await generateClient({ cwd: REPO, ...options });
  await writeOutput(out, result.files);
  return result;
}

const created: string[] = [];

/**
 * Where the scratch projects live: outside the repository, so that a package a project does not hold itself
 * does not resolve up the tree to the repo's node_modules (and our workspaces there).
 */
export const SCRATCH_ROOT = path.join(tmpdir(), "inject-client-tests", "codegen");

/** A fresh directory under SCRATCH_ROOT; `removeTempDirs` deletes it after the file's tests. */
export function tempDir(prefix: string): string {
  mkdirSync(SCRATCH_ROOT, { recursive: true });
  const dir = mkdtempSync(path.join(SCRATCH_ROOT, `${prefix}-`));
  created.push(dir);
  return dir;
}

/** Set KEEP_CODEGEN_TEST_DIRS=1 to keep them for a look. */
export function removeTempDirs(): void {
  if (process.env.KEEP_CODEGEN_TEST_DIRS) return;
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Every file under a directory, relative path -> bytes, to prove that a run left it untouched. */
export function snapshot(dir: string): Map<string, { bytes: string; mtimeMs: number }> {
  const files = new Map<string, { bytes: string; mtimeMs: number }>();
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    if (statSync(file).isFile()) files.set(name, { bytes: readFileSync(file, "base64"), mtimeMs: statSync(file).mtimeMs });
  }
  return files;
}

export type Resolution = "nodenext" | "bundler";

/**
 * A user's project: `package.json` (ESM), node_modules/inject-client and the openapi-fetch it brings (links to
 * the packed tarball's shared install: packs the packages, and installs them once per build), @types/node, and
 * a strict tsconfig per resolution mode.
 */
export function makeProject(dir: string): void {
  mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module" }, null, 2));
  const link = (name: string, target: string) => {
    if (!existsSync(path.join(dir, "node_modules", name))) symlinkSync(target, path.join(dir, "node_modules", name), "dir");
  };
  linkPackedPackages(dir, ["inject-client", "openapi-fetch"]);
  // A Node project has Node's types: they declare the fetch globals (AbortSignal, Headers) the client's options use.
  mkdirSync(path.join(dir, "node_modules/@types"), { recursive: true });
  link("@types/node", path.join(REPO, "node_modules/@types/node"));
  const common = { strict: true, target: "ES2022", lib: ["ES2022", "ESNext.Disposable"], skipLibCheck: true, noEmit: true, types: ["node"] };
  writeFileSync(
    path.join(dir, "tsconfig.nodenext.json"),
    JSON.stringify({ compilerOptions: { ...common, module: "NodeNext", moduleResolution: "NodeNext" }, include: ["src"] }, null, 2),
  );
  writeFileSync(
    path.join(dir, "tsconfig.bundler.json"),
    JSON.stringify({ compilerOptions: { ...common, module: "ESNext", moduleResolution: "Bundler" }, include: ["src"] }, null, 2),
  );
}

export interface Diagnostic {
  file: string;
  line: number;
  code: string;
  message: string;
}

/** Runs the real tsc on a project made by `makeProject`; returns its diagnostics, parsed. */
export function typeCheck(dir: string, resolution: Resolution = "nodenext"): { status: number | null; diagnostics: Diagnostic[]; output: string } {
  const result = spawnSync(process.execPath, [TSC, "-p", `tsconfig.${resolution}.json`, "--pretty", "false"], {
    cwd: dir,
    encoding: "utf8",
    timeout: 180_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  const diagnostics: Diagnostic[] = [];
  for (const line of output.split("\n")) {
    const match = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
    if (match) diagnostics.push({ file: match[1]!.replace(/\\/g, "/"), line: Number(match[2]), code: match[3]!, message: match[4]! });
    else if (/^\s+\S/.test(line) && diagnostics.length > 0) diagnostics.at(-1)!.message += ` ${line.trim()}`;
  }
  return { status: result.status, diagnostics, output };
}

/** The 1-based line of the first occurrence of `marker` in a file. */
export function lineOf(file: string, marker: string): number {
  const lines = readFileSync(file, "utf8").split("\n");
  const index = lines.findIndex((line) => line.includes(marker));
  if (index < 0) throw new Error(`${marker} not found in ${file}`);
  return index + 1;
}

export interface SpecServer {
  /** Serves petstore.yaml at /openapi.yaml and /api/openapi.json; anything else is a 404. */
  baseUrl: string;
  /** A URL on a port nothing listens on. */
  closedPortUrl: string;
  close(): Promise<void>;
}

export async function serveSpecs(): Promise<SpecServer> {
  const petstore = readFileSync(path.join(SPECS, "petstore.yaml"));
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://localhost");
    if (pathname === "/api/openapi.json" || pathname === "/openapi.yaml")
      response.writeHead(200, { "content-type": "application/yaml" }).end(petstore);
    else response.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port nothing listens on: open a server, note its port, close it.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const closedPortUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/openapi.json`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return { baseUrl, closedPortUrl, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface BadInput {
  what: string;
  input: () => string;
  /** The line generateClient's CodegenError describes (and the CLI prints after `inject-client: error: `). */
  message: RegExp;
}

/** Every bad input and what it is refused with: generate.test.ts runs all in process, cli.test.ts a file and a URL through the command. */
export function badInputs(specs: () => SpecServer): BadInput[] {
  return [
    { what: "a missing file", input: () => path.join(SPECS, "nope.json"), message: /^cannot read the spec: no such file \(at .*nope\.json\)$/ },
    { what: "a directory", input: () => SPECS, message: /^cannot read the spec: it is a directory, not a file \(at .*specs\)$/ },
    { what: "invalid JSON", input: () => path.join(SPECS, "invalid-json.json"), message: /^invalid JSON: .+ \(at .*invalid-json\.json:4:\d+\)$/ },
    {
      what: "invalid YAML",
      input: () => path.join(SPECS, "invalid-yaml.yaml"),
      message: /^invalid YAML: bad indentation .+ \(at .*invalid-yaml\.yaml:4:\d+\)$/,
    },
    {
      what: "an unresolvable local $ref",
      input: () => path.join(SPECS, "bad-ref.json"),
      message:
        /^Can.t resolve \$ref "#\/components\/schemas\/Missing" \(at .*bad-ref\.json#\/paths\/~1a\/get\/responses\/200\/content\/application~1json\/schema\)$/,
    },
    {
      what: "an unresolvable external $ref",
      input: () => path.join(SPECS, "bad-external-ref.yaml"),
      message: /^Can.t resolve \$ref "\.\/does-not-exist\.yaml#\/Thing".*does-not-exist\.yaml.* \(at .*bad-external-ref\.yaml#\/paths\/.+\)$/,
    },
    {
      what: "Swagger 2.0",
      input: () => path.join(SPECS, "swagger2.json"),
      message:
        /^Swagger 2\.0 is not supported: only OpenAPI 3\.0 and 3\.1 are\. Convert the spec first, e\.g\. .*swagger2openapi.* \(at .*swagger2\.json\)$/,
    },
    {
      what: "a spec with no operations",
      input: () => path.join(SPECS, "no-operations.json"),
      message: /^the spec has no operations: .+ \(at .*no-operations\.json\)$/,
    },
    {
      what: "an unreachable URL",
      input: () => specs().closedPortUrl,
      message: /^cannot reach the spec URL: ECONNREFUSED\. .+ \(at http:\/\/127\.0\.0\.1:\d+\/openapi\.json\)$/,
    },
    {
      what: "a URL that answers 404",
      input: () => `${specs().baseUrl}/missing.json`,
      message: /^the spec URL answered HTTP 404 Not Found \(at http:\/\/127\.0\.0\.1:\d+\/missing\.json\)$/,
    },
  ];
}

/** What the in-process type checks compile generated code under: strict, NodeNext, Node's types (the quick start's project, as tsc sees it). */
export const STRICT_NODENEXT: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts", "lib.esnext.disposable.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
  noEmit: true,
  types: ["node"],
  typeRoots: [path.join(REPO, "node_modules/@types")],
};
