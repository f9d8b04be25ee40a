// What one spec may cost: bytes read, values once YAML aliases are expanded, nesting, files, time.
// A load shares one budget between the spec and every document it refers to, so that many small
// files cannot add up to what one large file may not be.
import { CodegenError } from "./errors.js";
import { encodePointerSegment } from "./json-pointer.js";

export interface SpecLimits {
  /** Bytes read: the spec and every file or URL it refers to, together. */
  maxBytes: number;
  /**
   * Values (objects, arrays, scalars), counted at every place a YAML alias puts them: a 600-byte alias
   * bomb expands to a billion, and Redocly and openapi-typescript walk the expansion.
   */
  maxValues: number;
  /** Nesting of objects and arrays, aliases expanded (deeper documents overflow the walkers' stacks). */
  maxDepth: number;
  /** Files and URLs a spec may refer to. */
  maxDocuments: number;
  /** One HTTP request, body included. */
  fetchTimeoutMs: number;
  /** All the HTTP requests of one load. */
  totalFetchTimeoutMs: number;
  /** HTTP requests in flight at once. */
  maxConcurrentFetches: number;
}

// The largest real specs are far below these: GitHub's REST API is 13 MB and 258,000 values
// (73 MB and 1.2 million dereferenced); Prefect's is 1.3 MB and 21,000 values.
export const DEFAULT_SPEC_LIMITS: Readonly<SpecLimits> = Object.freeze({
  maxBytes: 64 * 1024 * 1024,
  maxValues: 4_000_000,
  maxDepth: 500,
  maxDocuments: 1000,
  fetchTimeoutMs: 30_000,
  totalFetchTimeoutMs: 120_000,
  maxConcurrentFetches: 8,
});

/** A limit was reached: the load stops, whichever document it was reading. */
export class SpecLimitError extends CodegenError {
  override name = "SpecLimitError";
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

/** Which document a limit was reached in: the spec itself or one it refers to. */
export type Subject = "spec" | "ref";

export class SpecBudget {
  readonly limits: SpecLimits;
  /** Aborts every request of the load once `totalFetchTimeoutMs` has passed. */
  readonly deadline: AbortSignal;
  private bytes = 0;
  private values = 0;
  private documents = 0;

  constructor(limits: Partial<SpecLimits> = {}) {
    this.limits = { ...DEFAULT_SPEC_LIMITS, ...limits };
    this.deadline = AbortSignal.timeout(this.limits.totalFetchTimeoutMs);
  }

  get bytesLeft(): number {
    return this.limits.maxBytes - this.bytes;
  }

  /** Throws once the bytes read so far, plus these, pass the limit. */
  spendBytes(count: number, subject: Subject, location: string): void {
    if (this.bytes + count > this.limits.maxBytes) {
      const limit = `${formatBytes(this.limits.maxBytes)}, the limit for a spec and the files it refers to`;
      throw new SpecLimitError(
        subject === "spec" ? `the spec is larger than ${limit}` : `the files the spec refers to make it larger than ${limit}`,
        location,
      );
    }
    this.bytes += count;
  }

  addDocument(location: string): void {
    this.documents += 1;
    if (this.documents > this.limits.maxDocuments)
      throw new SpecLimitError(`the spec refers to more than ${this.limits.maxDocuments} files and URLs`, location);
  }

  /**
   * Counts a parsed document's values as the tools that walk it will see them (aliases expanded),
   * without expanding anything: each distinct object is measured once. Throws on a limit or a cycle.
   */
  spendValues(document: unknown, subject: Subject, location: string): void {
    const measured = measure(document, this.limits.maxValues - this.values, this.limits.maxDepth);
    if (measured.kind === "ok") {
      this.values += measured.values;
      return;
    }
    if (measured.kind === "cycle") throw new SpecLimitError("a YAML alias refers to a node that contains it", `${location}${measured.pointer}`);
    if (measured.kind === "deep")
      throw new SpecLimitError(
        `the ${subject === "spec" ? "spec" : "file"} is nested more than ${this.limits.maxDepth} levels deep`,
        `${location}${measured.pointer}`,
      );
    const count = this.limits.maxValues.toLocaleString("en-US");
    const aliases = measured.aliased ? " once its YAML aliases are expanded (an alias bomb?)" : "";
    throw new SpecLimitError(
      subject === "spec"
        ? `the spec holds more than ${count} values${aliases}`
        : `the spec and the files it refers to hold more than ${count} values${aliases}`,
      location,
    );
  }
}

type Measured =
  | { kind: "ok"; values: number }
  | { kind: "big"; aliased: boolean }
  | { kind: "deep"; pointer: string }
  | { kind: "cycle"; pointer: string };

interface Size {
  values: number;
  height: number;
}

interface Frame {
  node: object;
  key: string;
  keys: string[];
  next: number;
  values: number;
  height: number;
}

const SCALAR: Size = { values: 1, height: 0 };

/** Iterative (a deep document must not overflow this walk either) and memoized by object identity. */
function measure(document: unknown, maxValues: number, maxDepth: number): Measured {
  if (document === null || typeof document !== "object") return { kind: "ok", values: 1 };
  const sizes = new Map<object, Size>();
  const open = new Set<object>();
  let aliased = false;
  const stack: Frame[] = [];
  const pointer = (extra: string[] = []) =>
    `#${[...stack.slice(1).map((frame) => frame.key), ...extra].map((key) => `/${encodePointerSegment(key)}`).join("")}`;
  const enter = (node: object, key: string) => {
    open.add(node);
    stack.push({ node, key, keys: Object.keys(node), next: 0, values: 1, height: 1 });
  };
  enter(document, "");
  while (stack.length > 0) {
    const frame = stack.at(-1)!;
    if (frame.next < frame.keys.length) {
      const key = frame.keys[frame.next++]!;
      const child = (frame.node as Record<string, unknown>)[key];
      let size: Size | undefined = child === null || typeof child !== "object" ? SCALAR : sizes.get(child);
      if (size === undefined) {
        if (open.has(child as object)) return { kind: "cycle", pointer: pointer([key]) };
        if (stack.length >= maxDepth) return { kind: "deep", pointer: pointer([key]) };
        enter(child as object, key);
        continue;
      }
      if (size !== SCALAR) aliased = true;
      if (stack.length + size.height > maxDepth)
        return { kind: "deep", pointer: pointer([key, ...deepestPath(child as object, sizes, maxDepth - stack.length)]) };
      frame.values += size.values;
      frame.height = Math.max(frame.height, size.height + 1);
      if (frame.values > maxValues) return { kind: "big", aliased };
      continue;
    }
    stack.pop();
    open.delete(frame.node);
    const size = { values: frame.values, height: frame.height };
    sizes.set(frame.node, size);
    const parent = stack.at(-1);
    if (!parent) return { kind: "ok", values: size.values };
    parent.values += size.values;
    parent.height = Math.max(parent.height, size.height + 1);
    if (parent.values > maxValues) return { kind: "big", aliased };
  }
  return { kind: "ok", values: 0 };
}

/** Inside an already measured (aliased) object: the keys down to the first node deeper than the limit. */
function deepestPath(node: object, sizes: Map<object, Size>, levelsLeft: number): string[] {
  const keys: string[] = [];
  let current = node;
  while (levelsLeft > 0) {
    let best: [string, object] | undefined;
    for (const key of Object.keys(current)) {
      const child = (current as Record<string, unknown>)[key];
      if (child !== null && typeof child === "object" && (!best || sizes.get(child)!.height > sizes.get(best[1])!.height)) best = [key, child];
    }
    if (!best) break;
    keys.push(best[0]);
    current = best[1];
    levelsLeft -= 1;
  }
  return keys;
}
