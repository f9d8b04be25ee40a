/**
 * Where tsx's ESM hooks module (`tsx/esm`) is, when this process runs tsx: `tsx app.ts` starts node with
 * `--import …/tsx/dist/loader.mjs`, and `node --import tsx` names it too. The load hook needs it when tsx
 * registered its hooks before ours (`tsx --import @inject-client/transformer/register app.ts` on a Node
 * whose tsx uses `module.register`, as on Node 20): tsx then compiles each file before our hook sees
 * it, comments and tags gone, so the hook hands tsx the rewritten source itself (see ./load-hook.ts).
 */
import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const LOADER_FLAGS = new Set(["--import", "--loader", "--experimental-loader"]);

/** The specifiers of `--import x`, `--import=x`, `--loader x` … in `args`, in order. */
export function loaderSpecifiers(args: readonly string[]): string[] {
  const found: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const equals = arg.indexOf("=");
    if (equals > 0 && LOADER_FLAGS.has(arg.slice(0, equals))) found.push(arg.slice(equals + 1));
    else if (LOADER_FLAGS.has(arg) && index + 1 < args.length) found.push(args[++index]!);
  }
  return found;
}

function isTsx(specifier: string): boolean {
  return specifier === "tsx" || specifier.startsWith("tsx/") || /[/\\]tsx[/\\]dist[/\\]/.test(specifier);
}

/** Where node finds `specifier` (relative to cwd, as for `--import`), as a real path; undefined when it cannot tell. */
function locate(specifier: string, cwd: string): string | undefined {
  try {
    const path = specifier.startsWith("file:")
      ? fileURLToPath(specifier)
      : isAbsolute(specifier) || specifier.startsWith(".")
        ? resolve(cwd, specifier)
        : createRequire(join(cwd, "noop.js")).resolve(specifier);
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The file URL of `tsx/esm` when a tsx loader comes before this hook's `register` module (`self`) among
 * `specifiers` (or when this one is not among them, imported some other way): then tsx's hooks were
 * registered first. Undefined for no tsx, tsx after us (its hooks run first and see what ours return),
 * or a tsx that does not resolve.
 */
export function tsxHooksUrl(specifiers: readonly string[], cwd: string, self: string): string | undefined {
  const tsx = specifiers.findIndex(isTsx);
  if (tsx === -1) return undefined;
  const selfPath = realpathSync(fileURLToPath(self));
  const ours = specifiers.findIndex((specifier) => locate(specifier, cwd) === selfPath);
  if (ours !== -1 && ours < tsx) return undefined;
  // A path inside tsx resolves `tsx/esm` through the package's own name (its `exports`); a bare name from cwd, as node did.
  const specifier = specifiers[tsx]!;
  const from = specifier.startsWith("file:") ? fileURLToPath(specifier) : isAbsolute(specifier) ? specifier : join(cwd, "noop.js");
  try {
    return pathToFileURL(createRequire(from).resolve("tsx/esm")).href;
  } catch {
    return undefined;
  }
}

/** Node's own arguments and those in NODE_OPTIONS (which node reads first). */
export function processLoaderSpecifiers(): string[] {
  const fromEnvironment = (process.env.NODE_OPTIONS ?? "").split(/\s+/).filter(Boolean);
  return loaderSpecifiers([...fromEnvironment, ...process.execArgv]);
}
