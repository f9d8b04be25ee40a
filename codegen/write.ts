// Write atomically, or compare (`--check`).
//
// The output directory belongs to the generator. A run writes every file into a fresh sibling
// directory, then swaps it in with renames: a run that fails before the swap leaves the previous
// output exactly as it was, and readers never see half a client.
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { CodegenError } from "./errors.js";

async function readExisting(dir: string): Promise<Map<string, string> | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const files = new Map<string, string>();
  for (const name of names.sort()) {
    try {
      files.set(name, await readFile(path.join(dir, name), "utf8"));
    } catch {
      files.set(name, "\0unreadable");
    }
  }
  return files;
}

/** The files under `dir` that differ from `files` (missing, changed, or not generated): empty when current. */
export async function staleFiles(dir: string, files: Map<string, string>): Promise<string[]> {
  const existing = await readExisting(dir);
  if (!existing) return [...files.keys()].sort().map((name) => path.join(dir, name));
  const stale = new Set<string>();
  for (const [name, text] of files) if (existing.get(name) !== text) stale.add(name);
  for (const name of existing.keys()) if (!files.has(name)) stale.add(name);
  return [...stale].sort().map((name) => path.join(dir, name));
}

/** Replaces `dir` with exactly `files`. Returns false when it already held them (nothing written). */
export async function writeAtomically(dir: string, files: Map<string, string>): Promise<boolean> {
  if ((await staleFiles(dir, files)).length === 0) return false;
  const parent = path.dirname(path.resolve(dir));
  const base = path.basename(path.resolve(dir));
  const staging = path.join(parent, `.${base}.tmp-${process.pid}`);
  const previous = path.join(parent, `.${base}.old-${process.pid}`);
  try {
    await mkdir(parent, { recursive: true });
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging);
    for (const [name, text] of files) await writeFile(path.join(staging, name), text);
    let hadPrevious = true;
    try {
      await rename(dir, previous);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      hadPrevious = false;
    }
    try {
      await rename(staging, dir);
    } catch (error) {
      if (hadPrevious) await rename(previous, dir);
      throw error;
    }
    if (hadPrevious) await rm(previous, { recursive: true, force: true });
    return true;
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw new CodegenError(`cannot write the output: ${(error as Error).message}`, dir);
  }
}
