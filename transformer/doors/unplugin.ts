/**
 * One plugin for every bundler (unplugin): Vite and Vitest, Rollup, Rolldown, esbuild, webpack and Rspack
 * get the same transform from the oxc core (Bun's door is its own: ./bun.ts), before their own TypeScript handling (`enforce:
 * "pre"`), which then strips the types as it always does. No TypeScript compiler is loaded.
 *
 * What a module costs is kept to what it needs: the hook's filter (native in Rolldown and Vite, so an
 * untagged module never calls into JavaScript) lets through only text that may need the transform;
 * the core (magic-string, and oxc-parser's native binding where the host has no oxc of its own: Rolldown,
 * and Vite on it, lend theirs) loads with the first such module; and a build whose output has no source
 * maps gets no map built.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createUnplugin, type TransformResult } from "unplugin";
import type * as Core from "../core/transform.js";
import { MAY_NEED_TRANSFORM, mayNeedTransform } from "../tag.js";
import { editedOrThrow } from "./edited.js";
import { includes, NODE_MODULES, SOURCE_FILE } from "./includes.js";
import type { InjectClientPluginOptions, TransformedModule } from "./plugin-types.js";

export type { InjectClientPluginOptions, TransformedModule } from "./plugin-types.js";
export { includes } from "./includes.js";

/** The ids the native filter lets through (a query may follow); `includes` then decides exactly. */
const SOURCE_ID = /\.[cm]?[jt]sx?(?:$|\?)/;

let core: Promise<typeof Core> | undefined;
/** The core, loaded on first use: a build with no tagged module never loads it. */
const loadCore = () => (core ??= import("../core/transform.js"));

/**
 * Where the host's `rolldown/utils` is, Rolldown `version`'s: resolved from the project (a Rolldown
 * build's own dependency), or through the project's Vite (whose dependency it is, out of the project's
 * reach in a strict layout such as pnpm's). Only that very version counts: it is the copy the host has loaded.
 */
export function findRolldownUtils(version: string, projectDir = process.cwd()): string | undefined {
  const project = createRequire(join(projectDir, "package.json"));
  for (const resolver of [() => project, () => createRequire(project.resolve("vite/package.json"))]) {
    try {
      const require = resolver();
      if ((require("rolldown/package.json") as { version: string }).version === version) return require.resolve("rolldown/utils");
    } catch {
      // Not resolvable that way: the next way, or oxc-parser's own parser.
    }
  }
  return undefined;
}

const parsers = new Map<string, Promise<Core.ParseSync>>();
/**
 * The oxc parser for a host running Rolldown `rolldownVersion` (Vite ≥ 8 does): that Rolldown's own
 * `parseSync`, on the oxc binary the host has loaded already, where oxc-parser's would load a second
 * one (a 3 MB native module) with the first tagged module; otherwise oxc-parser's, loaded now. The two
 * give the same transform (test/transformer/doors/host-parser.test.ts).
 */
export function loadParser(rolldownVersion: string | undefined, projectDir = process.cwd()): Promise<Core.ParseSync> {
  const key = `${rolldownVersion ?? ""}\0${projectDir}`;
  let parser = parsers.get(key);
  if (!parser) {
    parser = (async () => {
      const utils = rolldownVersion === undefined ? undefined : findRolldownUtils(rolldownVersion, projectDir);
      if (utils) return ((await import(pathToFileURL(utils).href)) as { parseSync: Core.ParseSync }).parseSync;
      return (await import("../core/oxc-parse.js")).oxcParseSync;
    })();
    parsers.set(key, parser);
  }
  return parser;
}

/**
 * The transform every door shares: the edited code and its map, `null` for a module left as it is, and
 * misuse thrown as one error whose lines read `file:line:col - error TS470xx: …` (the bundler fails the
 * build, or the dev server the module, with it).
 */
export async function transformModule(
  code: string,
  id: string,
  options: { sourceMap?: boolean; rolldownVersion?: string; projectDir?: string } = {},
): Promise<TransformedModule | null> {
  if (!mayNeedTransform(code)) return null;
  const [{ transformWith }, parser] = await Promise.all([loadCore(), loadParser(options.rolldownVersion, options.projectDir)]);
  const result = editedOrThrow(transformWith(parser, code, id.split("?", 1)[0]!, { sourceMap: options.sourceMap !== false }));
  return result ? { code: result.code, map: result.map ?? null } : null;
}

export const injectClientUnplugin = createUnplugin<InjectClientPluginOptions | undefined>((options = {}, meta) => {
  // Where the build says it writes no maps (Vite's build.sourcemap, esbuild's sourcemap), none is made;
  // elsewhere (Rollup's and Rolldown's output options come after the transforms; webpack may add maps
  // through a plugin) every edited module gets one.
  let sourceMap = true;
  // Where the host's Rolldown is resolved from: the project's root as the build knows it (Vite's `root`,
  // Rolldown's `cwd`), which need not be the folder the build was started in (`vite build packages/app`).
  let projectDir: string | undefined;
  return {
    name: "inject-client",
    enforce: "pre",
    transform: {
      filter: { id: { include: SOURCE_ID, exclude: NODE_MODULES }, code: MAY_NEED_TRANSFORM },
      handler: (code, id): Promise<TransformResult> | null =>
        // Rolldown's version is known from `buildStart` on (Rolldown and Vite ≥ 8 alike).
        includes(options, id) ? transformModule(code, id, { sourceMap, rolldownVersion: meta.versions.rolldown, projectDir }) : null,
    },
    vite: {
      configResolved(config) {
        projectDir = config.root;
        // The dev server and Vitest map every module (stack traces, coverage); a build only when asked.
        sourceMap = config.command === "serve" || Boolean(config.build.sourcemap);
      },
    },
    rolldown: {
      options(inputOptions) {
        projectDir ??= inputOptions.cwd;
      },
    },
    esbuild: {
      onLoadFilter: SOURCE_FILE,
      config(buildOptions) {
        sourceMap = Boolean(buildOptions.sourcemap);
      },
    },
  };
});

export default injectClientUnplugin;
