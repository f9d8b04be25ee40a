import type * as ts from "typescript";
import { occurrences } from "./core/offsets.js";
import type { TypeScriptApi } from "./typescript-api.js";

/** The import string rewritten code uses to reach the runtime (see docs/architecture.md). */
export const RUNTIME_MODULE = "inject-client/runtime";

/** The tag as written (a tag line is stricter: `hasTagLine`). */
export const TAG_TEXT = "@injectClient";
const INJECTED_TEXT = "injected";
/**
 * A JSDoc line that starts with the tag (after the optional `*`), as JSDoc reads tags: prose that
 * mentions `@injectClient` mid-line is not a tag, and neither is `@injectClientFoo`.
 */
const TAG_LINE = /^\s*(?:\*\s*)?@injectClient(?![\w$])/;

export function hasTagLine(commentBody: string): boolean {
  return commentBody.split(/\r?\n/).some((line) => TAG_LINE.test(line));
}

/**
 * Cheap pre-check on the raw text, before any AST walk: a file needs the transformer only if it
 * carries the tag, or imports the runtime and names `injected` (where `injected()` could be
 * misused: every way to reach it spells the name, an alias's import included). Every other file
 * is returned untouched, so its output is byte-identical to plain tsc.
 */
export function mayNeedTransform(text: string): boolean {
  return text.includes(TAG_TEXT) || (text.includes(RUNTIME_MODULE) && text.includes(INJECTED_TEXT));
}

/**
 * The same check as a bundler's native hook filter (`transform.filter.code`): a superset of
 * `mayNeedTransform` that a regular expression can say, so untagged modules never reach JavaScript.
 */
export const MAY_NEED_TRANSFORM = /@injectClient|injected/;

/** Offsets of every `@injectClient` occurrence in the text (comments, strings, anywhere): candidates for a tag. */
export function tagOffsets(text: string): number[] {
  return occurrences(text, TAG_TEXT);
}

/**
 * The `/** ... *\/` comment in front of `node` (in its leading trivia) that carries the tag, if any.
 *
 * Read from the leading comment text, not `ts.getJSDocTags`: since TypeScript 5.3, tsc (and so
 * tspc) skips JSDoc parsing in .ts files, and `getJSDocTags` returns nothing there.
 */
export function taggedCommentBefore(tsInstance: TypeScriptApi, text: string, node: ts.Node): ts.CommentRange | undefined {
  // Comments on the same line as the previous token count as that token's "trailing" comments
  // (`const f = /** @injectClient */ async () => ...`); both kinds sit in the node's leading trivia.
  const comments = [...(tsInstance.getTrailingCommentRanges(text, node.pos) ?? []), ...(tsInstance.getLeadingCommentRanges(text, node.pos) ?? [])];
  return comments.find(
    (comment) =>
      comment.kind === tsInstance.SyntaxKind.MultiLineCommentTrivia &&
      text.startsWith("/**", comment.pos) &&
      hasTagLine(text.slice(comment.pos + 3, comment.end - 2)),
  );
}

/** `"use strict";` and friends: statements that must stay first in a body or file. */
export function isDirective(tsInstance: TypeScriptApi, statement: ts.Statement): boolean {
  return tsInstance.isExpressionStatement(statement) && tsInstance.isStringLiteral(statement.expression);
}
