/**
 * `inject-client/vite`: the same transform for Vite and Vitest, so tests of tagged code run the
 * rewritten code. TypeScript files that carry the tag go through `ts.transpileModule` with the
 * core transformer; Vite's own TypeScript handling then sees plain JavaScript.
 */
import typescriptModule from "typescript";
import type * as TS from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import { formatDiagnostic } from "./diagnostics.js";
import { mayNeedTransform } from "./tag.js";
import { transformSourceFile } from "./transform-source-file.js";

// The compiler is CommonJS: its default import is the `ts` namespace.
const ts = typescriptModule as unknown as TypeScriptApi;

export interface InjectClientViteOptions {
  /** Only transform module ids that match (default: every .ts/.tsx/.mts/.cts file outside node_modules). */
  include?: RegExp | ((id: string) => boolean);
  /** Never transform module ids that match. */
  exclude?: RegExp | ((id: string) => boolean);
  /** Compiler options for `transpileModule` (defaults: ESNext target and modules, source maps). */
  compilerOptions?: TS.CompilerOptions;
}

/** The subset of Vite's `Plugin` this plugin implements (structurally compatible, no vite types needed). */
export interface InjectClientVitePlugin {
  name: string;
  enforce: "pre";
  transform(code: string, id: string): { code: string; map: unknown } | null;
}

const TYPESCRIPT_FILE = /\.[cm]?tsx?$/;

function matches(filter: RegExp | ((id: string) => boolean), id: string): boolean {
  return typeof filter === "function" ? filter(id) : filter.test(id);
}

export function injectClient(options: InjectClientViteOptions = {}): InjectClientVitePlugin {
  return {
    name: "inject-client",
    enforce: "pre",
    transform(code, id) {
      const file = id.split("?", 1)[0]!;
      if (!TYPESCRIPT_FILE.test(file) || file.includes("/node_modules/")) return null;
      if (options.include && !matches(options.include, file)) return null;
      if (options.exclude && matches(options.exclude, file)) return null;
      if (!mayNeedTransform(code)) return null;

      let changed = false;
      const diagnostics: TS.Diagnostic[] = [];
      const output = ts.transpileModule(code, {
        fileName: file,
        compilerOptions: {
          target: ts.ScriptTarget.ESNext,
          module: ts.ModuleKind.ESNext,
          jsx: ts.JsxEmit.Preserve,
          sourceMap: true,
          inlineSources: true,
          ...options.compilerOptions,
        },
        transformers: {
          before: [
            (context) => (sourceFile) => {
              const result = transformSourceFile(ts, sourceFile, context);
              diagnostics.push(...result.diagnostics);
              changed = result.sourceFile !== sourceFile;
              return result.sourceFile;
            },
          ],
        },
      });
      if (diagnostics.length > 0) {
        throw new Error(diagnostics.map((diagnostic) => formatDiagnostic(ts, diagnostic)).join("\n"));
      }
      if (!changed) return null;
      return { code: output.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n"), map: JSON.parse(output.sourceMapText!) };
    },
  };
}

export default injectClient;
