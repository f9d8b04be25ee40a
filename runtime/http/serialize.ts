// Path and query serialization for the `api` escape hatch (openapi-fetch's `pathSerializer` and
// `querySerializer` options). Generated methods use wire/ directly, with the styles of their rows.
//
// openapi-fetch's defaults leave a missing path parameter in the URL as a literal `{id}`, substitute
// an empty one (so `/flows/{id}` becomes `/flows/`), skip values they cannot serialize and send query
// keys unencoded. These serializers keep openapi-fetch's styles (path: simple; query: form + explode for
// arrays, deepObject for objects) and refuse, before anything is sent, every value that would send a
// request other than the one the caller wrote.
import { RequestParameterError, scalarText } from "./wire/parameters.js";
import { compilePath, fillPath } from "./wire/path.js";

export { RequestParameterError } from "./wire/parameters.js";

/**
 * Fills `{name}` placeholders of `url` (the base URL is left alone: only the part after `baseLength`
 * is a template), as wire/path.ts does for generated methods: each value percent-encoded whole, so it
 * stays in its segment, and `.`/`..` sent as `%2E`/`%2E%2E`.
 */
export function serializePath(url: string, params: Record<string, unknown> | undefined, baseLength: number): string {
  const template = url.slice(baseLength);
  if (!template.includes("{")) return url;
  return url.slice(0, baseLength) + fillPath(compilePath(template), params ?? {}, undefined);
}

function queryScalar(name: string, value: unknown): string {
  const text = scalarText(value);
  if (typeof text !== "string") throw new RequestParameterError("query", name, `${text.problem}: pass strings, numbers, booleans or Dates`);
  return encodeURIComponent(text);
}

/**
 * `name=value` pairs, keys and values percent-encoded. `undefined` and `null` values are left out
 * (an optional parameter not given); arrays repeat the key (form, explode), empty arrays are left
 * out; objects are sent as `name[key]=value` (deepObject, openapi-fetch's default). Anything else that
 * has no text form is an error naming the parameter, never dropped.
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
