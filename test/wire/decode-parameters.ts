// Strict decoding of parameters by the spec's `style` and `explode` (OpenAPI 3.1, "Style Values" and
// "Style Examples"): a value written in another style is a problem with a reason, never guessed at. This
// is what openapi-backend does not do: it splits `ids=3,4` for explode:false but also accepts
// `ids=3&ids=4`, and it does not decode label/matrix paths or exploded objects at all.
//
// Values come out as text (arrays and objects of text); `coerce` turns them into the schema's types so
// a test can compare them with the values the client was called with.
import type { JsonObject } from "./spec-operations.js";

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  style?: string;
  explode?: boolean;
  schema?: unknown;
  content?: Record<string, { schema?: unknown } | undefined>;
}

export type Shape = "array" | "object" | "primitive";

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function types(schema: JsonObject): string[] {
  return Array.isArray(schema.type)
    ? (schema.type as unknown[]).filter((t): t is string => typeof t === "string")
    : typeof schema.type === "string"
      ? [schema.type]
      : [];
}

/** Whether a schema describes an array, an object or a primitive (what decides how a style writes it). */
export function shapeOf(schema: unknown, depth = 0): Shape {
  if (!isObject(schema) || depth > 4) return "primitive";
  const declared = types(schema);
  if (declared.includes("array")) return "array";
  if (declared.includes("object")) return "object";
  if (declared.length > 0) return "primitive";
  if (schema.items !== undefined) return "array";
  if (isObject(schema.properties) || isObject(schema.additionalProperties)) return "object";
  for (const key of ["allOf", "oneOf", "anyOf"]) {
    const list = schema[key];
    if (!Array.isArray(list)) continue;
    for (const sub of list) {
      const shape = shapeOf(sub, depth + 1);
      if (shape !== "primitive") return shape;
    }
  }
  return "primitive";
}

function scalarTypes(schema: unknown, depth = 0): string[] {
  if (!isObject(schema) || depth > 4) return [];
  const own = types(schema);
  if (own.length > 0) return own;
  const out: string[] = [];
  for (const key of ["allOf", "oneOf", "anyOf"]) {
    const list = schema[key];
    if (Array.isArray(list)) for (const sub of list) out.push(...scalarTypes(sub, depth + 1));
  }
  if (out.length === 0 && Array.isArray(schema.enum))
    for (const value of schema.enum as unknown[]) out.push(typeof value === "number" ? "number" : typeof value);
  return out;
}

/** Text decoded from the wire, turned into the schema's types: `"3"` -> 3 for an integer, `"true"` -> true. */
export function coerce(value: unknown, schema: unknown, depth = 0): unknown {
  if (depth > 16) return value;
  if (Array.isArray(value)) {
    const items = isObject(schema) ? schema.items : undefined;
    return value.map((item) => coerce(item, items, depth + 1));
  }
  if (isObject(value)) {
    const properties = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
    const additional = isObject(schema) ? schema.additionalProperties : undefined;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, coerce(item, properties[key] ?? (isObject(additional) ? additional : undefined), depth + 1)]),
    );
  }
  if (typeof value !== "string") return value;
  const declared = scalarTypes(schema);
  if (declared.includes("string") || declared.length === 0) return value;
  if ((declared.includes("integer") || declared.includes("number")) && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)) return Number(value);
  if (declared.includes("boolean") && (value === "true" || value === "false")) return value === "true";
  if (declared.includes("null") && (value === "" || value === "null")) return null;
  return value;
}

/** Percent-decoding that reports malformed escapes instead of passing them on. */
export function percentDecode(raw: string, plusIsSpace: boolean, where: string, problems: string[]): string {
  const text = plusIsSpace ? raw.replace(/\+/g, " ") : raw;
  try {
    return decodeURIComponent(text);
  } catch {
    problems.push(`${where}: malformed percent-encoding in ${JSON.stringify(raw)}`);
    return text;
  }
}

export interface QueryPair {
  rawKey: string;
  rawValue: string | undefined;
  key: string;
  value: string | undefined;
  claimed: boolean;
}

/**
 * `a=1&b` -> pairs, keys decoded (values stay raw too: delimiters of explode:false styles are raw
 * characters, data is percent-encoded). `+` is a space, as every server's query parser reads it.
 */
export function parseQuery(raw: string | undefined, problems: string[], plusIsSpace = true): QueryPair[] {
  if (raw === undefined || raw === "") return [];
  return raw
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const equals = pair.indexOf("=");
      const rawKey = equals < 0 ? pair : pair.slice(0, equals);
      const rawValue = equals < 0 ? undefined : pair.slice(equals + 1);
      const key = percentDecode(rawKey, plusIsSpace, "query key", problems);
      const value = rawValue === undefined ? undefined : percentDecode(rawValue, plusIsSpace, `query parameter ${JSON.stringify(key)}`, problems);
      return { rawKey, rawValue, key, value, claimed: false };
    });
}

function splitRaw(raw: string, delimiter: RegExp, plusIsSpace: boolean, where: string, problems: string[]): string[] {
  return raw.split(delimiter).map((part) => percentDecode(part, plusIsSpace, where, problems));
}

function pairsToObject(items: string[], where: string, problems: string[]): Record<string, string> | undefined {
  if (items.length % 2 !== 0) {
    problems.push(`${where}: an object without explode is \`key,value,key,value\`; got ${items.length} items`);
    return undefined;
  }
  const object: Record<string, string> = {};
  for (let i = 0; i < items.length; i += 2) object[items[i]!] = items[i + 1]!;
  return object;
}

function keyValueList(items: string[], where: string, problems: string[]): Record<string, string> | undefined {
  const object: Record<string, string> = {};
  for (const item of items) {
    const equals = item.indexOf("=");
    if (equals < 0) {
      problems.push(`${where}: an exploded object is \`key=value\` items; got ${JSON.stringify(item)}`);
      return undefined;
    }
    object[item.slice(0, equals)] = item.slice(equals + 1);
  }
  return object;
}

function isJsonMediaType(mediaType: string): boolean {
  return /^application\/(.+\+)?json(;|$)/i.test(mediaType.trim()) || /\/[^;]*json/i.test(mediaType);
}

function contentValue(parameter: ParameterObject, text: string, where: string, problems: string[]): unknown {
  const mediaType = Object.keys(parameter.content ?? {})[0] ?? "";
  if (!isJsonMediaType(mediaType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    problems.push(`${where} has \`content: ${mediaType}\`: its value must be JSON, got ${JSON.stringify(text.slice(0, 60))}`);
    return undefined;
  }
}

const DELIMITERS: Record<string, { pattern: RegExp; example: string }> = {
  form: { pattern: /,/, example: "3,4" },
  spaceDelimited: { pattern: /%20|\+| /i, example: "3%204" },
  pipeDelimited: { pattern: /\||%7C/i, example: "3|4" },
};

export function schemaOf(parameter: ParameterObject): unknown {
  return parameter.content ? Object.values(parameter.content)[0]?.schema : parameter.schema;
}

/** The query parameters of one operation from the request's pairs (fixed-query pairs already claimed). */
export function decodeQuery(parameters: readonly ParameterObject[], pairs: QueryPair[], problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const declared = parameters.filter((parameter) => parameter.in === "query");
  const unclaimed = (predicate: (pair: QueryPair) => boolean) => pairs.filter((pair) => !pair.claimed && predicate(pair));
  const claim = (list: QueryPair[]) => list.forEach((pair) => (pair.claimed = true));
  const explodedObjects: ParameterObject[] = [];

  for (const parameter of declared) {
    const name = parameter.name;
    const where = `query parameter ${JSON.stringify(name)}`;
    if (parameter.content) {
      const own = unclaimed((pair) => pair.key === name);
      claim(own);
      if (own.length === 0) continue;
      if (own.length > 1) problems.push(`${where} is sent ${own.length} times; a parameter with \`content\` is one value`);
      out[name] = contentValue(parameter, own[0]!.value ?? "", where, problems);
      continue;
    }
    const style = parameter.style ?? "form";
    const explode = parameter.explode ?? style === "form";
    const shape = shapeOf(parameter.schema);
    if (shape === "object" && explode && style === "form") {
      explodedObjects.push(parameter);
      continue;
    }
    if (style === "deepObject") {
      const prefix = `${name}[`;
      const own = unclaimed((pair) => pair.key.startsWith(prefix));
      const plain = unclaimed((pair) => pair.key === name);
      claim(own);
      claim(plain);
      if (plain.length > 0)
        problems.push(`${where} is style deepObject: it is sent as \`${name}[key]=value\`, not \`${name}=${plain[0]!.rawValue ?? ""}\``);
      if (shape !== "object") problems.push(`${where}: deepObject is defined for objects only`);
      if (own.length === 0) continue;
      const object: Record<string, string> = {};
      for (const pair of own) {
        const match = /^([^[\]]*)\](.*)$/s.exec(pair.key.slice(prefix.length));
        if (!match || match[2] !== "") {
          problems.push(`${where}: ${JSON.stringify(pair.key)} is not \`${name}[key]\` (deepObject is one level deep)`);
          continue;
        }
        if (match[1]! in object) problems.push(`${where}: ${JSON.stringify(pair.key)} is sent twice`);
        object[match[1]!] = pair.value ?? "";
      }
      out[name] = object;
      continue;
    }
    const own = unclaimed((pair) => pair.key === name);
    claim(own);
    if (own.length === 0) continue;
    if (shape === "array" && explode) {
      if (!(style in DELIMITERS)) problems.push(`${where}: style ${style} is not defined for query arrays`);
      out[name] = own.map((pair) => pair.value ?? "");
      continue;
    }
    if (own.length > 1) {
      const example = shape === "array" ? ` with explode false sends one \`${name}=${DELIMITERS[style]?.example ?? "…"}\`` : " takes one value";
      problems.push(
        `${where} is sent ${own.length} times (\`${own.map((pair) => `${pair.rawKey}=${pair.rawValue ?? ""}`).join("&")}\`): ${shape === "array" ? `style ${style}` : "the schema"}${example}`,
      );
      continue;
    }
    const pair = own[0]!;
    if (shape === "primitive") {
      out[name] = pair.value ?? "";
      continue;
    }
    const delimiter = DELIMITERS[style];
    if (!delimiter) {
      problems.push(`${where}: style ${style} is not defined for query ${shape}s`);
      continue;
    }
    const items = pair.rawValue === undefined || pair.rawValue === "" ? [] : splitRaw(pair.rawValue, delimiter.pattern, true, where, problems);
    out[name] = shape === "array" ? items : pairsToObject(items, where, problems);
  }

  // Exploded form objects: their properties are top-level keys (`R=3&G=3`). Declared properties
  // first; an object with additionalProperties also takes every key no parameter claims.
  for (const parameter of explodedObjects) {
    const schema = parameter.schema as JsonObject;
    const properties = propertyNames(schema);
    const open = schema.additionalProperties !== false && (schema.additionalProperties !== undefined || properties.length === 0);
    const names = new Set(declared.map((other) => other.name));
    const own = unclaimed((pair) => properties.includes(pair.key) || (open && !names.has(pair.key)));
    claim(own);
    if (own.length === 0) continue;
    const object: Record<string, string> = {};
    for (const pair of own) {
      if (pair.key in object) problems.push(`query parameter ${JSON.stringify(parameter.name)}: property ${JSON.stringify(pair.key)} is sent twice`);
      object[pair.key] = pair.value ?? "";
    }
    out[parameter.name] = object;
  }

  for (const pair of unclaimed(() => true)) {
    const bracket = /^([^[]+)\[/.exec(pair.key)?.[1];
    const owner = bracket === undefined ? undefined : explodedObjects.find((parameter) => parameter.name === bracket);
    const hint = owner
      ? `: ${JSON.stringify(owner.name)} is style form with explode, its properties are sent as top-level keys (\`${propertyNames(owner.schema)
          .map((key) => `${key}=…`)
          .join("&")}\`)`
      : pair.key.includes("?")
        ? ": the URL has a second `?`"
        : "";
    problems.push(`unknown query parameter ${JSON.stringify(pair.key)}${hint}`);
  }
  return out;
}

function propertyNames(schema: unknown): string[] {
  return isObject(schema) && isObject(schema.properties) ? Object.keys(schema.properties) : [];
}

/** One path placeholder's raw text by its style: simple `3,4`, label `.3,4` / `.3.4`, matrix `;ids=3,4` / `;ids=3;ids=4`. */
export function decodePathValue(parameter: ParameterObject | undefined, name: string, raw: string, problems: string[]): unknown {
  const where = `path parameter ${JSON.stringify(name)}`;
  const decode = (text: string) => percentDecode(text, false, where, problems);
  if (!parameter) return decode(raw);
  if (parameter.content) return contentValue(parameter, decode(raw), where, problems);
  const style = parameter.style ?? "simple";
  const explode = parameter.explode ?? false;
  const shape = shapeOf(parameter.schema);
  const list = (text: string, delimiter: string) => (text === "" ? [] : text.split(delimiter).map(decode));
  if (style === "simple") {
    if (shape === "primitive") return decode(raw);
    const items = list(raw, ",");
    if (shape === "array") return items;
    return explode ? keyValueList(items, where, problems) : pairsToObject(items, where, problems);
  }
  if (style === "label") {
    if (!raw.startsWith(".")) {
      problems.push(
        `${where} is style label: its value starts with "." (\`.${shape === "array" ? (explode ? "3.4" : "3,4") : "value"}\`), got ${JSON.stringify(raw)}`,
      );
      return undefined;
    }
    const rest = raw.slice(1);
    if (shape === "primitive") return decode(rest);
    const items = list(rest, explode ? "." : ",");
    if (shape === "array") return items;
    return explode ? keyValueList(items, where, problems) : pairsToObject(items, where, problems);
  }
  if (style === "matrix") {
    if (!raw.startsWith(";")) {
      problems.push(`${where} is style matrix: its value starts with ";" (\`;${name}=…\`), got ${JSON.stringify(raw)}`);
      return undefined;
    }
    const segments = raw.slice(1).split(";");
    const named = (segment: string): string | undefined => {
      if (segment === name) return "";
      if (segment.startsWith(`${name}=`)) return segment.slice(name.length + 1);
      problems.push(`${where} is style matrix: expected \`${name}=…\`, got ${JSON.stringify(`;${segment}`)}`);
      return undefined;
    };
    if (shape === "object" && explode) {
      const properties = propertyNames(parameter.schema);
      if (!properties.includes(name) && segments.some((segment) => segment.startsWith(`${name}=`))) {
        problems.push(
          `${where}: \`;${name}=…\` is matrix without explode; with explode the properties are \`${properties.map((key) => `;${key}=…`).join("")}\``,
        );
        return undefined;
      }
      return keyValueList(segments.map(decode), where, problems);
    }
    if (shape === "array" && explode)
      return segments
        .map((segment) => named(segment))
        .filter((value): value is string => value !== undefined)
        .map(decode);
    if (segments.length !== 1) {
      problems.push(`${where} is style matrix without explode: one \`;${name}=…\`, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    const value = named(segments[0]!);
    if (value === undefined) return undefined;
    if (shape === "primitive") return decode(value);
    const items = list(value, ",");
    return shape === "array" ? items : pairsToObject(items, where, problems);
  }
  problems.push(`${where}: style ${style} is not defined for path parameters`);
  return undefined;
}

/** Headers OpenAPI says to ignore as parameters: they are the transport's. */
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);

/** Header parameters (style simple): one header line per parameter, arrays `3,4`, objects `R,3,G,3` or `R=3,G=3`. */
export function decodeHeaders(
  parameters: readonly ParameterObject[],
  distinct: Record<string, string[] | undefined>,
  problems: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const parameter of parameters) {
    if (parameter.in !== "header") continue;
    const name = parameter.name.toLowerCase();
    if (IGNORED_HEADERS.has(name)) continue;
    const values = distinct[name];
    if (values === undefined || values.length === 0) continue;
    const where = `header ${JSON.stringify(parameter.name)}`;
    if (values.length > 1) problems.push(`${where} is sent ${values.length} times; style simple sends one line (\`${parameter.name}: 3,4\`)`);
    const raw = values[0]!;
    if (parameter.content) {
      out[name] = contentValue(parameter, raw, where, problems);
      continue;
    }
    const shape = shapeOf(parameter.schema);
    if (shape === "primitive") {
      out[name] = raw;
      continue;
    }
    const items = raw === "" ? [] : raw.split(",").map((item) => item.trim());
    out[name] = shape === "array" ? items : parameter.explode ? keyValueList(items, where, problems) : pairsToObject(items, where, problems);
  }
  return out;
}

/**
 * Cookie parameters (style form) in `Cookie: a=1; b=2`: a primitive once; an exploded array repeats its
 * name (`ids=3; ids=4`), one without explode is `ids=3,4`; an exploded object's properties are cookies
 * of their own (`R=3; G=4`), one without explode is `color=R,3,G,4`.
 */
export function decodeCookies(parameters: readonly ParameterObject[], cookieLines: readonly string[], problems: string[]): Record<string, unknown> {
  const declared = parameters.filter((parameter) => parameter.in === "cookie");
  if (declared.length === 0) return {};
  if (cookieLines.length > 1) problems.push(`the request has ${cookieLines.length} Cookie headers; RFC 6265 sends one`);
  const jar = new Map<string, string[]>();
  for (const line of cookieLines) {
    for (const item of line.split(";")) {
      const text = item.trim();
      if (text === "") continue;
      const equals = text.indexOf("=");
      const name = equals < 0 ? text : text.slice(0, equals);
      jar.set(name, [...(jar.get(name) ?? []), equals < 0 ? "" : text.slice(equals + 1)]);
    }
  }
  const out: Record<string, unknown> = {};
  for (const parameter of declared) {
    const where = `cookie ${JSON.stringify(parameter.name)}`;
    const shape = parameter.content ? "primitive" : shapeOf(parameter.schema);
    const explode = parameter.explode ?? (parameter.style ?? "form") === "form";
    if (shape === "object" && explode) {
      const object: Record<string, string> = {};
      for (const property of propertyNames(parameter.schema)) {
        const values = jar.get(property);
        if (values === undefined) continue;
        if (values.length > 1) problems.push(`${where}: property cookie ${JSON.stringify(property)} is sent ${values.length} times`);
        object[property] = percentDecode(values[0]!, false, where, problems);
      }
      if (Object.keys(object).length > 0) out[parameter.name] = object;
      continue;
    }
    const values = jar.get(parameter.name);
    if (!values) continue;
    if (shape === "array" && explode) {
      out[parameter.name] = values.map((value) => percentDecode(value, false, where, problems));
      continue;
    }
    if (values.length > 1)
      problems.push(
        `${where} is sent ${values.length} times; ${shape === "array" ? "without explode an array is one `" + parameter.name + "=3,4`" : "it takes one value"}`,
      );
    const raw = values[0]!;
    if (parameter.content) out[parameter.name] = contentValue(parameter, percentDecode(raw, false, where, problems), where, problems);
    else if (shape === "primitive") out[parameter.name] = percentDecode(raw, false, where, problems);
    else {
      const items = raw === "" ? [] : splitRaw(raw, /,/, false, where, problems);
      out[parameter.name] = shape === "array" ? items : pairsToObject(items, where, problems);
    }
  }
  return out;
}
