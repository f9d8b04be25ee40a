// A small value sampler for the corpus's wire phase: one valid-looking value per JSON Schema, from
// `const`/`enum`/`example`/`default` when the schema has them, else from its type, format and bounds.
// Deterministic and bounded (depth, items, properties), so that hostile schemas (cycles, huge unions)
// give up with `undefined` rather than loop. Whether a sample is valid is checked afterwards against
// the spec's own validators (FaithfulServer.schemaProblems): a schema it cannot satisfy is skipped, not
// counted as a client failure.

type Schema = Record<string, unknown>;

const MAX_DEPTH = 6;
const MAX_PROPERTIES = 12;

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface SampleOptions {
  /** Request bodies leave out readOnly properties (a client does not send them). */
  request?: boolean;
  /**
   * `format: binary` as bytes (multipart parts, octet-stream bodies). Off in JSON bodies and parameters,
   * where such a field can only be text.
   */
  bytes?: boolean;
}

const FORMATS: Record<string, string> = {
  "date-time": "2024-01-02T03:04:05Z",
  date: "2024-01-02",
  time: "03:04:05Z",
  uuid: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
  email: "someone@example.com",
  "idn-email": "someone@example.com",
  uri: "https://example.com/a",
  "uri-reference": "https://example.com/a",
  url: "https://example.com/a",
  hostname: "example.com",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  byte: "AQID",
  duration: "P1D",
};

function firstType(schema: Schema): string | undefined {
  if (Array.isArray(schema.type)) return ((schema.type as unknown[]).find((type) => type !== "null") as string | undefined) ?? "null";
  if (typeof schema.type === "string") return schema.type;
  if (isObject(schema.properties) || isObject(schema.additionalProperties)) return "object";
  if (schema.items !== undefined) return "array";
  return undefined;
}

/** Strings that fit the common id-like patterns; anything cleverer is left to the spec's examples. */
const PATTERN_CANDIDATES = [
  "abc",
  "123",
  "a1",
  "ABC",
  "abc-123",
  "abc_123",
  "A1",
  "1.0",
  "2024-01-02",
  "3fa85f64-5717-4562-b3fc-2c963f66afa6",
  "a",
  "1",
];

function matchingCandidate(pattern: string): string | undefined {
  // JSON Schema patterns are ECMA-262 with the u flag; specs often escape what u forbids (`\/`): retry without.
  for (const flags of ["u", ""]) {
    try {
      const regex = new RegExp(pattern, flags);
      return PATTERN_CANDIDATES.find((candidate) => regex.test(candidate));
    } catch {
      // not a regular expression with these flags
    }
  }
  return undefined;
}

function sampleString(schema: Schema, options: SampleOptions): string | Uint8Array {
  const format = typeof schema.format === "string" ? schema.format : "";
  if (format === "binary" && options.bytes) return Uint8Array.from([1, 2, 3, 250]);
  let text = FORMATS[format] ?? "abc";
  if (typeof schema.pattern === "string") text = matchingCandidate(schema.pattern) ?? text;
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
  if (text.length < min) text = text.padEnd(Math.min(min, 1000), "x");
  if (text.length > max) text = text.slice(0, Math.max(max, 0));
  return text;
}

function sampleNumber(schema: Schema, integer: boolean): number {
  const step = typeof schema.multipleOf === "number" && schema.multipleOf > 0 ? schema.multipleOf : integer ? 1 : 0;
  let low =
    typeof schema.minimum === "number"
      ? schema.minimum
      : typeof schema.exclusiveMinimum === "number"
        ? schema.exclusiveMinimum + (step || 1)
        : undefined;
  if (schema.exclusiveMinimum === true && typeof schema.minimum === "number") low = schema.minimum + (step || 1);
  const high =
    typeof schema.maximum === "number"
      ? schema.maximum
      : typeof schema.exclusiveMaximum === "number"
        ? schema.exclusiveMaximum - (step || 1)
        : undefined;
  let value = low ?? (high !== undefined && high < 1 ? high : 1);
  if (step > 0) value = Math.ceil(value / step) * step;
  return integer ? Math.ceil(value) : value;
}

/** Whether a value has one of the schema's declared types (specs give `default: "1"` for integers). */
function fitsType(value: unknown, schema: Schema): boolean {
  const declared = Array.isArray(schema.type) ? (schema.type as unknown[]) : typeof schema.type === "string" ? [schema.type] : [];
  if (declared.length === 0) return true;
  return declared.some((type) => {
    switch (type) {
      case "integer":
        return Number.isInteger(value);
      case "number":
        return typeof value === "number";
      case "array":
        return Array.isArray(value);
      case "object":
        return isObject(value);
      case "null":
        return value === null;
      default:
        return typeof value === type;
    }
  });
}

function example(schema: Schema): { value: unknown } | undefined {
  const candidates: unknown[] = [];
  if ("const" in schema) candidates.push(schema.const);
  if (Array.isArray(schema.enum)) candidates.push(...(schema.enum as unknown[]).filter((value) => value !== null));
  if (schema.example !== undefined) candidates.push(schema.example);
  if (Array.isArray(schema.examples)) candidates.push(...(schema.examples as unknown[]));
  if (schema.default !== undefined) candidates.push(schema.default);
  const fitting = candidates.find((value) => fitsType(value, schema));
  return fitting === undefined ? undefined : { value: fitting };
}

/** `[]` and `{}`: a style writes nothing for them (RFC 6570: undefined), so they cannot round-trip. */
export function isEmptyContainer(value: unknown): boolean {
  return (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

/** A value for `schema`, or undefined when this sampler cannot make one. */
export function sampleValue(schema: unknown, options: SampleOptions = {}, depth = 0): unknown {
  if (depth > MAX_DEPTH) return undefined;
  if (schema === true || schema === undefined) return "abc";
  if (!isObject(schema)) return undefined;
  // Bytes, whatever the example says (`example: "<binary string>"`): a client sends a Blob or a Uint8Array.
  if (options.bytes && schema.format === "binary" && (schema.type === "string" || schema.type === undefined)) return Uint8Array.from([1, 2, 3, 250]);
  const given = example(schema);
  if (given && !(given.value instanceof Object && depth >= MAX_DEPTH)) return structuredClone(given.value);
  if (Array.isArray(schema.allOf)) {
    const parts = (schema.allOf as unknown[]).slice(0, 8).map((part) => sampleValue(part, options, depth + 1));
    if (parts.some((part) => part === undefined)) return undefined;
    if (parts.every(isObject)) {
      const own =
        firstType(schema) === "object" || isObject(schema.properties) ? sampleValue({ ...schema, allOf: undefined }, options, depth + 1) : {};
      return Object.assign({}, ...parts, isObject(own) ? own : {});
    }
    return parts[0];
  }
  for (const key of ["oneOf", "anyOf"]) {
    const options_ = schema[key];
    if (!Array.isArray(options_)) continue;
    const ordered = [...(options_ as unknown[])]
      .slice(0, 8)
      .sort((a, b) => Number(isObject(a) && a.type === "null") - Number(isObject(b) && b.type === "null"));
    for (const option of ordered) {
      const value = sampleValue(
        isObject(option) && isObject(schema.properties) ? { ...schema, [key]: undefined, ...option } : option,
        options,
        depth + 1,
      );
      if (value !== undefined) return value;
    }
    return undefined;
  }
  switch (firstType(schema)) {
    case "string":
      return sampleString(schema, options);
    case "integer":
      return sampleNumber(schema, true);
    case "number":
      return sampleNumber(schema, false);
    case "boolean":
      return true;
    case "null":
      return null;
    case "array": {
      const min = typeof schema.minItems === "number" ? schema.minItems : 0;
      const max = typeof schema.maxItems === "number" ? schema.maxItems : Infinity;
      // Two items where allowed: a delimiter only shows between two.
      const count = Math.min(Math.max(min, schema.uniqueItems === true ? 1 : 2), max, 16);
      const item = sampleValue(schema.items, options, depth + 1);
      if (item === undefined) return min === 0 ? [] : undefined;
      return Array.from({ length: count }, () => structuredClone(item));
    }
    case "object": {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = new Set(
        Array.isArray(schema.required) ? (schema.required as unknown[]).filter((name): name is string => typeof name === "string") : [],
      );
      const out: Record<string, unknown> = {};
      let optional = 0;
      for (const [name, property] of Object.entries(properties)) {
        if (options.request && isObject(property) && property.readOnly === true && !required.has(name)) continue;
        const needed = required.has(name);
        // Optional properties near the top only: enough to exercise serialization, bounded on deep schemas.
        if (!needed && (depth > 2 || optional >= MAX_PROPERTIES)) continue;
        const value = sampleValue(property, options, depth + 1);
        if (value === undefined) {
          if (needed) return undefined;
          continue;
        }
        if (!needed && isEmptyContainer(value)) continue;
        if (!needed) optional++;
        out[name] = value;
      }
      for (const name of required) if (!(name in out) && !(name in properties)) out[name] = "abc";
      if (Object.keys(properties).length === 0 && isObject(schema.additionalProperties)) {
        const value = sampleValue(schema.additionalProperties, options, depth + 1);
        if (value !== undefined) out.key = value;
      }
      return out;
    }
    default:
      return "abc";
  }
}
