// What the door tests run against, as a user's project has it: the packed packages installed from their
// tarballs (never links to the repository, which would let Node see files the tarballs lack), and tools
// from npm kept in a cache outside the repository.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packTarballs, scratchProject, sh } from "../../../bench/lib/install.js";
import { makeTempDir } from "./project.js";

/** Packs inject-client and @inject-client/transformer and installs the tarballs into a new scratch project; its directory. */
export async function installPackedPackages(name: string): Promise<string> {
  const installed = scratchProject(join(makeTempDir(name), "installed"));
  const tarballs = packTarballs(join(installed, "..", "packs"));
  await sh(`npm install --no-audit --no-fund ${tarballs.runtime} ${tarballs.transformer}`, installed, { timeoutMs: 240_000 });
  return installed;
}

/** A file of @inject-client/transformer's dist as installed in `installed`. */
export function installedTransformer(installed: string, path: string): string {
  return join(installed, "node_modules/@inject-client/transformer/dist", path);
}

/** A tool from npm kept in a cache outside the repo (installed once, then reused); the path of its bin. */
export function cachedTool(name: string, spec: string, bin: string): string {
  const dir = join(tmpdir(), `inject-client-tools-${name}`);
  const path = join(dir, "node_modules/.bin", bin);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), "{}\n");
    execFileSync("npm", ["install", "--no-audit", "--no-fund", spec], { cwd: dir, stdio: "ignore", timeout: 240_000 });
  }
  return path;
}
