/** `@inject-client/transformer/rspack`: the inject-client transform as a Rspack plugin (see ./unplugin.ts). */
import { injectClientUnplugin } from "./unplugin.js";

export type { InjectClientPluginOptions } from "./unplugin.js";
export const injectClient = injectClientUnplugin.rspack;
export default injectClient;
