/**
 * How a door takes the core's result: misuse thrown as one error whose lines read
 * `file:line:col - error TS470xx: …` (the bundler fails the build, a Node or Bun hook the import); the
 * result when the code was edited; undefined for a file to pass on as it is.
 */
import { formatCoreDiagnostic } from "../core/diagnostic-text.js";
import type { CoreResult } from "../core/transform.js";

export function editedOrThrow(result: CoreResult | undefined): CoreResult | undefined {
  if (!result) return undefined;
  if (result.diagnostics.length > 0) throw new Error(result.diagnostics.map(formatCoreDiagnostic).join("\n"));
  return result.edited ? result : undefined;
}
