// The packed packages (inject-client, @inject-client/transformer), `npm install`ed from their tarballs once
// per build into a shared project outside the repository, for the end-to-end tests' scratch projects to
// link to: what a user's `npm install` gives them, never the workspace folders (a link to those lets tsc
// and node see files the tarballs lack). Packing takes ~1 s and runs in every test process, so the install
// is keyed by what was packed; installing (seconds to minutes on a cold npm cache) runs once per build
// however many test processes ask at the same time: one takes a lock, the others wait for its result.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NPM_ENV, packTarballs, scratchProject } from "../../bench/lib/install.js";

/** Where the shared installs live, one folder per build: `<key>/node_modules`. */
export const PACKED_ROOT = path.join(tmpdir(), "inject-client-packed");
/** Part of the key: change it when the install below changes, so that older installs are not reused. */
const RECIPE = "npm install runtime + transformer tarballs, v1";
const INSTALL_TIMEOUT_MS = 240_000;
/** How long a process waits for another one's install: the install's own bound, and some. */
const WAIT_MS = INSTALL_TIMEOUT_MS + 60_000;
/** A lock this old belongs to a process that died mid-install (the install is bounded well below it). */
const STALE_LOCK_MS = 2 * WAIT_MS;
/** Installs of older builds are removed once nobody has used them for this long. */
const UNUSED_MS = 24 * 60 * 60_000;

let memo: string | undefined;

/** The shared install's node_modules for the current build (packing it; installing it if no process has yet). */
export function packedNodeModules(): string {
  if (memo && existsSync(memo)) return memo;
  mkdirSync(PACKED_ROOT, { recursive: true });
  const packs = mkdtempSync(path.join(PACKED_ROOT, "packs-"));
  try {
    const tarballs = packTarballs(packs);
    const tgz = [tarballs.runtime, tarballs.transformer];
    const hash = createHash("sha256").update(RECIPE);
    for (const file of tgz) hash.update(path.basename(file)).update(readFileSync(file));
    const key = hash.digest("hex").slice(0, 20);
    const install = path.join(PACKED_ROOT, key);
    if (!existsSync(install)) installOnce(install, tgz);
    const now = new Date();
    utimesSync(install, now, now); // last use: what pruning goes by
    pruneOthers(key);
    memo = path.join(install, "node_modules");
    return memo;
  } finally {
    rmSync(packs, { recursive: true, force: true });
  }
}

/**
 * Links `project/node_modules/<name>` to the shared install's copy of each package. Node and tsc follow the
 * link to its real path, so the packages' own dependencies (undici, unplugin, …) resolve in the shared install.
 */
export function linkPackedPackages(project: string, names: string[]): void {
  const nodeModules = packedNodeModules();
  for (const name of names) {
    const target = path.join(nodeModules, name);
    if (!existsSync(path.join(target, "package.json"))) throw new Error(`${name} is not in the packed install at ${nodeModules}`);
    const link = path.join(project, "node_modules", name);
    mkdirSync(path.dirname(link), { recursive: true });
    const existing = lstatOrUndefined(link);
    if (existing?.isSymbolicLink()) unlinkSync(link);
    else if (existing) throw new Error(`${link} exists and is not a link: cannot link the packed ${name} there`);
    symlinkSync(target, link, "dir");
  }
}

/** Installs the tarballs into `install` unless another process does; only a finished install appears under that name. */
function installOnce(install: string, tarballs: string[]): void {
  const lock = `${install}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (existsSync(install)) return;
    if (tryLock(lock)) break;
    if (isStale(lock)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${WAIT_MS / 1000} s waiting for another test process to install the packed packages (lock: ${lock})`);
    sleep(250);
  }
  let building: string | undefined;
  try {
    if (existsSync(install)) return;
    building = scratchProject(mkdtempSync(`${install}.building-`), { name: "inject-client-packed", version: "1.0.0", private: true, type: "module" });
    // The tarballs live beside the install, so that its package.json's `file:` entries stay valid.
    mkdirSync(path.join(building, "tarballs"));
    const local = tarballs.map((file) => {
      copyFileSync(file, path.join(building!, "tarballs", path.basename(file)));
      return `./tarballs/${path.basename(file)}`;
    });
    try {
      execFileSync("npm", ["install", "--no-audit", "--no-fund", ...local], {
        cwd: building,
        env: NPM_ENV,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        timeout: INSTALL_TIMEOUT_MS,
        killSignal: "SIGKILL",
      });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`\`npm install\` of the packed packages failed in ${building}:\n${stdout ?? ""}${stderr ?? ""}`, { cause: error });
    }
    try {
      renameSync(building, install);
      building = undefined;
    } catch (error) {
      // Two processes both took a lock they each saw as stale: the first install to land wins.
      if (!existsSync(install)) throw error;
    }
  } finally {
    if (building) rmSync(building, { recursive: true, force: true });
    rmSync(lock, { recursive: true, force: true });
  }
}

/** mkdir is atomic: whoever creates the lock folder installs. */
function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  writeFileSync(path.join(lock, "pid"), String(process.pid));
  return true;
}

/** The lock's owner has exited, or the lock outlived any install. */
function isStale(lock: string): boolean {
  const since = lstatOrUndefined(lock)?.mtimeMs;
  if (since === undefined) return false; // just released: the next round sees the install or takes the lock
  if (Date.now() - since > STALE_LOCK_MS) return true;
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(lock, "pid"), "utf8"));
  } catch {
    return false; // the owner has not written its pid yet
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Removes installs of other builds unused for a day, and what crashed processes left (packs, half-built installs). */
function pruneOthers(key: string): void {
  const now = Date.now();
  for (const name of readdirSync(PACKED_ROOT)) {
    if (name === key) continue;
    const full = path.join(PACKED_ROOT, name);
    const age = now - (lstatOrUndefined(full)?.mtimeMs ?? now);
    const leftover = name.startsWith("packs-") || name.includes(".building-") || name.endsWith(".lock");
    if (age > (leftover ? STALE_LOCK_MS : UNUSED_MS)) rmSync(full, { recursive: true, force: true });
  }
}

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
