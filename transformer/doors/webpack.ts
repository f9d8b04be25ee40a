/** `@inject-client/transformer/webpack`: the inject-client transform as a webpack plugin (see ./unplugin.ts). */
import { injectClientUnplugin } from "./unplugin.js";

export type { InjectClientPluginOptions } from "./unplugin.js";
export const injectClient = injectClientUnplugin.webpack;
export default injectClient;
