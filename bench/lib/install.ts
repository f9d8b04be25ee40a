// Installing what users install: the workspaces packed as tarballs, `npm install`ed into fresh scratch projects,
// and what such an install weighs. Shared by P7 (footprint) and the install matrix (bench/matrix/).
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repo } from "./paths.js";

export interface Tarballs {
  runtime: string;
  codegen: string;
  transformer: string;
}

/** npm settings for every scratch install: the cache first, no audit, funding or update noise. */
export const NPM_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  npm_config_prefer_offline: "true",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
  npm_config_loglevel: "error",
};

/** The three workspaces as tarballs in `dir` (by .ci/pack.mjs, which expects the build). */
export function packTarballs(dir: string): Tarballs {
  for (const workspace of ["runtime", "codegen", "transformer"]) {
    if (!existsSync(path.join(repo, workspace, "dist"))) throw new Error(`${workspace}/dist is missing: run \`npm run build\` first`);
  }
  const listed = execFileSync(process.execPath, [path.join(repo, ".ci/pack.mjs"), dir], { encoding: "utf8" })
    .trim()
    .split("\n");
  const find = (name: string) => {
    const file = listed.find((line) => new RegExp(`^${name}-\\d+\\.\\d+\\.\\d+[^/]*\\.tgz$`).test(path.basename(line)));
    if (!file) throw new Error(`.ci/pack.mjs wrote no ${name} tarball (got: ${listed.join(", ")})`);
    return file;
  };
  return { runtime: find("inject-client"), codegen: find("inject-client-codegen"), transformer: find("inject-client-transformer") };
}

/** A fresh project directory with a package.json (ESM unless told otherwise). */
export function scratchProject(
  dir: string,
  packageJson: object = { name: path.basename(dir), version: "1.0.0", private: true, type: "module" },
): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(packageJson, null, 2));
  return dir;
}

export interface ShOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** `sh -c command` in `cwd`, without blocking the event loop; rejects with the command and its output. */
export function sh(command: string, cwd: string, options: ShOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "sh",
      ["-c", command],
      {
        cwd,
        env: options.env ?? NPM_ENV,
        encoding: "utf8",
        timeout: options.timeoutMs ?? 300_000,
        maxBuffer: 16 * 1024 * 1024,
        killSignal: "SIGKILL",
      },
      (error, stdout, stderr) => {
        if (error)
          reject(
            Object.assign(new Error(`\`${command}\` failed (${error.code ?? error.signal}):\n${stdout}${stderr}`), { output: `${stdout}${stderr}` }),
          );
        else resolve(stdout);
      },
    );
  });
}

/** Bytes of every file under `dir` (what `du --apparent-size` counts). */
export function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Installed packages: every directory under node_modules (at any depth) with a package.json naming it. */
export function packagesUnder(nodeModules: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.name.startsWith("@")) visit(full);
      else if (existsSync(path.join(full, "package.json"))) {
        found.push(full.slice(nodeModules.length + 1));
        if (existsSync(path.join(full, "node_modules"))) visit(path.join(full, "node_modules"));
      }
    }
  };
  visit(nodeModules);
  return found;
}
