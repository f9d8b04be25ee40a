// What the spec says about an operation's wire format beyond method, path and path-parameter order,
// read at generation time so that the runtime never reads the spec: parameter styles other than their
// location's default, content-encoded parameters, a query fixed by the path key, request and response
// media types other than JSON. Only what differs from OpenAPI's defaults is kept, so most operations
// (all of Prefect's) have no wire at all and their rows stay four entries long.
import type { MediaTypeObject, ParameterObject, ReferenceObject, RequestBodyObject, SchemaObject } from "openapi-typescript";
import { essence, isForm, isJson, isText, isWildcard, preferredMediaType } from "./media-types.js";

// These mirror runtime/http/operation.ts (codegen does not depend on the runtime package). The generated
// table is typed `Record<..., Operation>` from inject-client/runtime, so tsc checks what is emitted
// against the runtime's own types; test/codegen/wire-model.test.ts checks the two declarations agree.
export type ParameterStyle = "simple" | "label" | "matrix" | "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
export type ParameterWire = { style?: ParameterStyle; explode?: boolean; allowReserved?: boolean } | { content: string };
export interface PropertyEncoding {
  contentType?: string;
  style?: "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
  explode?: boolean;
  allowReserved?: boolean;
}
export interface OperationWire {
  path?: Record<string, ParameterWire>;
  query?: Record<string, ParameterWire>;
  header?: Record<string, ParameterWire>;
  cookie?: Record<string, ParameterWire>;
  fixedQuery?: string;
  body?: string;
  bodyEncoding?: Record<string, PropertyEncoding>;
  response?: string;
}

export type ParameterLocation = "path" | "query" | "header" | "cookie";
const LOCATIONS: readonly ParameterLocation[] = ["path", "query", "header", "cookie"];

const DEFAULT_STYLE: Record<ParameterLocation, ParameterStyle> = { path: "simple", query: "form", header: "simple", cookie: "form" };

/** The styles OpenAPI defines per location. Any other `style` is ignored: the location's default is sent. */
const STYLES: Record<ParameterLocation, readonly ParameterStyle[]> = {
  path: ["simple", "label", "matrix"],
  query: ["form", "spaceDelimited", "pipeDelimited", "deepObject"],
  header: ["simple"],
  cookie: ["form"],
};

const ENCODING_STYLES: readonly string[] = ["form", "spaceDelimited", "pipeDelimited", "deepObject"];

/** OpenAPI: a header parameter named `Accept`, `Content-Type` or `Authorization` "SHALL be ignored". */
export function isIgnoredHeader(name: string): boolean {
  return /^(accept|content-type|authorization)$/i.test(name);
}

/**
 * An object for names taken from the spec: without a prototype, so that a parameter called `__proto__`
 * becomes a key like any other.
 */
function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How one parameter is serialized, when that is not its location's default; undefined when it is. */
export function parameterWire(parameter: ParameterObject): ParameterWire | undefined {
  const location = parameter.in as ParameterLocation;
  if (!LOCATIONS.includes(location)) return undefined;
  if (isObject(parameter.content)) {
    const mediaType = preferredMediaType(parameter.content);
    if (mediaType !== undefined) return { content: mediaType };
  }
  const declared = STYLES[location].find((style) => style === parameter.style);
  const style = declared ?? DEFAULT_STYLE[location];
  // OpenAPI: `explode` defaults to true for `form` and to false for every other style.
  const explode = typeof parameter.explode === "boolean" ? parameter.explode : style === "form";
  const wire: { style?: ParameterStyle; explode?: boolean; allowReserved?: boolean } = {};
  if (style !== DEFAULT_STYLE[location]) wire.style = style;
  if (explode !== (style === "form")) wire.explode = explode;
  if (location === "query" && parameter.allowReserved === true) wire.allowReserved = true;
  return Object.keys(wire).length > 0 ? wire : undefined;
}

/** The wire of every parameter that has one, by location and name (in the spec's order). */
export function parametersWire(parameters: readonly ParameterObject[]): Pick<OperationWire, ParameterLocation> {
  const wire: Pick<OperationWire, ParameterLocation> = {};
  for (const location of LOCATIONS) {
    for (const parameter of parameters) {
      if (parameter.in !== location || typeof parameter.name !== "string" || (location === "header" && isIgnoredHeader(parameter.name))) continue;
      const entry = parameterWire(parameter);
      if (entry !== undefined) (wire[location] ??= record<ParameterWire>())[parameter.name] = entry;
    }
  }
  return wire;
}

/** One `name` or `name=value` of the fixed part of a path key, as the spec spells it. */
export interface FixedPair {
  name: string;
  value?: string;
}

/**
 * A path key with a query fixed after `?` or `#` (`/{Bucket}?list-type=2`, `/tags#operation=untag`, AWS's
 * way of telling apart operations on one path): the template the path parameters fill, and the pairs after it.
 */
export function splitPathKey(key: string): { template: string; pairs: FixedPair[] } {
  const at = key.search(/[?#]/);
  if (at < 0) return { template: key, pairs: [] };
  const pairs = key
    .slice(at + 1)
    .split(/[?#&]/)
    .filter((pair) => pair.length > 0)
    .map((pair): FixedPair => {
      const equals = pair.indexOf("=");
      return equals < 0 ? { name: pair } : { name: pair.slice(0, equals), value: pair.slice(equals + 1) };
    });
  return { template: key.slice(0, at), pairs };
}

/**
 * The fixed part of a path key as a percent-encoded query (`list-type=2`, `acl`, `operation=untag`), every
 * pair kept, also one that names a parameter the operation declares (AWS's specs declare `operation`, enum
 * `untag`, next to `/tags#operation=untag`): the key says the request carries it, whatever the caller sends.
 */
export function fixedQuery(pairs: readonly FixedPair[]): string | undefined {
  if (pairs.length === 0) return undefined;
  return pairs
    .map(({ name, value }) => (value === undefined ? encodeQueryPart(name) : `${encodeQueryPart(name)}=${encodeQueryPart(value)}`))
    .join("&");
}

/** Percent-encodes a name or value once: one the spec already encoded (`a%20b`) is not encoded twice. */
function encodeQueryPart(text: string): string {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // a lone `%`: taken literally
  }
  return encodeURIComponent(decoded);
}

type Resolve = <T>(value: T | ReferenceObject) => T;

/**
 * A schema for raw bytes: `type: string, format: binary`, or OpenAPI 3.1's `contentMediaType` without a
 * `contentEncoding` (with one, such as `base64`, the value is text).
 */
export function isBinarySchema(schema: unknown): boolean {
  if (!isObject(schema)) return false;
  const type = schema.type;
  if (type !== undefined && type !== "string" && !(Array.isArray(type) && type.includes("string"))) return false;
  return schema.format === "binary" || (typeof schema.contentMediaType === "string" && schema.contentEncoding === undefined);
}

/**
 * Whether a request body of this media type is raw bytes: a type that is neither JSON, text nor a form,
 * whose schema is binary or absent (OpenAPI 3.1's way to say "any bytes"). A method takes it as a Blob,
 * a Uint8Array or a stream.
 */
export function isBinaryBody(mediaType: string, media: MediaTypeObject | undefined, resolve: Resolve): boolean {
  if (isJson(mediaType) || isText(mediaType) || isForm(mediaType)) return false;
  const schema = media?.schema === undefined ? undefined : resolve<SchemaObject>(media.schema);
  if (isWildcard(mediaType)) return isBinarySchema(schema);
  return schema === undefined || (isObject(schema) && Object.keys(schema).length === 0) || isBinarySchema(schema);
}

/**
 * The Content-Type a request body is sent with, when it is not `application/json`. A wildcard cannot be
 * sent: `*\/*` (or `application/*`) is sent as JSON, or as `application/octet-stream` when its schema is
 * binary; `text/*` as `text/plain`.
 */
function requestMediaType(mediaType: string, media: MediaTypeObject | undefined, resolve: Resolve): string | undefined {
  if (isWildcard(mediaType)) {
    if (isText(mediaType)) return "text/plain";
    const schema = media?.schema === undefined ? undefined : resolve<SchemaObject>(media.schema);
    return isBinarySchema(schema) ? "application/octet-stream" : undefined;
  }
  return essence(mediaType) === "application/json" ? undefined : mediaType;
}

/** The per-property `encoding` of a form body, keeping only what is not the default. */
function bodyEncoding(mediaType: string, media: MediaTypeObject | undefined): Record<string, PropertyEncoding> | undefined {
  if (!isForm(mediaType) || !isObject(media?.encoding)) return undefined;
  const encodings = record<PropertyEncoding>();
  let count = 0;
  for (const [property, raw] of Object.entries(media.encoding)) {
    if (!isObject(raw)) continue;
    const encoding: PropertyEncoding = {};
    if (typeof raw.contentType === "string" && raw.contentType.trim() !== "") encoding.contentType = raw.contentType;
    const style = typeof raw.style === "string" && ENCODING_STYLES.includes(raw.style) ? (raw.style as PropertyEncoding["style"]) : "form";
    if (style !== "form") encoding.style = style;
    if (typeof raw.explode === "boolean" && raw.explode !== (style === "form")) encoding.explode = raw.explode;
    if (raw.allowReserved === true) encoding.allowReserved = true;
    if (Object.keys(encoding).length === 0) continue;
    encodings[property] = encoding;
    count += 1;
  }
  return count > 0 ? encodings : undefined;
}

export function requestBodyWire(
  requestBody: RequestBodyObject | undefined,
  mediaType: string | undefined,
  resolve: Resolve,
): Pick<OperationWire, "body" | "bodyEncoding"> {
  if (requestBody === undefined || mediaType === undefined) return {};
  const media = (requestBody.content as Record<string, MediaTypeObject | undefined>)[mediaType];
  const wire: Pick<OperationWire, "body" | "bodyEncoding"> = {};
  const body = requestMediaType(mediaType, media, resolve);
  if (body !== undefined) wire.body = body;
  const encoding = bodyEncoding(mediaType, media);
  if (encoding !== undefined) wire.bodyEncoding = encoding;
  return wire;
}

/**
 * The media type a 2xx response is read as, when it is neither JSON nor absent: the first 2xx response
 * with content decides. A wildcard is left to the response's own Content-Type, unless its schema is
 * binary (a download: `application/octet-stream`).
 */
export function responseWire(mediaType: string | undefined, media: MediaTypeObject | undefined, resolve: Resolve): string | undefined {
  if (mediaType === undefined || isJson(mediaType)) return undefined;
  if (isWildcard(mediaType) && !isText(mediaType)) {
    const schema = media?.schema === undefined ? undefined : resolve<SchemaObject>(media.schema);
    return isBinarySchema(schema) ? "application/octet-stream" : undefined;
  }
  return mediaType;
}

export function isEmptyWire(wire: OperationWire): boolean {
  return Object.keys(wire).length === 0;
}
