// The manifest in every output directory (.inject-client-manifest.json): the proof that the directory is the
// generator's, and the only files (with the sha256 of what was written) a later run may replace or remove.
//
// {
//   "generator": "inject-client", "version": "0.1.0", "complete": true,
//   "files": { "index.ts": "<sha256>", "methods.ts": "<sha256>", "types.ts": "<sha256>" }
// }
//
// While a run replaces files the manifest says `"complete": false` and adds `"previous"`: for each name,
// every hash the file may still have from before. A run killed in the middle thus leaves files that are each
// the old or the new version, and a manifest that vouches for both (see write.ts).
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { isPlainFileName } from "./output-names.js";

const GENERATOR = "inject-client";
/** This package's version; read through the package's own name, which resolves from sources and from dist/. */
export const GENERATOR_VERSION: string = (createRequire(import.meta.url)("@inject-client/codegen/package.json") as { version: string }).version;

export interface Manifest {
  version: string;
  complete: boolean;
  /** Name -> sha256 of the text the (last) run wrote. */
  files: Record<string, string>;
  /** Only while incomplete: name -> other hashes the file may have and still be the generator's. */
  previous: Record<string, string[]>;
}

export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

const HASH = /^[0-9a-f]{64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The manifest, or why the text is not one (a crafted name such as `../x` makes it invalid, not dangerous). */
export function parseManifest(text: string): Manifest | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (!isRecord(raw) || raw.generator !== GENERATOR) return `no "generator": "${GENERATOR}"`;
  if (typeof raw.version !== "string" || typeof raw.complete !== "boolean") return 'no "version" or "complete"';
  if (!isRecord(raw.files)) return 'no "files"';
  const files: Record<string, string> = {};
  for (const [name, hash] of Object.entries(raw.files)) {
    if (!isPlainFileName(name)) return `"${name}" is not a plain file name`;
    if (typeof hash !== "string" || !HASH.test(hash)) return `the hash of "${name}" is not a sha256`;
    files[name] = hash;
  }
  const previous: Record<string, string[]> = {};
  if (raw.previous !== undefined) {
    if (!isRecord(raw.previous)) return '"previous" is not an object';
    for (const [name, hashes] of Object.entries(raw.previous)) {
      if (!isPlainFileName(name)) return `"${name}" is not a plain file name`;
      if (!Array.isArray(hashes) || !hashes.every((hash) => typeof hash === "string" && HASH.test(hash)))
        return `the hashes of "${name}" are not sha256s`;
      previous[name] = hashes as string[];
    }
  }
  return { version: raw.version, complete: raw.complete, files, previous };
}

export function serializeManifest(manifest: Manifest): string {
  const sorted = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify(
    {
      $comment:
        "Written by inject-client generate: it replaces or removes only the files listed here, and only while they hold what it wrote. Everything else in this directory is left alone.",
      generator: GENERATOR,
      version: manifest.version,
      complete: manifest.complete,
      files: sorted(manifest.files),
      ...(manifest.complete ? {} : { previous: sorted(manifest.previous) }),
    },
    null,
    2,
  )}\n`;
}

/** Name -> every hash a file of that name may have and still be exactly what the generator wrote. */
export function ownedHashes(manifest: Manifest): Map<string, Set<string>> {
  const owned = new Map<string, Set<string>>();
  for (const [name, hash] of Object.entries(manifest.files)) owned.set(name, new Set([hash]));
  for (const [name, hashes] of Object.entries(manifest.previous)) {
    const set = owned.get(name) ?? new Set<string>();
    for (const hash of hashes) set.add(hash);
    owned.set(name, set);
  }
  return owned;
}
