/**
 * The transform without TypeScript's compiler API: oxc-parser reads the file, magic-string edits it.
 * One pure function for every door that has no TypeScript program (bundlers, Node's loaders, Bun, the
 * post-emit CLI): code in, edited code and a source map (at every token) out, plus the same diagnostics
 * as the tspc door (codes TS47001…TS47007, messages, positions). A file without the tag (or the
 * runtime import) is not parsed at all, and an untouched file comes back as `undefined`.
 */
import { basename } from "node:path";
import MagicString, { type SourceMap } from "magic-string";
import { mayNeedTransform } from "../tag.js";
import { analyze, type Finding, type Target } from "./analyze.js";
import type { ClientKey } from "./keys.js";
import { languageOf, LineMap, parse } from "./ast.js";
import { rewrite, type ModuleFormat } from "./rewrite.js";

export type { ModuleFormat } from "./rewrite.js";

export interface CoreDiagnostic {
  code: number;
  /** Starts with `@injectClient: `, as tspc prints it. */
  message: string;
  file: string;
  /** 0-based offset and length in the input. */
  start: number;
  length: number;
  /** 1-based. */
  line: number;
  column: number;
}

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

/** `path:line:col - error TSxxxxx: message`, the line the other doors print. */
export function formatCoreDiagnostic(diagnostic: CoreDiagnostic): string {
  return `${diagnostic.file}:${diagnostic.line}:${diagnostic.column} - error TS${diagnostic.code}: ${diagnostic.message}`;
}

function moduleFormatOf(fileName: string, code: string, hasModuleSyntax: boolean): ModuleFormat {
  if (/\.c[jt]s$/.test(fileName)) return "cjs";
  if (/\.m[jt]s$/.test(fileName)) return "esm";
  return !hasModuleSyntax && /\brequire\s*\(/.test(code) ? "cjs" : "esm";
}

/**
 * Rewrites the tagged functions of one file. `undefined`: nothing to do (no tag, a declaration file, a
 * syntax error left for the next tool to report), so the caller passes the input on byte for byte.
 */
export function transformCode(code: string, fileName: string, options: CoreOptions = {}): CoreResult | undefined {
  if (fileName.endsWith(".d.ts") || /\.d\.[cm]ts$/.test(fileName) || !mayNeedTransform(code)) return undefined;
  const lang = languageOf(fileName);
  if (!lang) return undefined;
  const parsed = parse(fileName, code, lang);
  if (!parsed) return undefined;
  let keyFor: ((index: number) => ClientKey | undefined) | undefined;
  if (options.source) {
    const original = analyzeSource(options.source);
    if (original && original.diagnostics.length > 0) return { code, edited: false, map: undefined, diagnostics: original.diagnostics };
    keyFor = original ? (index) => original.targets[index]?.binding.key : undefined;
  }
  const { targets, findings } = analyze(code, parsed, { keyFor });
  if (targets.length === 0 && findings.length === 0) return undefined;
  const diagnostics = toDiagnostics(code, fileName, findings);
  if (targets.length === 0) return { code, edited: false, map: undefined, diagnostics };

  const s = new MagicString(code);
  rewrite(code, s, parsed.program, targets, options.moduleFormat ?? moduleFormatOf(fileName, code, parsed.hasModuleSyntax));
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

function analyzeSource(source: { code: string; fileName: string }): { targets: Target[]; diagnostics: CoreDiagnostic[] } | undefined {
  const lang = languageOf(source.fileName);
  const parsed = lang && mayNeedTransform(source.code) ? parse(source.fileName, source.code, lang) : undefined;
  if (!parsed) return undefined;
  const { targets, findings } = analyze(source.code, parsed);
  return { targets, diagnostics: toDiagnostics(source.code, source.fileName, findings) };
}
