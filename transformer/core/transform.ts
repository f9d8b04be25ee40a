/**
 * The transform of ./index.ts with the parser passed in: a door whose host has oxc loaded already
 * (Rolldown, and Vite on it) hands over the host's `parseSync` and never loads oxc-parser's own binding.
 */
import { basename } from "node:path";
import MagicString, { type SourceMap } from "magic-string";
import { mayNeedTransform } from "../tag.js";
import { analyze, type Analysis, type AnalyzeOptions, type Finding, type Target } from "./analyze.js";
import type { ClientKey } from "./keys.js";
import { languageOf, LineMap, parse, type Language, type ParsedFile, type ParseSync } from "./ast.js";
import type { CoreDiagnostic } from "./diagnostic-text.js";
import { rewrite, type ModuleFormat } from "./rewrite.js";
import { sparseText } from "./sparse-text.js";

export type { ModuleFormat } from "./rewrite.js";
export type { ParseSync } from "./ast.js";
export { formatCoreDiagnostic, type CoreDiagnostic } from "./diagnostic-text.js";

export interface CoreOptions {
  /**
   * How the added imports are written: `import * as` (ESM) or `require` (CommonJS). Default: CommonJS
   * for .cjs/.cts and for JavaScript with no import/export but a `require(`, else ESM.
   */
  moduleFormat?: ModuleFormat;
  /**
   * For emitted JavaScript: the TypeScript it was compiled from. Its annotations give the keys (the
   * emit erased them), and its misuse is reported at its own lines, as tspc would.
   */
  source?: { code: string; fileName: string };
  /** Whether to build the source map (default true): a bundler whose output has no maps skips it. */
  sourceMap?: boolean;
}

export interface CoreResult {
  /** The edited code; the input itself when there were only diagnostics. */
  code: string;
  /** Whether `code` differs from the input (false when there were only diagnostics). */
  edited: boolean;
  /**
   * Maps the edited code back to the input, at every token (magic-string's `hires: "boundary"`: a
   * segment where each word or punctuator starts, which is where stack traces and breakpoints point);
   * undefined when nothing was edited or `sourceMap` was false.
   */
  map: SourceMap | undefined;
  diagnostics: CoreDiagnostic[];
}

function moduleFormatOf(fileName: string, code: string, parsed: ParsedFile): ModuleFormat {
  if (/\.c[jt]s$/.test(fileName)) return "cjs";
  if (/\.m[jt]s$/.test(fileName)) return "esm";
  return /\brequire\s*\(/.test(code) && !parsed.hasModuleSyntax ? "cjs" : "esm";
}

/** `transformCode` (./index.ts) with `parser` reading the files. */
export function transformWith(parser: ParseSync, code: string, fileName: string, options: CoreOptions = {}): CoreResult | undefined {
  if (fileName.endsWith(".d.ts") || /\.d\.[cm]ts$/.test(fileName) || !mayNeedTransform(code)) return undefined;
  const lang = languageOf(fileName);
  if (!lang) return undefined;
  let keyFor: ((index: number) => ClientKey | undefined) | undefined;
  if (options.source) {
    const original = analyzeSource(parser, options.source);
    if (original && original.diagnostics.length > 0) return { code, edited: false, map: undefined, diagnostics: original.diagnostics };
    keyFor = original ? (index) => original.targets[index]?.binding.key : undefined;
  }
  const analyzed = parseAndAnalyze(parser, fileName, code, lang, { keyFor });
  if (!analyzed) return undefined;
  const { parsed, targets, findings } = analyzed;
  if (targets.length === 0 && findings.length === 0) return undefined;
  const diagnostics = toDiagnostics(code, fileName, findings);
  if (targets.length === 0) return { code, edited: false, map: undefined, diagnostics };

  const s = new MagicString(code);
  rewrite(code, s, parsed.program, targets, options.moduleFormat ?? moduleFormatOf(fileName, code, parsed));
  return {
    code: s.toString(),
    edited: true,
    // Relative to the edited file, which sits where the input does.
    map:
      options.sourceMap === false
        ? undefined
        : s.generateMap({ hires: "boundary", source: basename(fileName), file: basename(fileName), includeContent: true }),
    diagnostics,
  };
}

function toDiagnostics(code: string, fileName: string, findings: Finding[]): CoreDiagnostic[] {
  if (findings.length === 0) return [];
  const lines = new LineMap(code);
  return findings.map(({ node, code: diagnosticCode, message }) => {
    const { line, column } = lines.position(node.start);
    return { code: diagnosticCode, message, file: fileName, start: node.start, length: node.end - node.start, line, column };
  });
}

function analyzeSource(
  parser: ParseSync,
  source: { code: string; fileName: string },
): { targets: Target[]; diagnostics: CoreDiagnostic[] } | undefined {
  const lang = languageOf(source.fileName);
  const analyzed = lang && mayNeedTransform(source.code) ? parseAndAnalyze(parser, source.fileName, source.code, lang) : undefined;
  if (!analyzed) return undefined;
  const { targets, findings } = analyzed;
  return { targets, diagnostics: toDiagnostics(source.code, source.fileName, findings) };
}

/**
 * Parses and analyses `code`, on its sparse text (./sparse-text.ts) where it has one and the analysis
 * of that is the file's; else on the whole text. `sparse: false` parses the whole text (the tests compare
 * the two). Undefined on a syntax error.
 */
export function parseAndAnalyze(
  parser: ParseSync,
  fileName: string,
  code: string,
  lang: Language,
  options: AnalyzeOptions = {},
  sparse = true,
): (Analysis & { parsed: ParsedFile; fromSparseText: boolean }) | undefined {
  const text = sparse && (lang === "ts" || lang === "js") ? sparseText(code) : undefined;
  const parsedSparse = text && parse(parser, fileName, text.text, lang);
  if (parsedSparse) {
    const analysis = analyze(code, parsedSparse, options);
    const bodies = analysis.targets.map((target) => target.fn.body as { start: number; end: number });
    if (text.serves(analysis.injectedNames, bodies)) return { ...analysis, parsed: parsedSparse, fromSparseText: true };
  }
  const parsed = parse(parser, fileName, code, lang);
  return parsed && { ...analyze(code, parsed, options), parsed, fromSparseText: false };
}
