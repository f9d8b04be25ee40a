/**
 * The slice of oxc-parser's ESTree (TS-ESTree flavoured) the core reads. Nodes are typed loosely on
 * purpose: the core only ever reads a handful of fields, by node type, and checks each before use.
 */
// The visitor keys alone: oxc-parser's entry loads its native binding, which a host's own parser spares (./transform.ts).
import visitorKeys from "oxc-parser/src-js/generated/visit/keys";

export interface AstNode {
  type: string;
  start: number;
  end: number;
  // oxc's nodes carry many more fields; the core reads them by name after checking `type`.
  [field: string]: any;
}

export type Comment = { type: "Line" | "Block"; value: string; start: number; end: number };

export interface ParsedFile {
  program: AstNode;
  comments: Comment[];
  /** Read from the parse on first use (only a file that may be CommonJS asks). */
  readonly hasModuleSyntax: boolean;
}

export type Language = "ts" | "tsx" | "js" | "jsx";

/**
 * oxc-parser's `parseSync`, or the same function from a host that has oxc loaded already (Rolldown's
 * `rolldown/utils`): the core reads `errors`, `comments` and `program` of every parse, `module` only
 * for a file that may be CommonJS.
 */
export type ParseSync = (
  fileName: string,
  code: string,
  options: { lang: Language; sourceType: "module" | "unambiguous"; preserveParens: boolean },
) => { readonly program: unknown; readonly comments: unknown; readonly errors: readonly unknown[]; readonly module: { hasModuleSyntax: boolean } };

/** `.ts`/`.mts`/`.cts`/`.tsx`, emitted `.js`/`.mjs`/`.cjs`/`.jsx`: the language oxc should read. */
export function languageOf(fileName: string): Language | undefined {
  const match = /\.([cm]?)(ts|js)(x?)$/.exec(fileName);
  if (!match) return undefined;
  if (match[3]) return match[1] ? undefined : match[2] === "ts" ? "tsx" : "jsx";
  return match[2] as "ts" | "js";
}

/** Parses, or returns undefined on a syntax error: the next tool in the chain reports it, in its own words. */
export function parse(parser: ParseSync, fileName: string, code: string, lang: Language): ParsedFile | undefined {
  // TypeScript files are modules; emitted JavaScript may be CommonJS (`require`, sloppy mode allowed).
  const sourceType = lang === "ts" || lang === "tsx" ? "module" : "unambiguous";
  const result = parser(fileName, code, { lang, sourceType, preserveParens: true });
  if (result.errors.length > 0) return undefined;
  return {
    program: result.program as AstNode,
    comments: result.comments as Comment[],
    get hasModuleSyntax() {
      return result.module.hasModuleSyntax;
    },
  };
}

export function isNode(value: unknown): value is AstNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/** The child nodes of `node`, in source order. */
export function forEachChild(node: AstNode, visit: (child: AstNode) => void): void {
  const keys = (visitorKeys as Record<string, readonly string[] | undefined>)[node.type];
  if (!keys) return;
  for (const key of keys) {
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) visit(item);
    } else if (isNode(value)) visit(value);
  }
}

/** `(x)`, `x as T`, `x satisfies T`, `x!`: the expression inside (as TypeScript's transformer skips them). */
export function skipWrappers(node: AstNode): AstNode {
  let current = node;
  while (
    current.type === "ParenthesizedExpression" ||
    current.type === "TSAsExpression" ||
    current.type === "TSSatisfiesExpression" ||
    current.type === "TSNonNullExpression"
  ) {
    current = current.expression as AstNode;
  }
  return current;
}

/** A property key or a module export name as written: `a`, `"a"`; undefined for a computed key or a number. */
export function staticName(node: AstNode | null | undefined, computed = false): string | undefined {
  if (!node || computed) return undefined;
  if (node.type === "Identifier") return node.name as string;
  if (node.type === "Literal" && typeof node.value === "string") return node.value;
  return undefined;
}

export const isFunctionLike = (node: AstNode): boolean =>
  node.type === "FunctionDeclaration" ||
  node.type === "FunctionExpression" ||
  node.type === "ArrowFunctionExpression" ||
  node.type === "TSDeclareFunction" ||
  node.type === "TSEmptyBodyFunctionExpression";

/** 1-based line and column of each offset, from one scan of the text. */
export class LineMap {
  readonly #starts: number[] = [0];
  constructor(text: string) {
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) this.#starts.push(at + 1);
  }
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.#starts[low]! + 1 };
  }
}
