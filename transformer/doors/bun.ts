/**
 * `@inject-client/transformer/bun`: the transform as a Bun plugin. As a `bunfig.toml` preload
 * (`preload = ["@inject-client/transformer/bun"]` for `bun run`, the same under `[test]` for `bun test`) it
 * registers itself with `Bun.plugin`; `injectClient()` is the plugin for `Bun.build({ plugins: [...] })`.
 *
 * Written against Bun's plugin API rather than through unplugin: unplugin's Bun adapter (3.7) reads
 * `build.config`, which only `Bun.build` has (as a runtime plugin it throws on the first module), and it
 * hooks every module with a filter of `/.*\/`, where a runtime plugin may not pass a module on (Bun
 * wants contents back from every `onLoad` it calls). Here Bun's filter hands over only source files
 * outside node_modules, and those without the tag are handed back as read. Importing this module in a
 * build script registers it as a runtime plugin too, which `Bun.build` also runs: whichever of the two
 * loads a module, it loads it the same way.
 *
 * Bun takes no source map from a plugin; the core keeps every line where it was, so stack traces name the
 * line as written (the column, on a rewritten line, is the rewritten code's).
 */
import type * as Core from "../core/index.js";
import { mayNeedTransform } from "../tag.js";
import { editedOrThrow } from "./edited.js";
import { includes } from "./includes.js";
import type { InjectClientPluginOptions } from "./plugin-types.js";

export type { InjectClientPluginOptions } from "./plugin-types.js";

type Loader = "js" | "jsx" | "ts" | "tsx";

/** What of Bun's plugin API this door uses (Bun's own types come with `bun-types`, which this package does not need). */
export interface BunPluginBuilder {
  onLoad(
    constraints: { filter: RegExp; namespace?: string },
    callback: (args: { path: string }) => Promise<{ contents: string; loader: Loader }>,
  ): unknown;
}
export interface InjectClientBunPlugin {
  name: string;
  setup(build: BunPluginBuilder): void;
}
interface BunGlobal {
  plugin(plugin: InjectClientBunPlugin): unknown;
  file(path: string): { text(): Promise<string> };
}

/** Bun's native filter: TypeScript files outside node_modules (with `include`: JavaScript too); `includes` then decides exactly. */
const TYPESCRIPT_FILE = /^(?!.*[/\\]node_modules[/\\]).*\.[cm]?tsx?$/;
const SOURCE_FILE = /^(?!.*[/\\]node_modules[/\\]).*\.[cm]?[jt]sx?$/;

function loaderOf(file: string): Loader {
  const jsx = file.endsWith("x");
  return /\.[cm]?tsx?$/.test(file) ? (jsx ? "tsx" : "ts") : jsx ? "jsx" : "js";
}

let core: Promise<typeof Core> | undefined;
/** The core (oxc-parser's native binding), loaded with the first file that may be tagged. */
const loadCore = () => (core ??= import("../core/index.js"));

/** The file's code for Bun to compile: rewritten when tagged; misuse thrown as `file:line:col - error TS470xx: …` lines. */
async function rewritten(code: string, file: string): Promise<string> {
  if (!mayNeedTransform(code)) return code;
  const { transformCode } = await loadCore();
  return editedOrThrow(transformCode(code, file, { sourceMap: false }))?.code ?? code;
}

export function injectClient(options: InjectClientPluginOptions = {}): InjectClientBunPlugin {
  return {
    name: "inject-client",
    setup(build) {
      build.onLoad({ filter: options.include ? SOURCE_FILE : TYPESCRIPT_FILE }, async ({ path }) => {
        const code = await (globalThis as unknown as { Bun: BunGlobal }).Bun.file(path).text();
        return { contents: includes(options, path) ? await rewritten(code, path) : code, loader: loaderOf(path) };
      });
    },
  };
}

const bun = (globalThis as { Bun?: BunGlobal }).Bun;
/** The plugin this module registered with `Bun.plugin` (the preload), or undefined outside Bun. */
const registered = bun ? injectClient() : undefined;
if (registered) bun!.plugin(registered);
export default registered;
