// JSON Pointers (RFC 6901) in URI fragments, as `$ref`s write them: `#/components/schemas/a~1b`.
// Written here rather than taken from @redocly/openapi-core: its `unescapePointer` throws on a key such as
// "100%" (hostile or merely odd specs have them) and undoes `~1` before percent-decoding, the reverse of the RFC.

export function encodePointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function decodePointerSegment(raw: string): string {
  let segment = raw;
  try {
    segment = decodeURIComponent(raw);
  } catch {
    // A key such as "100%" is not percent-encoded: keep it as written.
  }
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** `#/a/b~1c` → `["a", "b/c"]`; `#` → `[]` (the whole document); undefined for a ref that is not local. */
export function localPointerSegments(ref: string): string[] | undefined {
  if (ref === "#") return [];
  if (!ref.startsWith("#/")) return undefined;
  return ref.slice(2).split("/").map(decodePointerSegment);
}

/** The node a local `$ref` points at, through own properties only (`#/constructor` points nowhere), or undefined. */
export function resolveLocalPointer(document: unknown, ref: string): unknown {
  const segments = localPointerSegments(ref);
  if (!segments) return undefined;
  let node: unknown = document;
  for (const segment of segments) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
