/**
 * Node's module-customization `load` hook (registered by ./register.ts): each tagged TypeScript or
 * JavaScript file is rewritten by the oxc core on its way in, before Node strips the types (type
 * stripping, Node ≥ 22.18) or tsx compiles it. Misuse fails the import with `file:line:col - error TS470xx`.
 *
 * Hooks registered later run first. Registered after tsx's (`tsx --import …/register`, where tsx uses
 * `module.register`, as on Node 20), this hook would get each file already compiled, its comments and
 * tags gone: then it rewrites the file as written and hands the result to tsx's own hooks to compile,
 * as tsx would have compiled the file. Any other compiler that ran first is an error that says how to
 * order the two, never a silently untransformed function.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { TAG_TEXT } from "../tag.js";
import { isRewritable, rewriteSource } from "./require-hook.js";

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | NodeJS.TypedArray | null;
  responseURL?: string;
  shortCircuit?: boolean;
}
interface LoadContext {
  format?: string | null;
  conditions?: string[];
  importAttributes?: Record<string, string>;
}
type NextLoad = (url: string, context?: LoadContext) => Promise<LoadResult>;
interface Hooks {
  initialize?: (data?: unknown) => unknown;
  load: (url: string, context: LoadContext, nextLoad: NextLoad) => Promise<LoadResult>;
}

const TYPESCRIPT_FILE = /\.[cm]?tsx?$/;

/** `tsx/esm`'s URL (from ./register.ts), when this process runs tsx; its hooks, once needed. */
let tsxUrl: string | undefined;
let tsxHooks: Hooks | undefined;

export function initialize(data?: { tsx?: string }): void {
  tsxUrl = data?.tsx;
}

/**
 * tsx's hooks, as a second instance of them in this thread. Loaded with `require` (of an ES module, Node
 * ≥ 20.19): an `import()` here would wait on the hooks chain that is waiting on this hook (Node 20 hangs).
 * The core is a static import (through ./require-hook.ts) for the same reason.
 */
function loadTsxHooks(url: string): Hooks {
  if (!tsxHooks) {
    const hooks = createRequire(import.meta.url)(fileURLToPath(url)) as Hooks;
    // tsx's own registration passes this data (no namespace: the process-wide instance); it reads the tsconfig as tsx did.
    void hooks.initialize?.({});
    tsxHooks = hooks;
  }
  return tsxHooks;
}

function text(source: LoadResult["source"]): string | undefined {
  if (source === null || source === undefined) return undefined;
  if (typeof source === "string") return source;
  return Buffer.from(
    source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength),
  ).toString("utf8");
}

/** Formats in which Node hands over TypeScript as written (type stripping comes after the hooks): nothing compiled it. */
const AS_WRITTEN = new Set(["module-typescript", "commonjs-typescript"]);

/** A loader below this hook compiled `file` and dropped its tags: the file as written, when that is what happened. */
function compiledAway(file: string, code: string, format: string | null | undefined): string | undefined {
  // Read the file a second time only where another loader may have compiled it: not for Node's own TypeScript.
  if (!TYPESCRIPT_FILE.test(file) || (format && AS_WRITTEN.has(format)) || code.includes(TAG_TEXT)) return undefined;
  const written = readFileSync(file, "utf8");
  return written !== code && written.includes(TAG_TEXT) ? written : undefined;
}

/** tsx compiles the rewritten source in place of the file (its hooks, fed by this one instead of the disk). */
async function compileWithTsx(url: string, file: string, context: LoadContext, source: string, nextLoad: NextLoad): Promise<LoadResult> {
  const compiled = await loadTsxHooks(tsxUrl!).load(url, context, async (nextUrl, nextContext) =>
    fileURLToPath(nextUrl.split(/[?#]/, 1)[0]!) === file
      ? { format: nextContext?.format ?? context.format ?? "module", source, responseURL: url, shortCircuit: true }
      : nextLoad(nextUrl, nextContext),
  );
  // tsx reads the CommonJS files it compiles here from disk itself: then the rewrite did not reach the output.
  if (!text(compiled.source)?.includes("getOrCreateClient")) throw compiled.format === "commonjs" ? commonJsError(file) : orderError(file);
  return { ...compiled, shortCircuit: true };
}

/**
 * Node 20's tsx compiles a `.cts` that Node's ES module loader loads (the entry, or one an ES module imports)
 * in its hooks, from the disk: no order of the two reaches it. Required from CommonJS, tsx's require hook
 * compiles it, and ./require-hook.ts rewrites it on the way.
 */
function commonJsError(file: string): Error {
  return new Error(
    `${file}: tsx compiles this CommonJS file in Node's ES module loader, from the disk, so inject-client cannot rewrite its /** @injectClient */ functions. ` +
      'On Node 20, require() it from CommonJS instead (e.g. from a .ts entry in a "type": "commonjs" package), or run Node 22.',
  );
}

function orderError(file: string): Error {
  return new Error(
    `${file}: another loader compiled this file before inject-client's hook saw it, and its /** @injectClient */ tags are gone. ` +
      "Register inject-client first: node --import @inject-client/transformer/register --import tsx app.ts",
  );
}

export async function load(url: string, context: LoadContext, nextLoad: NextLoad): Promise<LoadResult> {
  const loaded = await nextLoad(url, context);
  if (!url.startsWith("file:")) return loaded;
  const file = fileURLToPath(url);
  if (!isRewritable(file)) return loaded;
  const code = text(loaded.source);
  if (code === undefined) return loaded;
  const written = compiledAway(file, code, loaded.format);
  if (written !== undefined) {
    const rewritten = rewriteSource(written, file);
    if (rewritten === undefined) return loaded;
    if (!tsxUrl) throw orderError(file);
    return compileWithTsx(url, file, context, rewritten, nextLoad);
  }
  const rewritten = rewriteSource(code, file);
  return rewritten === undefined ? loaded : { ...loaded, source: rewritten };
}
