/**
 * `@inject-client/transformer/bun`: the transform as a Bun plugin. As a `bunfig.toml` preload
 * (`preload = ["@inject-client/transformer/bun"]`) it registers itself with `Bun.plugin`; the default
 * export is the plugin, for `Bun.build({ plugins: [...] })`. Not run here: there is no Bun on this machine.
 */
import { injectClientUnplugin } from "./unplugin.js";

export const injectClient = injectClientUnplugin.bun;
const bun = (globalThis as { Bun?: { plugin(plugin: unknown): void } }).Bun;
// unplugin's Bun adapter reads `Bun.version`: build the plugin only under Bun.
const plugin = bun ? injectClient() : undefined;
if (plugin) bun!.plugin(plugin);
export default plugin;
