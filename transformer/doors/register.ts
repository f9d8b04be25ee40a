/**
 * `node --import @inject-client/transformer/register app.ts` (also `tsx --import …`): registers the
 * load hook that rewrites tagged files as Node loads them (see ./load-hook.ts). It tells the hook where
 * tsx's hooks are, if this process runs tsx, for the order in which tsx compiles first. What `require`
 * loads through the CommonJS loader never reaches that hook (tsx compiles CommonJS TypeScript there): the
 * require hook (./require-hook.ts) rewrites those files in this thread.
 */
import { register } from "node:module";
import { installRequireHook } from "./require-hook.js";
import { processLoaderSpecifiers, tsxHooksUrl } from "./tsx-hooks.js";

/** Once per thread, however many copies of the package are imported: a second pair of hooks would rewrite the first's output again. */
const REGISTERED = Symbol.for("@inject-client/transformer/register");
const thread = globalThis as { [REGISTERED]?: true };

if (!thread[REGISTERED]) {
  thread[REGISTERED] = true;
  register("./load-hook.js", import.meta.url, { data: { tsx: tsxHooksUrl(processLoaderSpecifiers(), process.cwd(), import.meta.url) } });
  installRequireHook();
}
