// OpenAPI 3.x parameter serialization (the "Style Values" and "Style Examples" of the specification), shared
// by path, query, header and cookie parameters: a value is a scalar, an array of scalars or an object of
// scalars, and each style writes these three shapes its own way. Anything else (a nested object, a function,
// NaN, an invalid Date) is refused with a RequestParameterError naming the parameter, before anything is sent.
import { recogniseAcrossCopies } from "../../errors.js";
import type { ParameterWire } from "../operation.js";

export type ParameterLocation = "path" | "query" | "header" | "cookie";

/** A parameter's value cannot be sent as the caller wrote it; nothing was sent. */
export class RequestParameterError extends TypeError {
  override name = "RequestParameterError";
  readonly location: ParameterLocation;
  readonly parameter: string;
  /** What is wrong with the value, e.g. `is undefined: pass a non-empty string or number`. */
  readonly problem: string;

  constructor(location: ParameterLocation, parameter: string, problem: string, operation?: string) {
    super(`${operation ? `${operation}: ` : ""}${location} parameter ${JSON.stringify(parameter)} ${problem}`);
    this.location = location;
    this.parameter = parameter;
    this.problem = problem;
  }

  /** The same error, naming the operation it was found in (`GET /flows/{id}`). */
  inOperation(operation: string): RequestParameterError {
    return new RequestParameterError(this.location, this.parameter, this.problem, operation);
  }
}

recogniseAcrossCopies(RequestParameterError, "RequestParameterError");

/** A scalar as text, or a description of why it is not one. */
export function scalarText(value: unknown): string | { problem: string } {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      return Number.isFinite(value) ? String(value) : { problem: `is ${value}, which has no text form` };
    case "boolean":
    case "bigint":
      return String(value);
    case "undefined":
      return { problem: "is undefined" };
    case "object":
      if (value === null) return { problem: "is null" };
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? { problem: "is an invalid Date" } : value.toISOString();
      return { problem: `is ${Array.isArray(value) ? "an array" : "an object"}` };
    default:
      return { problem: `is a ${typeof value}, which cannot be sent` };
  }
}

/** How a parameter's value is shaped, for the style rules: Dates are scalars. */
export function isComposite(value: unknown): value is object {
  return typeof value === "object" && value !== null && !(value instanceof Date);
}

/** The style and explode a parameter is written with: its wire entry, else the location's OpenAPI defaults. */
export interface ResolvedStyle {
  style: NonNullable<Extract<ParameterWire, { style?: unknown }>["style"]>;
  explode: boolean;
  allowReserved: boolean;
}

const DEFAULT_STYLE: Record<ParameterLocation, ResolvedStyle["style"]> = { path: "simple", query: "form", header: "simple", cookie: "form" };
const DEFAULTS: Record<ParameterLocation, ResolvedStyle> = {
  path: { style: "simple", explode: false, allowReserved: false },
  query: { style: "form", explode: true, allowReserved: false },
  header: { style: "simple", explode: false, allowReserved: false },
  cookie: { style: "form", explode: true, allowReserved: false },
};

/** `undefined` wire: the defaults (shared objects, no allocation on the common path). */
export function resolveStyle(location: ParameterLocation, wire: Exclude<ParameterWire, { content: string }> | undefined): ResolvedStyle {
  if (wire === undefined) return DEFAULTS[location];
  const style = wire.style ?? DEFAULT_STYLE[location];
  return { style, explode: wire.explode ?? style === "form", allowReserved: wire.allowReserved === true };
}

/** The text of one scalar, or a RequestParameterError naming `name` (with `hint` saying what to pass). */
export function scalarOrThrow(location: ParameterLocation, name: string, value: unknown, hint: string): string {
  const text = scalarText(value);
  if (typeof text !== "string") throw new RequestParameterError(location, name, `${text.problem}: ${hint}`);
  return text;
}

/**
 * The items of an array or the entries of an object, each as text: `[[key, text], …]` for objects (keys
 * whose value is `undefined` left out, as an optional property not given), `[[undefined, text], …]` for
 * arrays. A nested array or object is refused, naming it as `name[index]` or `name[key]`.
 */
export function compositeEntries(location: ParameterLocation, name: string, value: object, hint: string): [string | undefined, string][] {
  const entries: [string | undefined, string][] = [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) entries.push([undefined, scalarOrThrow(location, `${name}[${i}]`, value[i], hint)]);
    return entries;
  }
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    entries.push([key, scalarOrThrow(location, `${name}[${key}]`, item, hint)]);
  }
  return entries;
}

/** A `content`-encoded parameter's text: JSON for JSON media types, else the scalar as it is. */
export function contentText(location: ParameterLocation, name: string, value: unknown, mediaType: string, hint: string): string {
  if (!isJsonMediaType(mediaType)) return scalarOrThrow(location, name, value, hint);
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new RequestParameterError(location, name, `cannot be serialized as ${mediaType}: ${(error as Error).message}`);
  }
  if (json === undefined) throw new RequestParameterError(location, name, `is a ${typeof value}, which has no ${mediaType} form`);
  return json;
}

/** `application/json`, `application/merge-patch+json`, `application/vnd.api+json; charset=utf-8`, … */
export function isJsonMediaType(mediaType: string): boolean {
  const semicolon = mediaType.indexOf(";");
  const essence = (semicolon === -1 ? mediaType : mediaType.slice(0, semicolon)).trim().toLowerCase();
  return essence === "application/json" || essence.endsWith("+json") || essence === "text/json";
}

const HEX = "0123456789ABCDEF";
/** RFC 3986 reserved characters, which `allowReserved` sends as they are (`#` excepted: it would end the request target). */
const RESERVED = new Set(":/?[]@!$&'()*+,;=");

/**
 * RFC 6570 reserved expansion (`allowReserved: true`): reserved characters and `%XX` triples pass
 * through, everything else is percent-encoded as UTF-8, `#` included, which no request target may hold.
 */
export function encodeAllowingReserved(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (RESERVED.has(char)) {
      out += char;
    } else if (char === "%" && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out += text.slice(i, i + 3);
      i += 2;
    } else {
      const code = text.charCodeAt(i);
      // A lone surrogate has no UTF-8 form: encodeURIComponent throws URIError, which we name instead.
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        out += encodeURIComponent(text.slice(i, i + 2));
        i++;
      } else if (code < 0x80 && !/[A-Za-z0-9\-._~]/.test(char)) {
        out += `%${HEX[code >> 4]}${HEX[code & 15]}`;
      } else {
        out += encodeURIComponent(char);
      }
    }
  }
  return out;
}

/** encodeURIComponent, with a lone surrogate (which has no UTF-8 form) named as the parameter's problem. */
export function percentEncode(location: ParameterLocation, name: string, text: string, allowReserved = false): string {
  try {
    return allowReserved ? encodeAllowingReserved(text) : encodeURIComponent(text);
  } catch {
    throw new RequestParameterError(location, name, "holds a lone UTF-16 surrogate, which has no UTF-8 form");
  }
}
