/** `@inject-client/transformer/rollup`: the inject-client transform as a Rollup plugin (see ./unplugin.ts). */
import { injectClientUnplugin } from "./unplugin.js";

import type { InjectClientRollupPlugin, InjectClientPluginOptions } from "./plugin-types.js";

export type { InjectClientPluginOptions, InjectClientRollupPlugin } from "./plugin-types.js";
export const injectClient: (options?: InjectClientPluginOptions) => InjectClientRollupPlugin = injectClientUnplugin.rollup;
export default injectClient;
