/**
 * `inject-client/vite` (`@inject-client/transformer/vite`): the transform for Vite and Vitest, so tests of
 * tagged code run the rewritten code. It runs before Vite's own TypeScript handling and edits the source
 * in place (types and all; Vite strips them as usual) with the oxc core: no TypeScript compiler is loaded.
 */
import type { SourceMap } from "magic-string";
import { injectClientUnplugin, type InjectClientPluginOptions } from "./doors/unplugin.js";

export type InjectClientViteOptions = InjectClientPluginOptions;

/** The subset of Vite's `Plugin` this plugin implements (structurally compatible, no vite types needed). */
export interface InjectClientVitePlugin {
  name: string;
  enforce: "pre";
  /** The edited module and its map; null when the module is left to Vite as it is. Misuse throws. */
  transform(code: string, id: string): { code: string; map: SourceMap } | null;
}

export function injectClient(options: InjectClientViteOptions = {}): InjectClientVitePlugin {
  // unplugin builds Vite's plugin from the shared definition (one plugin, not an array).
  return injectClientUnplugin.vite(options) as unknown as InjectClientVitePlugin;
}

export default injectClient;
