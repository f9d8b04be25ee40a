// Path and query serialization for openapi-fetch (its `pathSerializer`/`querySerializer` options).
//
// openapi-fetch's defaults leave a missing path parameter in the URL as a literal `{id}`, substitute
// an empty one (so `/flows/{id}` becomes `/flows/`), let `..` walk out of its segment, skip values
// they cannot serialize and send query keys unencoded. These serializers keep openapi-fetch's styles
// (path: simple; query: form + explode for arrays, deepObject for objects) and refuse, before
// anything is sent, every value that would send a request other than the one the caller wrote.

import { recogniseAcrossCopies } from "../errors.js";

/** A path or query parameter's value cannot be sent as the caller wrote it; nothing was sent. */
export class RequestParameterError extends TypeError {
  override name = "RequestParameterError";
  readonly location: "path" | "query";
  readonly parameter: string;
  /** What is wrong with the value, e.g. `is undefined: pass a non-empty string or number`. */
  readonly problem: string;

  constructor(location: "path" | "query", parameter: string, problem: string, operation?: string) {
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

const PLACEHOLDER = /\{([^{}]+)\}/g;

/** A scalar as text, or a description of why it is not one. */
function scalarText(value: unknown): string | { problem: string } {
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
      if (value instanceof Date) {
        return Number.isNaN(value.getTime()) ? { problem: "is an invalid Date" } : value.toISOString();
      }
      return { problem: `is ${Array.isArray(value) ? "an array" : "an object"}` };
    default:
      return { problem: `is a ${typeof value}, which cannot be sent` };
  }
}

/**
 * Fills `{name}` placeholders of `url` (the base URL is left alone: only the part after `baseLength`
 * is a template). Each value must be a non-empty string, a finite number, a boolean, a bigint or a
 * valid Date (sent as its ISO string); it is percent-encoded whole, so it stays in its segment.
 */
export function serializePath(url: string, params: Record<string, unknown> | undefined, baseLength: number): string {
  const template = url.slice(baseLength);
  if (!template.includes("{")) return url;
  return (
    url.slice(0, baseLength) +
    template.replace(PLACEHOLDER, (_placeholder, name: string) => {
      const text = scalarText(params?.[name]);
      if (typeof text !== "string") {
        throw new RequestParameterError("path", name, `${text.problem}: pass a non-empty string or number (in ${template})`);
      }
      if (text === "") throw new RequestParameterError("path", name, `is an empty string, which would drop a segment of ${template}`);
      // WHATWG URLs (and so fetch) resolve "." and ".." segments, percent-encoded or not: the
      // request would go to another path. Refused rather than sent somewhere else.
      if (text === "." || text === "..") {
        throw new RequestParameterError("path", name, `is ${JSON.stringify(text)}, which would change the path of ${template} rather than name a resource`);
      }
      return encodeURIComponent(text);
    })
  );
}

function queryScalar(name: string, value: unknown): string {
  const text = scalarText(value);
  if (typeof text !== "string") throw new RequestParameterError("query", name, `${text.problem}: pass strings, numbers, booleans or Dates`);
  return encodeURIComponent(text);
}

/**
 * `name=value` pairs, keys and values percent-encoded. `undefined` and `null` values are left out
 * (an optional parameter not given); arrays repeat the key (form, explode), empty arrays are left
 * out; objects are sent as `name[key]=value` (deepObject). Anything else that has no text form is
 * an error naming the parameter, never dropped.
 */
export function serializeQuery(query: Record<string, unknown> | undefined): string {
  if (query === undefined || query === null) return "";
  if (typeof query !== "object") throw new RequestParameterError("query", "(all)", "must be an object of parameter names to values");
  const pairs: string[] = [];
  for (const name of Object.keys(query)) {
    const value = query[name];
    if (value === undefined || value === null) continue;
    const key = encodeURIComponent(name);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) pairs.push(`${key}=${queryScalar(`${name}[${i}]`, value[i])}`);
    } else if (typeof value === "object" && !(value instanceof Date)) {
      for (const field of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[field];
        if (item === undefined) continue;
        pairs.push(`${key}%5B${encodeURIComponent(field)}%5D=${queryScalar(`${name}[${field}]`, item)}`);
      }
    } else {
      pairs.push(`${key}=${queryScalar(name, value)}`);
    }
  }
  return pairs.join("&");
}

recogniseAcrossCopies(RequestParameterError, "RequestParameterError");
