/** `@inject-client/transformer/rspack`: the inject-client transform as a Rspack plugin (see ./unplugin.ts). */
import { injectClientUnplugin } from "./unplugin.js";

import type { InjectClientWebpackPlugin, InjectClientPluginOptions } from "./plugin-types.js";

export type { InjectClientPluginOptions, InjectClientWebpackPlugin } from "./plugin-types.js";
export const injectClient: (options?: InjectClientPluginOptions) => InjectClientWebpackPlugin = injectClientUnplugin.rspack;
export default injectClient;
