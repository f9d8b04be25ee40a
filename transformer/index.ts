/**
 * Entry points that hand source files to the core (`transformSourceFile`):
 * - the default export is the ts-patch (tspc) plugin: `"plugins": [{ "transform": "@inject-client/transformer" }]`;
 * - `injectClientTransformer()` is a plain `ts.TransformerFactory` for `getCustomTransformers`
 *   (ts-node, ts-loader, the compiler API);
 * - `name`, `version` and `factory` make this module a ts-jest `astTransformers` entry.
 *
 * tspc loads plugins with `require()`, so this module is also built as CommonJS
 * (dist/transformer/cjs, the `require` condition of the `./transformer` export).
 */
import type * as ts from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import { formatDiagnostic } from "./diagnostics.js";
import { mayNeedTransform } from "./tag.js";
import { transformSourceFile } from "./transform-source-file.js";

export { InjectClientDiagnostic, formatDiagnostic } from "./diagnostics.js";
export type { InjectClientDiagnosticCode } from "./diagnostics.js";
export { transformSourceFile } from "./transform-source-file.js";
export type { TransformOptions, TransformResult } from "./transform-source-file.js";

/** The part of ts-patch's `TransformerExtras` this plugin uses (declared here so users need no ts-patch types). */
export interface TsPatchExtras {
  ts: TypeScriptApi;
  addDiagnostic(diagnostic: ts.Diagnostic): number;
}

/** ts-patch entry: `(program, config, extras) => TransformerFactory`. Misuse becomes a tspc error (non-zero exit). */
export default function injectClientPlugin(program: ts.Program, _config: unknown, extras: TsPatchExtras): ts.TransformerFactory<ts.SourceFile> {
  return createFactory(extras.ts, (diagnostic) => void extras.addDiagnostic(diagnostic), program);
}

export interface InjectClientTransformerOptions {
  /** The TypeScript instance the host compiles with. Defaults to `require("typescript")`. */
  typescript?: TypeScriptApi;
  /**
   * Receives each misuse diagnostic. Without it, the first one is thrown as an Error: hosts like
   * ts-node have no channel for transformer diagnostics, and a silent misuse would fail at run time.
   */
  onDiagnostic?: (diagnostic: ts.Diagnostic) => void;
  /**
   * The program being emitted, when there is one: its type checker tells a class imported by name from
   * an interface (TS47007 at compile time instead of an error when the function runs).
   */
  program?: ts.Program;
}

/** `getCustomTransformers: () => ({ before: [injectClientTransformer()] })` */
export function injectClientTransformer(options: InjectClientTransformerOptions = {}): ts.TransformerFactory<ts.SourceFile> {
  const tsInstance = options.typescript ?? loadTypeScript();
  const onDiagnostic =
    options.onDiagnostic ??
    ((diagnostic: ts.Diagnostic) => {
      throw new Error(formatDiagnostic(tsInstance, diagnostic));
    });
  return createFactory(tsInstance, onDiagnostic, options.program);
}

/** ts-jest `astTransformers` contract: `{ before: ["@inject-client/transformer"] }`. */
export const name = "inject-client";
export { VERSION as version } from "./version.js"; // the package's (ts-jest's cache key: a new version invalidates it)
export function factory(compiler: { configSet: { compilerModule: TypeScriptApi } }): ts.TransformerFactory<ts.SourceFile> {
  return injectClientTransformer({ typescript: compiler.configSet.compilerModule });
}

function createFactory(
  tsInstance: TypeScriptApi,
  onDiagnostic: (diagnostic: ts.Diagnostic) => void,
  program?: ts.Program,
): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (sourceFile) => {
    // The checker only for files the core will walk (it exists already once tsc has type-checked).
    const checker = program && mayNeedTransform(sourceFile.text) ? program.getTypeChecker() : undefined;
    const result = transformSourceFile(tsInstance, sourceFile, context, { checker });
    for (const diagnostic of result.diagnostics) onDiagnostic(diagnostic);
    return result.sourceFile;
  };
}

function loadTypeScript(): TypeScriptApi {
  // Resolved lazily so that the tspc entry, which is handed the compiler, never loads a second copy.
  const { createRequire } = process.getBuiltinModule("node:module") as typeof import("node:module");
  return createRequire(`${process.cwd()}/`)("typescript") as TypeScriptApi;
}
