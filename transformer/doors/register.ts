/**
 * `node --import @inject-client/transformer/register app.ts` (also `tsx --import …`): registers the
 * load hook that rewrites tagged files as Node loads them (see ./load-hook.ts).
 */
import { register } from "node:module";

register("./load-hook.js", import.meta.url);
