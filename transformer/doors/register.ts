/**
 * `node --import @inject-client/transformer/register app.ts` (also `tsx --import …`): registers the
 * load hook that rewrites tagged files as Node loads them (see ./load-hook.ts). It tells the hook where
 * tsx's hooks are, if this process runs tsx, for the order in which tsx compiles first.
 */
import { register } from "node:module";
import { processLoaderSpecifiers, tsxHooksUrl } from "./tsx-hooks.js";

register("./load-hook.js", import.meta.url, { data: { tsx: tsxHooksUrl(processLoaderSpecifiers(), process.cwd(), import.meta.url) } });
