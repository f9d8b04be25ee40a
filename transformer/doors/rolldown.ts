/** `@inject-client/transformer/rolldown`: the inject-client transform as a Rolldown plugin (see ./unplugin.ts). */
import { injectClientUnplugin } from "./unplugin.js";

import type { InjectClientRollupPlugin, InjectClientPluginOptions } from "./plugin-types.js";

export type { InjectClientPluginOptions, InjectClientRollupPlugin } from "./plugin-types.js";
// unplugin types Rolldown's plugin as one or many; the shared factory makes one.
export const injectClient = injectClientUnplugin.rolldown as (options?: InjectClientPluginOptions) => InjectClientRollupPlugin;
export default injectClient;
