import type * as ts from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";

/**
 * Stable codes for misuse of `@injectClient` / `injected()`. TypeScript prints them as
 * `error TS47001: ...`; 47xxx is a range TypeScript itself does not use.
 */
export const InjectClientDiagnostic = {
  /** The tag is on something that is not a function. */
  TagNotOnFunction: 47001,
  /** The tagged function is not async (or is a generator, accessor or constructor). */
  NotAsync: 47002,
  /** The tagged function has no `client` parameter and no destructured `client` property. */
  NoClientParameter: 47003,
  /** `injected()` is used somewhere the transformer does not replace it. */
  InjectedOutsideTaggedFunction: 47004,
  /** The tag is on an overload signature or a declaration without a body. */
  NoBody: 47005,
  /** `client` is bound in a way the rewrite cannot assign to (nested pattern, rest element). */
  UnsupportedClientBinding: 47006,
  /** A keyless `injected()` whose annotation names no class (an interface, a type alias, an inline type): write `injected(TheClass)`. */
  ClientClassUnknown: 47007,
} as const;

export type InjectClientDiagnosticCode = (typeof InjectClientDiagnostic)[keyof typeof InjectClientDiagnostic];

/** A diagnostic at `node`, in the shape tsc prints as file(line,col): error TSxxxxx: message. */
export function diagnosticAt(
  tsInstance: TypeScriptApi,
  sourceFile: ts.SourceFile,
  node: ts.Node,
  code: InjectClientDiagnosticCode,
  message: string,
): ts.Diagnostic {
  const start = node.getStart(sourceFile);
  return {
    file: sourceFile,
    start,
    length: node.getEnd() - start,
    category: tsInstance.DiagnosticCategory.Error,
    code,
    messageText: `@injectClient: ${message}`,
    source: "inject-client",
  };
}

/** `path:line:col - error TSxxxxx: message`, for hosts that have no diagnostics channel (Vite, ts-node). */
export function formatDiagnostic(tsInstance: TypeScriptApi, diagnostic: ts.Diagnostic): string {
  const message = tsInstance.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (!diagnostic.file || diagnostic.start === undefined) return `error TS${diagnostic.code}: ${message}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${diagnostic.file.fileName}:${line + 1}:${character + 1} - error TS${diagnostic.code}: ${message}`;
}
