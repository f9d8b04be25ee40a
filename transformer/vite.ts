/**
 * `inject-client/vite` (`@inject-client/transformer/vite`): the transform for Vite and Vitest, so tests of
 * tagged code run the rewritten code. It runs before Vite's own TypeScript handling and edits the source
 * in place (types and all; Vite strips them as usual) with the oxc core: no TypeScript compiler is loaded.
 */
import type { InjectClientPluginOptions, TransformedModule } from "./doors/plugin-types.js";
import { injectClientUnplugin } from "./doors/unplugin.js";

export type InjectClientViteOptions = InjectClientPluginOptions;

/** The subset of Vite's `Plugin` this plugin implements (structurally compatible, no vite types needed). */
export interface InjectClientVitePlugin {
  name: string;
  enforce: "pre";
  /**
   * An object hook: Vite (≥ 6.3, natively in Vite 8) applies `filter` before calling into JavaScript,
   * so a module whose id or text cannot need the transform costs nothing.
   */
  transform: {
    filter: { id: { include: RegExp; exclude: RegExp }; code: RegExp };
    /** The edited module and its map (null when the build writes no maps); null when the module is left to Vite as it is. Misuse rejects. */
    handler(code: string, id: string): Promise<TransformedModule | null | undefined> | null | undefined;
  };
  /** Reads whether the build wants source maps (`build.sourcemap`; always for the dev server and Vitest). */
  configResolved(config: { command: "build" | "serve"; build: { sourcemap?: boolean | "inline" | "hidden" } }): void;
}

export function injectClient(options: InjectClientViteOptions = {}): InjectClientVitePlugin {
  // unplugin builds Vite's plugin from the shared definition (one plugin, not an array).
  return injectClientUnplugin.vite(options) as unknown as InjectClientVitePlugin;
}

export default injectClient;
