// The names inject-client itself uses inside an output directory, besides the generated files: the
// manifest, the lock, and temp files. Everything else there is either listed in the manifest or the user's.
import { randomBytes } from "node:crypto";

export const MANIFEST_NAME = ".inject-client-manifest.json";
export const LOCK_NAME = ".inject-client.lock";
/** Held for a moment by whoever breaks a stale lock, so that two runs never both break (and then both hold) it. */
export const BREAK_LOCK_NAME = ".inject-client.lock.break";

const TEMP_PREFIX = ".inject-client-tmp-";
const TEMP_NAME = /^\.inject-client-tmp-\d+-[0-9a-f]{8}-./;

/** A fresh temp name for `target` in the same directory (so that renaming it over `target` is atomic). */
export function tempName(target: string): string {
  return `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString("hex")}-${target}`;
}

/** A temp file of some run, this one or a dead one: only a run holding the lock may remove it. */
export function isTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/** The lock, the break lock, or a temp file: bookkeeping of a run, never the user's and never output. */
export function isBookkeeping(name: string): boolean {
  return name === LOCK_NAME || name === BREAK_LOCK_NAME || isTempName(name);
}

/** A plain file name: no separator, no leading dot, nothing that could name a place outside the directory. */
export function isPlainFileName(name: string): boolean {
  return name.length <= 200 && /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name);
}
