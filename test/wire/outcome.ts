// What one client call did on the wire, judged from the faithful server's records: not sent (the
// client threw first), rejected (with the server's first reason), accepted with other values than the
// call's, accepted but answered wrong, or ok. Used by bench/wire/run.ts and the corpus's wire phase.
import type { FaithfulServer, WireRecord } from "./faithful-server.js";

export type Verdict = "ok" | "not sent" | "rejected" | "wrong operation" | "values changed" | "answer failed" | "answer changed";

export interface Outcome {
  verdict: Verdict;
  /** One line: the reason, the difference, or the client's error. */
  detail: string;
  record?: WireRecord;
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length})`;
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return "undefined";
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
  } catch {
    return String(value);
  }
}

/** The first place `actual` differs from `expected` (objects: only `expected`'s keys), or undefined. */
export function mismatch(actual: unknown, expected: unknown, at = ""): string | undefined {
  const here = at || "value";
  if (expected instanceof Uint8Array) {
    if (!(actual instanceof Uint8Array)) return `${here}: expected ${expected.length} bytes, got ${describe(actual)}`;
    if (actual.length !== expected.length) return `${here}: expected ${expected.length} bytes, got ${actual.length}`;
    const index = expected.findIndex((byte, i) => actual[i] !== byte);
    return index < 0 ? undefined : `${here}: byte ${index} is ${actual[index]}, expected ${expected[index]}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${here}: expected ${describe(expected)}, got ${describe(actual)}`;
    if (actual.length !== expected.length) return `${here}: expected ${describe(expected)}, got ${describe(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const inner = mismatch(actual[i], expected[i], `${here}[${i}]`);
      if (inner) return inner;
    }
    return undefined;
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual))
      return `${here}: expected ${describe(expected)}, got ${describe(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const inner = mismatch((actual as Record<string, unknown>)[key], value, at ? `${at}.${key}` : key);
      if (inner) return inner;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `${here}: expected ${describe(expected)}, got ${describe(actual)}`;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  // Parse errors quote the body: keep binary bytes out of a one-line report.
  return text
    .split("\n")[0]!
    .replace(/\p{Cc}/gu, "�")
    .slice(0, 300);
}

export interface Expectation {
  operation: string;
  /** A subset of the record's `decoded`. */
  decoded: Record<string, unknown>;
  /** What the call resolves with (omit to not check it). */
  result?: unknown;
  hasResult?: boolean;
}

/** Makes the call and judges it by the requests it made (the first one counts). */
export async function judgeCall(server: FaithfulServer, call: () => Promise<unknown>, expected: Expectation): Promise<Outcome> {
  const before = server.records.length;
  let result: unknown;
  let failure: unknown;
  let failed = false;
  try {
    result = await call();
  } catch (error) {
    failed = true;
    failure = error;
  }
  const first = server.records[before];
  if (!first) return { verdict: "not sent", detail: failed ? `the client threw: ${firstLine(failure)}` : "the client sent nothing" };
  // A request the wire cannot tell from another operation's is judged as the intended one.
  const intended = first.alternatives?.[expected.operation];
  const record: WireRecord = intended
    ? { ...first, operation: expected.operation, accepted: intended.problems.length === 0, problems: intended.problems, decoded: intended.decoded }
    : first;
  if (!record.accepted) {
    const problem = record.problems[0] ?? `HTTP ${record.status}`;
    // A request routed to another operation (a dropped fixed query) is rejected by that one's rules: say so.
    const elsewhere = record.operation !== undefined && record.operation !== expected.operation ? `as ${record.operation}: ` : "";
    return { verdict: "rejected", detail: `${elsewhere}${problem}`, record };
  }
  if (record.operation !== expected.operation)
    return { verdict: "wrong operation", detail: `matched ${record.operation}, not ${expected.operation}`, record };
  const changed = mismatch(record.decoded, expected.decoded);
  if (changed) return { verdict: "values changed", detail: changed, record };
  if (failed) return { verdict: "answer failed", detail: firstLine(failure), record };
  if (expected.hasResult !== false && "result" in expected) {
    const answer = mismatch(result, expected.result, "answer");
    if (answer) return { verdict: "answer changed", detail: answer, record };
  }
  return { verdict: "ok", detail: "", record };
}
