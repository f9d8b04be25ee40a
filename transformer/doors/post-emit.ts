/**
 * The post-emit door, for compilers that run no transformer (TypeScript 7's `tsc`, or any emit):
 * rewrites the emitted JavaScript of a directory in place. Keys and misuse come from the TypeScript
 * source each file's source map names (the emit erased the annotations); an existing `.js.map` is
 * chained, so it still maps to the source. All or nothing: with any diagnostic, no file is written.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import remapping from "@jridgewell/remapping";
import { transformCode, type CoreDiagnostic } from "../core/index.js";

export interface PostEmitResult {
  /** Files rewritten (or that would be, when there are diagnostics: then none is written). */
  rewritten: string[];
  diagnostics: CoreDiagnostic[];
}

interface EmittedMap {
  version: number;
  sources: string[];
  sourcesContent?: Array<string | null>;
  sourceRoot?: string;
  [field: string]: unknown;
}

const EMITTED = /\.[cm]?js$/;

function emittedFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => EMITTED.test(file) && !/(^|[/\\])node_modules([/\\]|$)/.test(file))
    .map((file) => join(dir, file))
    .filter((file) => statSync(file).isFile())
    .sort();
}

/** The map the file's `sourceMappingURL` names, or `<file>.map`. */
function readMap(file: string, code: string): { path: string; map: EmittedMap } | undefined {
  const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code)?.[1];
  const path = url && !url.startsWith("data:") ? resolve(dirname(file), decodeURIComponent(url)) : `${file}.map`;
  if (!existsSync(path)) return undefined;
  return { path, map: JSON.parse(readFileSync(path, "utf8")) as EmittedMap };
}

function sourceOf(mapPath: string, map: EmittedMap): { code: string; fileName: string } | undefined {
  if (map.sources.length !== 1) return undefined;
  const fileName = resolve(dirname(mapPath), map.sourceRoot ?? "", map.sources[0]!);
  const code = map.sourcesContent?.[0] ?? (existsSync(fileName) ? readFileSync(fileName, "utf8") : undefined);
  return code === undefined ? undefined : { code, fileName };
}

export function transformEmitted(outDir: string, options: { write?: boolean } = {}): PostEmitResult {
  const result: PostEmitResult = { rewritten: [], diagnostics: [] };
  const writes: Array<[path: string, text: string]> = [];
  for (const file of emittedFiles(outDir)) {
    const code = readFileSync(file, "utf8");
    const emitted = readMap(file, code);
    const output = transformCode(code, file, { source: emitted && sourceOf(emitted.path, emitted.map) });
    if (!output) continue;
    result.diagnostics.push(...output.diagnostics);
    if (!output.edited) continue;
    result.rewritten.push(file);
    writes.push([file, output.code]);
    if (emitted && output.map) {
      // The new map goes from the rewritten file to the emitted one; the emitted map from there to the source.
      const chained = remapping([output.map as never, emitted.map as never], () => null, { excludeContent: !emitted.map.sourcesContent });
      chained.sources = emitted.map.sources;
      writes.push([emitted.path, JSON.stringify(chained)]);
    }
  }
  if (options.write !== false && result.diagnostics.length === 0) for (const [path, text] of writes) writeFileSync(path, text);
  return result;
}
