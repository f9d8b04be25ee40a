// The type openapi-typescript writes for a parameter, when it is a plain keyword (`string`, `number`,
// `boolean`): a signature can then say `id: string` rather than index into `paths`, and mean exactly the
// same type. Anything that could make openapi-typescript write something else (an enum, a const, `nullable`,
// a list of types, a composition, our binary `Blob | Uint8Array`, a key not listed here) is not plain.
import type { ParameterObject, ReferenceObject, SchemaObject } from "openapi-typescript";

export type PlainType = "string" | "number" | "boolean";

const PLAIN_TYPES: ReadonlyMap<unknown, PlainType> = new Map([
  ["string", "string"],
  ["integer", "number"],
  ["number", "number"],
  ["boolean", "boolean"],
]);

/** Keys of a primitive schema that openapi-typescript turns into JSDoc or ignores: constraints and docs. */
const INERT_KEYS: ReadonlySet<string> = new Set([
  "type",
  "format",
  "title",
  "description",
  "example",
  "examples",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "externalDocs",
  "xml",
  "$comment",
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "nullable",
]);

type Resolve = <T>(value: T | ReferenceObject) => T;

/**
 * The plain type of a parameter's schema, or undefined. `resolve` follows `$ref`s: openapi-typescript writes
 * a referenced schema as `components["schemas"]["Id"]`, which is the same type as the schema it names.
 */
export function plainParameterType(parameter: ParameterObject, resolve: Resolve): PlainType | undefined {
  // A parameter with `content` gets its media type's schema (emit-types.ts); one with neither is a string,
  // but that is rare enough to leave to `paths`.
  if (parameter.content !== undefined || parameter.schema === undefined) return undefined;
  let schema: unknown;
  try {
    schema = resolve<SchemaObject>(parameter.schema);
  } catch {
    return undefined; // a broken `$ref` is openapi-typescript's to report, where it writes the type
  }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return undefined;
  const record = schema as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (key.startsWith("x-")) continue;
    if (!INERT_KEYS.has(key)) return undefined;
    if (key === "nullable" && value !== false) return undefined;
    if (key === "format" && value === "binary") return undefined;
  }
  return PLAIN_TYPES.get(record.type);
}
