/**
 * The CommonJS half of `@inject-client/transformer/register` (./register.ts). Node's module hooks
 * (./load-hook.ts) never see what the CommonJS loader loads, and tsx compiles CommonJS TypeScript (a
 * `.cts`, a `.ts` in a `"type": "commonjs"` package) in its own `require.extensions` handler, which reads
 * the file itself; esbuild then drops statement-level JSDoc, tags included, so the rewrite must reach the
 * handler as the file's text. Every handler runs inside `Module.prototype.load(file)`, so that is where
 * this hook sits: while a file loads, the first `fs.readFileSync` of that file (its handler reading it,
 * whichever handler is installed, before or after this hook: Node's own, its type stripping, tsx's) returns
 * it rewritten with its map inline if it is tagged, else exactly what was read. Nothing is put on
 * `require.extensions`, so tsx's own unregistering and reassigning work as they would without this hook.
 *
 * The core is a static import: a lazy `require` of it would go through the very handlers this hook serves
 * (tsx's compiles ES modules it is asked to require into CommonJS), and `import()` cannot be waited for here.
 */
import fs from "node:fs";
import Module from "node:module";
import { transformCode } from "../core/index.js";
import { mayNeedTransform } from "../tag.js";
import { editedOrThrow } from "./edited.js";

interface LoaderModule {
  load(file: string): void;
  _compile(content: string, file: string, ...rest: unknown[]): unknown;
}

const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
const JAVASCRIPT_FILE = /\.[cm]?jsx?$/;
const NODE_MODULES = /[/\\]node_modules[/\\]/;

/** The files both Node doors rewrite: JavaScript and TypeScript sources outside node_modules. */
export function isRewritable(file: string): boolean {
  return SOURCE_FILE.test(file) && !NODE_MODULES.test(file);
}

/**
 * `code` rewritten by the core with its map inline (so --enable-source-maps maps stack traces to the file
 * as written), or undefined when it needs none; misuse throws `file:line:col - error TS470xx: …`.
 */
export function rewriteSource(code: string, file: string): string | undefined {
  if (!mayNeedTransform(code)) return undefined;
  const result = editedOrThrow(transformCode(code, file));
  if (!result) return undefined;
  // Type stripping and tsx keep lines, so the map still holds for what runs.
  const map = Buffer.from(JSON.stringify({ ...result.map, sources: [file] })).toString("base64");
  return `${result.code}\n//# sourceMappingURL=data:application/json;base64,${map}\n`;
}

/** What the handler of a file now loading reads for it: the text as read, or its rewrite when it is tagged. */
function answer(read: unknown, file: string): unknown {
  const text = typeof read === "string" ? read : Buffer.isBuffer(read) ? read.toString("utf8") : undefined;
  const rewritten = text === undefined ? undefined : rewriteSource(text, file);
  if (rewritten === undefined) return read;
  return typeof read === "string" ? rewritten : Buffer.from(rewritten);
}

/** Files now loading whose first read is still to come; `fs.readFileSync` is wrapped only while there are any. */
const loading = new Set<string>();
let readFileSync: typeof fs.readFileSync | undefined;

const answeringReadFileSync = function (this: unknown, ...args: Parameters<typeof fs.readFileSync>) {
  const read = readFileSync!.apply(this, args);
  const path = args[0];
  if (typeof path !== "string" || !loading.delete(path)) return read;
  stopAnswering();
  return answer(read, path);
} as typeof fs.readFileSync;

function startAnswering(file: string): void {
  loading.add(file);
  if (readFileSync) return;
  readFileSync = fs.readFileSync;
  fs.readFileSync = answeringReadFileSync;
}

function stopAnswering(): void {
  if (loading.size > 0 || !readFileSync) return;
  // Whoever wrapped it after us keeps our wrapper underneath, which passes every read through once nothing is loading.
  if (fs.readFileSync === answeringReadFileSync) {
    fs.readFileSync = readFileSync;
    readFileSync = undefined;
  }
}

/**
 * Wraps `Module.prototype.load` so each CommonJS source file is read rewritten, if it is tagged. A file can
 * also reach its handler already read: Node's ES module loader reads a CommonJS file it imports (the entry
 * under `--import`, too) to find its exports, and Node's own handler compiles that text without reading
 * the file again. JavaScript compiles as written, so `_compile` rewrites that text instead.
 */
export function installRequireHook(): void {
  const prototype = Module.prototype as unknown as LoaderModule;
  const { load, _compile: compile } = prototype;
  prototype.load = function (this: LoaderModule, file: string) {
    if (typeof file !== "string" || !isRewritable(file)) return load.call(this, file);
    startAnswering(file);
    try {
      return load.call(this, file);
    } finally {
      loading.delete(file);
      stopAnswering();
    }
  };
  prototype._compile = function (this: LoaderModule, content: string, file: string, ...rest: unknown[]) {
    // Still unread while it compiles: the handler had the text already. (TypeScript in that case was compiled by then, its annotations gone.)
    if (typeof content === "string" && typeof file === "string" && loading.delete(file)) {
      stopAnswering();
      if (JAVASCRIPT_FILE.test(file) && mayNeedTransform(content) && isAsWritten(content, file)) content = rewriteSource(content, file) ?? content;
    }
    return compile.call(this, content, file, ...rest);
  };
}

/** Whether `content` is `file` as written (less a byte order mark): any other text is some tool's output, maybe a rewrite already, which a second pass would wrap again. */
function isAsWritten(content: string, file: string): boolean {
  const written = fs.readFileSync(file, "utf8");
  return content === written || content === written.replace(/^\uFEFF/, "");
}
