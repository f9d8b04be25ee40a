/** `@inject-client/transformer/rollup`: the inject-client transform as a Rollup plugin (see ./unplugin.ts). */
import { injectClientUnplugin } from "./unplugin.js";

export type { InjectClientPluginOptions } from "./unplugin.js";
export const injectClient = injectClientUnplugin.rollup;
export default injectClient;
