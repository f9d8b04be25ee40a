/**
 * The transform without TypeScript's compiler API: oxc-parser reads the file, magic-string edits it.
 * One pure function for every door that has no TypeScript program (bundlers, Node's loaders, Bun, the
 * post-emit CLI): code in, edited code and a source map (at every token) out, plus the same diagnostics
 * as the tspc door (codes TS47001…TS47007, messages, positions). A file without the tag (or the
 * runtime import) is not parsed at all, and an untouched file comes back as `undefined`.
 */
import { oxcParseSync } from "./oxc-parse.js";
import { transformWith, type CoreOptions, type CoreResult } from "./transform.js";

export { formatCoreDiagnostic, type CoreDiagnostic, type CoreOptions, type CoreResult, type ModuleFormat } from "./transform.js";

/**
 * Rewrites the tagged functions of one file. `undefined`: nothing to do (no tag, a declaration file, a
 * syntax error left for the next tool to report), so the caller passes the input on byte for byte.
 */
export function transformCode(code: string, fileName: string, options: CoreOptions = {}): CoreResult | undefined {
  return transformWith(oxcParseSync, code, fileName, options);
}
