/** `@inject-client/transformer/esbuild`: the inject-client transform as a esbuild plugin (see ./unplugin.ts). */
import { injectClientUnplugin } from "./unplugin.js";

export type { InjectClientPluginOptions } from "./unplugin.js";
export const injectClient = injectClientUnplugin.esbuild;
export default injectClient;
