/**
 * Node's module-customization `load` hook (registered by ./register.ts): each tagged TypeScript or
 * JavaScript file is rewritten by the oxc core on its way in, before Node strips the types (type
 * stripping, Node ≥ 22.18) or tsx compiles it. Misuse fails the import with `file:line:col - error TS470xx`.
 */
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { formatCoreDiagnostic, transformCode } from "../core/index.js";
import { mayNeedTransform, tagOffsets } from "../tag.js";

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | NodeJS.TypedArray | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context?: { format?: string | null; conditions?: string[]; importAttributes?: Record<string, string> }) => Promise<LoadResult>;

/**
 * A loader registered before this hook (`tsx --import …/register`) compiled the file first and dropped
 * its comments, tags included: say how to order the two rather than let the functions throw later.
 */
function refuseCompiled(file: string, code: string): void {
  const written = readFileSync(file, "utf8");
  if (written === code || tagOffsets(written).length === 0) return;
  throw new Error(
    `${file}: another loader compiled this file before inject-client's hook saw it, and its /** @injectClient */ tags are gone. ` +
      "Register inject-client first: node --import @inject-client/transformer/register --import tsx app.ts",
  );
}

const SOURCE_FILE = /\.[cm]?[jt]sx?$/;

function text(source: LoadResult["source"]): string | undefined {
  if (source === null || source === undefined) return undefined;
  if (typeof source === "string") return source;
  return Buffer.from(source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength)).toString("utf8");
}

export async function load(url: string, context: { format?: string | null }, nextLoad: NextLoad): Promise<LoadResult> {
  const loaded = await nextLoad(url, context);
  if (!url.startsWith("file:")) return loaded;
  const file = fileURLToPath(url);
  if (!SOURCE_FILE.test(file) || /[/\\]node_modules[/\\]/.test(file)) return loaded;
  const code = text(loaded.source);
  if (code === undefined) return loaded;
  if (/\.[cm]?tsx?$/.test(file) && mayNeedTransform(code)) refuseCompiled(file, code);
  const result = transformCode(code, file);
  if (!result) return loaded;
  if (result.diagnostics.length > 0) throw new Error(result.diagnostics.map(formatCoreDiagnostic).join("\n"));
  if (!result.map) return loaded;
  // Inline, so --enable-source-maps maps stack traces to the file as written (type stripping keeps columns).
  const map = Buffer.from(JSON.stringify({ ...result.map, sources: [file] })).toString("base64");
  return { ...loaded, source: `${result.code}\n//# sourceMappingURL=data:application/json;base64,${map}\n` };
}
