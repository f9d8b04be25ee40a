// Query strings: `name=value` pairs joined with `&`, keys and values percent-encoded, each parameter
// written with its style (default `form` + explode: arrays repeat the key, objects send their own keys).
// `undefined` and `null` leave a parameter out (an optional parameter not given), and so do empty arrays
// and objects (RFC 6570: an empty list or map is undefined).
import type { OperationWire } from "../operation.js";
import { compositeEntries, contentText, isComposite, percentEncode, RequestParameterError, resolveStyle, scalarOrThrow } from "./parameters.js";

const HINT = "pass strings, numbers, booleans or Dates";
const NESTED_HINT = "pass strings, numbers, booleans or Dates (a nested value needs `content: application/json` in the spec)";

const DELIMITERS = { form: ",", spaceDelimited: "%20", pipeDelimited: "%7C" } as const;

/** One parameter's pairs (`a=1&a=2`), or "" when it is left out. */
function parameterPairs(name: string, value: unknown, wire: NonNullable<OperationWire["query"]>[string] | undefined): string {
  const key = percentEncode("query", name, name);
  if (wire !== undefined && "content" in wire) return `${key}=${percentEncode("query", name, contentText("query", name, value, wire.content, HINT))}`;
  const { style, explode, allowReserved } = resolveStyle("query", wire);
  if (!isComposite(value)) return `${key}=${percentEncode("query", name, scalarOrThrow("query", name, value, HINT), allowReserved)}`;

  const entries = compositeEntries("query", name, value, NESTED_HINT);
  if (entries.length === 0) return "";
  const text = (entry: [string | undefined, string]) => percentEncode("query", name, entry[1], allowReserved);
  const entryKey = (entry: [string | undefined, string]) => percentEncode("query", name, entry[0]!);
  const array = Array.isArray(value);
  if (style === "deepObject" && !array) return entries.map((entry) => `${key}%5B${entryKey(entry)}%5D=${text(entry)}`).join("&");
  if (explode || style === "deepObject") {
    // form + explode; spaceDelimited and pipeDelimited have no exploded form of their own (OpenAPI: n/a), so they get this one too.
    return array ? entries.map((entry) => `${key}=${text(entry)}`).join("&") : entries.map((entry) => `${entryKey(entry)}=${text(entry)}`).join("&");
  }
  const delimiter = DELIMITERS[style as keyof typeof DELIMITERS] ?? ",";
  return `${key}=${array ? entries.map(text).join(delimiter) : entries.map((entry) => `${entryKey(entry)}${delimiter}${text(entry)}`).join(delimiter)}`;
}

/** The query string (without `?`) of `query`, each parameter by its `wire` entry or OpenAPI's defaults. */
export function serializeQuery(query: Readonly<Record<string, unknown>> | undefined | null, wire?: OperationWire["query"]): string {
  if (query === undefined || query === null) return "";
  if (typeof query !== "object" || Array.isArray(query))
    throw new RequestParameterError("query", "(all)", "must be an object of parameter names to values");
  let out = "";
  for (const name in query) {
    if (!Object.hasOwn(query, name)) continue;
    const value = query[name];
    if (value === undefined || value === null) continue;
    // The common case, a string or finite number with the default style, without the general machinery.
    const pairs =
      wire?.[name] === undefined && (typeof value === "string" || (typeof value === "number" && Number.isFinite(value)))
        ? `${percentEncode("query", name, name)}=${percentEncode("query", name, String(value))}`
        : parameterPairs(name, value, wire?.[name]);
    if (pairs === "") continue;
    out = out === "" ? pairs : `${out}&${pairs}`;
  }
  return out;
}

/** `path?fixed&query`: the spec's fixed query (`/tags#operation=untag`) first, then the caller's. */
export function withQuery(path: string, fixedQuery: string | undefined, query: string): string {
  if (fixedQuery) return query === "" ? `${path}?${fixedQuery}` : `${path}?${fixedQuery}&${query}`;
  return query === "" ? path : `${path}?${query}`;
}
