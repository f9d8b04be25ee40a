// Node builds for the matrix: the machine's own Node for its major, else the npm package `node@<major>` installed
// once into a cache under os.tmpdir() (its node_modules/node/bin/node), shared by every run.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NPM_ENV } from "../lib/install.js";

export const NODE_CACHE = path.join(tmpdir(), "inject-client-matrix", "nodes");

/** The `node` binary of a major version; installs it on first use (npm serves Node builds as the `node` package). */
export function nodeBinary(major: string): string {
  if (process.versions.node.split(".")[0] === major) return process.execPath;
  const dir = path.join(NODE_CACHE, major);
  const binary = path.join(dir, "node_modules/node/bin/node");
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ private: true }));
    execFileSync("npm", ["install", `node@${major}`], { cwd: dir, env: NPM_ENV, stdio: ["ignore", "ignore", "pipe"], timeout: 300_000 });
  }
  const version = execFileSync(binary, ["--version"], { encoding: "utf8" }).trim();
  if (!version.startsWith(`v${major}.`)) throw new Error(`${binary} is ${version}, not Node ${major}`);
  return binary;
}
