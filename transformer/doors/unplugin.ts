/**
 * One plugin for every bundler (unplugin): Vite and Vitest, Rollup, Rolldown, esbuild, webpack, Rspack
 * and Bun get the same transform from the oxc core, before their own TypeScript handling (`enforce:
 * "pre"`), which then strips the types as it always does. No TypeScript compiler is loaded.
 */
import { createUnplugin } from "unplugin";
import { formatCoreDiagnostic, transformCode } from "../core/index.js";

export interface InjectClientPluginOptions {
  /**
   * Only transform module ids that match. Default: every .ts/.tsx/.mts/.cts file outside node_modules;
   * with `include`, also the JavaScript ids it matches (.js/.jsx/.mjs/.cjs), e.g. emitted code.
   */
  include?: RegExp | ((id: string) => boolean);
  /** Never transform module ids that match. */
  exclude?: RegExp | ((id: string) => boolean);
}

const TYPESCRIPT_FILE = /\.[cm]?tsx?$/;
const SOURCE_FILE = /\.[cm]?[jt]sx?$/;

function matches(filter: RegExp | ((id: string) => boolean), id: string): boolean {
  return typeof filter === "function" ? filter(id) : filter.test(id);
}

/** Whether the plugin looks at `id` at all (the text check and the parse come later, in `transformCode`). */
export function includes(options: InjectClientPluginOptions, id: string): boolean {
  const file = id.split("?", 1)[0]!;
  if (!(options.include ? SOURCE_FILE : TYPESCRIPT_FILE).test(file) || /[/\\]node_modules[/\\]/.test(file) || file.startsWith("\0")) return false;
  if (options.include && !matches(options.include, file)) return false;
  return !(options.exclude && matches(options.exclude, file));
}

/**
 * The transform every door shares: the edited code and its map, `null` for a file left as it is, and
 * misuse thrown as one error whose lines read `file:line:col - error TS470xx: …` (the bundler fails the
 * build, or the dev server the module, with it).
 */
export function transformModule(code: string, id: string): { code: string; map: NonNullable<ReturnType<typeof transformCode>>["map"] } | null {
  const result = transformCode(code, id.split("?", 1)[0]!);
  if (!result) return null;
  if (result.diagnostics.length > 0) throw new Error(result.diagnostics.map(formatCoreDiagnostic).join("\n"));
  return result.map ? { code: result.code, map: result.map } : null;
}

export const injectClientUnplugin = createUnplugin<InjectClientPluginOptions | undefined>((options = {}, meta) =>
  meta.framework === "vite"
    ? // Vite calls `transform` for every module anyway: the check inside keeps the hook a plain function returning null, as Vite plugins do.
      { name: "inject-client", enforce: "pre", transform: (code, id) => (includes(options, id) ? transformModule(code, id) : null) }
    : // Elsewhere `transformInclude` becomes the bundler's own filter (esbuild's onLoad, webpack's loader rule).
      { name: "inject-client", enforce: "pre", transformInclude: (id) => includes(options, id), transform: (code, id) => transformModule(code, id) },
);

export default injectClientUnplugin;
