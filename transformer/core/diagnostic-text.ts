/**
 * A diagnostic of the core and the line every door prints for it: its own module, without the core's
 * dependencies, so a door can word its errors before (or without) loading the parser and magic-string.
 */
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

/** `path:line:col - error TSxxxxx: message`, the line the other doors print. */
export function formatCoreDiagnostic(diagnostic: CoreDiagnostic): string {
  return `${diagnostic.file}:${diagnostic.line}:${diagnostic.column} - error TS${diagnostic.code}: ${diagnostic.message}`;
}
