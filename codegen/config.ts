// Where specs come from: the loader of openapi/specs.json (or any config passed with --config).
//
// {
//   "specs": [
//     { "name": "prefect", "input": ["${PREFECT_API_URL}/openapi.json", "../shared/openapi/prefect-v3.json"],
//       "out": "generated/prefect", "className": "PrefectClient", "profile": "prefect" }
//   ]
// }
//
// - Paths (`input` files, `out`) are relative to the project root: the nearest directory at or above the
//   config file that holds a package.json (the config's own directory when there is none).
// - `input` is a file path or an http(s) URL, or a list of them: the first candidate whose `${VARIABLES}`
//   are all set (and non-empty) in the environment is used.
// - `className` defaults to one derived from the spec's title; `profile` ("prefect" | "generic") is
//   detected from the spec when absent.
// - `allowExternalRefs: true` lets the spec's `$ref`s read files outside its folder and fetch URLs of
//   other origins (as --allow-external-refs does); by default they are refused.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { isInside } from "./output-dir.js";

export const DEFAULT_CONFIG = "openapi/specs.json";

export interface SpecEntry {
  name: string;
  /** The chosen input, variables substituted: a path relative to `root`, or a URL. */
  input: string;
  /** Absolute output directory. */
  out: string;
  /** `out` as written in the config, for messages. */
  outDisplay: string;
  className?: string;
  profile?: "prefect" | "generic";
  /** Lift the `$ref` confinement (see codegen/ref-policy.ts). */
  allowExternalRefs?: boolean;
}

export interface SpecsConfig {
  file: string;
  root: string;
  specs: SpecEntry[];
}

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    message: string,
    readonly location: string,
    /** 2 for a config the CLI refuses outright (outputs that are equal or nested), else 1. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

function projectRoot(configFile: string): string {
  let dir = path.dirname(configFile);
  for (;;) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.dirname(configFile);
    dir = parent;
  }
}

/** `${NAME}` -> the variable's value; undefined when one is unset or empty. A trailing `/` before `/` is dropped. */
export function substitute(template: string, env: NodeJS.ProcessEnv): string | undefined {
  let missing = false;
  const result = template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}(\/?)/g, (_match, name: string, slash: string) => {
    const value = env[name];
    if (value === undefined || value === "") {
      missing = true;
      return "";
    }
    return slash ? `${value.replace(/\/+$/, "")}/` : value;
  });
  return missing ? undefined : result;
}

export function loadSpecsConfig(file: string, env: NodeJS.ProcessEnv = process.env): SpecsConfig {
  const absolute = path.resolve(file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(absolute, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file (pass --input and --out, or --config <file>)" : (error as Error).message;
    throw new ConfigError(`cannot read the codegen config: ${why}`, absolute);
  }
  const specs = (raw as { specs?: unknown })?.specs;
  if (!Array.isArray(specs) || specs.length === 0) throw new ConfigError('the config needs a non-empty "specs" array', absolute);
  const root = projectRoot(absolute);
  const names = new Set<string>();
  const outs = new Set<string>();
  const entries = specs.map((entry: unknown, index): SpecEntry => {
    const where = `${absolute}#/specs/${index}`;
    if (typeof entry !== "object" || entry === null) throw new ConfigError("each spec must be an object", where);
    const { name, input, out, className, profile, allowExternalRefs } = entry as Record<string, unknown>;
    if (typeof name !== "string" || !name) throw new ConfigError('"name" must be a non-empty string', where);
    if (names.has(name)) throw new ConfigError(`two specs are named "${name}"`, where);
    names.add(name);
    const candidates =
      typeof input === "string" ? [input] : Array.isArray(input) && input.every((item) => typeof item === "string") ? (input as string[]) : undefined;
    if (!candidates || candidates.length === 0) throw new ConfigError('"input" must be a path or URL, or a list of them', where);
    const chosen = candidates.map((candidate) => substitute(candidate, env)).find((value) => value !== undefined);
    if (chosen === undefined) throw new ConfigError(`no "input" candidate has all its variables set: ${candidates.join(", ")}`, where);
    if (typeof out !== "string" || !out) throw new ConfigError('"out" must be a directory path', where);
    const outAbsolute = path.resolve(root, out);
    if (outs.has(outAbsolute)) throw new ConfigError(`two specs write to "${out}"`, where, 2);
    outs.add(outAbsolute);
    if (className !== undefined && typeof className !== "string") throw new ConfigError('"className" must be a string', where);
    if (profile !== undefined && profile !== "prefect" && profile !== "generic")
      throw new ConfigError('"profile" must be "prefect" or "generic"', where);
    if (allowExternalRefs !== undefined && typeof allowExternalRefs !== "boolean")
      throw new ConfigError('"allowExternalRefs" must be true or false', where);
    return { name, input: chosen, out: outAbsolute, outDisplay: out, className, profile, allowExternalRefs };
  });
  // Each run owns its output directory, so outputs must not overlap: the outer run would take the inner
  // output for a stranger's files, and deleting the outer output (as its refusals advise) deletes the inner.
  entries.forEach((entry, index) => {
    const outer = entries.find((other) => other !== entry && isInside(entry.out, other.out));
    if (outer) {
      throw new ConfigError(
        `the outputs of two specs are nested: "${entry.outDisplay}" (${entry.name}) is inside "${outer.outDisplay}" (${outer.name}); give each spec its own directory`,
        `${absolute}#/specs/${index}`,
        2,
      );
    }
  });
  return { file: absolute, root, specs: entries };
}
