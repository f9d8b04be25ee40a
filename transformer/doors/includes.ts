/**
 * Which files a door rewrites: TypeScript sources outside node_modules, and JavaScript too when the
 * user's `include` asks for it, narrowed by `include` and `exclude`. The bundler doors and Bun's share it.
 */
import type { InjectClientPluginOptions } from "./plugin-types.js";

const TYPESCRIPT_FILE = /\.[cm]?tsx?$/;
export const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
export const NODE_MODULES = /[/\\]node_modules[/\\]/;

function matches(filter: RegExp | ((id: string) => boolean), id: string): boolean {
  return typeof filter === "function" ? filter(id) : filter.test(id);
}

/** Whether the door looks at `id` at all (the text check and the parse come later). */
export function includes(options: InjectClientPluginOptions, id: string): boolean {
  const file = id.split("?", 1)[0]!;
  if (!(options.include ? SOURCE_FILE : TYPESCRIPT_FILE).test(file) || NODE_MODULES.test(file) || file.startsWith("\0")) return false;
  if (options.include && !matches(options.include, file)) return false;
  return !(options.exclude && matches(options.exclude, file));
}
