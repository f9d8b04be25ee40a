// Where the generator may write at all, decided from paths alone, before anything is read or written: never
// the filesystem root, the home directory, the current directory, the input spec's folder (or the config's),
// nor a directory that contains one of them, nor a file. Symlinks are followed, so a link to $HOME is $HOME.
import { lstatSync, realpathSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CodegenError } from "./errors.js";

/** The generator will not use this output directory: a usage mistake, so the CLI exits 2. */
export class OutputDirError extends CodegenError {
  override name = "OutputDirError";
  readonly exitCode = 2;
}

/** A directory the output must neither be nor contain. `what` completes "it is ..." / "it contains ...". */
export interface ProtectedDir {
  dir: string;
  what: string;
}

/** `dir` for messages: relative to the current directory when inside it, else absolute. */
export function displayPath(dir: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, dir);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : dir;
}

/** Whether `child` is strictly inside `parent` (both absolute and normalised). */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** The real path of `file`, resolving symlinks of the part that exists (the rest cannot be a link yet). */
function realPath(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    const parent = path.dirname(file);
    return parent === file ? file : path.join(realPath(parent), path.basename(file));
  }
}

/** Throws an OutputDirError (one line) when `out` must not be the output directory. Changes nothing. */
export function checkOutputDir(out: string, options: { display?: string; cwd?: string; protect?: ProtectedDir[] } = {}): void {
  const cwd = options.cwd ?? process.cwd();
  const absolute = path.resolve(cwd, out);
  const display = options.display ?? displayPath(absolute, cwd);
  let stats;
  try {
    stats = statSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") throw new OutputDirError(`--out ${display}: part of the path is a file, not a directory`);
    if (code === "ENOENT" && lstatExists(absolute)) throw new OutputDirError(`--out ${display} is a symlink to something that does not exist`);
    if (code !== "ENOENT") throw new OutputDirError(`--out ${display}: cannot be used (${code ?? (error as Error).message})`);
  }
  if (stats && !stats.isDirectory()) throw new OutputDirError(`--out ${display} is a file, not a directory`);
  const refuse = (reason: string) =>
    new OutputDirError(`refusing --out ${display}: it ${reason}; pick an empty or new directory for the generated client`);
  const real = realPath(absolute);
  if (path.parse(real).root === real) throw refuse("is the filesystem root");
  const guarded: ProtectedDir[] = [
    { dir: cwd, what: "the current directory" },
    { dir: os.homedir(), what: "your home directory" },
    ...(options.protect ?? []),
  ];
  for (const { dir, what } of guarded) {
    const guardedReal = realPath(path.resolve(cwd, dir));
    if (guardedReal === real) throw refuse(`is ${what}`);
    if (isInside(guardedReal, real)) throw refuse(`contains ${what}`);
  }
}

function lstatExists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
