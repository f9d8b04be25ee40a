/** `@inject-client/transformer/esbuild`: the inject-client transform as a esbuild plugin (see ./unplugin.ts). */
import { injectClientUnplugin } from "./unplugin.js";

import type { InjectClientEsbuildPlugin, InjectClientPluginOptions } from "./plugin-types.js";

export type { InjectClientPluginOptions, InjectClientEsbuildPlugin } from "./plugin-types.js";
export const injectClient: (options?: InjectClientPluginOptions) => InjectClientEsbuildPlugin = injectClientUnplugin.esbuild;
export default injectClient;
