/** `@inject-client/transformer/rolldown`: the inject-client transform as a Rolldown plugin (see ./unplugin.ts). */
import { injectClientUnplugin } from "./unplugin.js";

export type { InjectClientPluginOptions } from "./unplugin.js";
export const injectClient = injectClientUnplugin.rolldown;
export default injectClient;
