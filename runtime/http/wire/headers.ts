// Header and cookie parameters. Headers are `simple` (arrays and objects comma-separated, not
// percent-encoded, as OpenAPI's Appendix D says); cookies are `form`, percent-encoded, sent as one
// `Cookie` header. A value that would split the header (CR, LF, NUL, or outside Latin-1) is refused
// naming the parameter, never echoing the value: header values are where secrets live.
import { HEADER_NAME, HEADER_VALUE } from "../headers.js";
import type { OperationWire } from "../operation.js";
import { compositeEntries, contentText, isComposite, percentEncode, RequestParameterError, resolveStyle, scalarOrThrow } from "./parameters.js";

const HINT = "pass a string, number, boolean or Date";

function checked(name: string, value: string): string {
  if (!HEADER_NAME.test(name)) throw new RequestParameterError("header", name.slice(0, 64), "is not a valid header name");
  if (!HEADER_VALUE.test(value))
    throw new RequestParameterError("header", name, "contains a line break, NUL or a character outside Latin-1 (value not shown)");
  return value;
}

/** One header's value as its style writes it, checked; `undefined` leaves the header out. */
export function headerValue(name: string, value: unknown, wire: NonNullable<OperationWire["header"]>[string] | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return checked(name, value);
  if (wire !== undefined && "content" in wire) return checked(name, contentText("header", name, value, wire.content, HINT));
  if (!isComposite(value)) return checked(name, scalarOrThrow("header", name, value, HINT));
  const { explode } = resolveStyle("header", wire);
  const entries = compositeEntries("header", name, value, HINT);
  if (entries.length === 0) return undefined;
  const text = Array.isArray(value)
    ? entries.map((entry) => entry[1]).join(",")
    : entries.map(([key, item]) => (explode ? `${key}=${item}` : `${key},${item}`)).join(",");
  return checked(name, text);
}

/** `name=value; …` for the Cookie header, or "" when no cookie is given. */
export function cookieHeader(cookies: Readonly<Record<string, unknown>> | undefined, wire: OperationWire["cookie"]): string {
  if (cookies === undefined || cookies === null) return "";
  if (typeof cookies !== "object" || Array.isArray(cookies))
    throw new RequestParameterError("cookie", "(all)", "must be an object of cookie names to values");
  const pairs: string[] = [];
  for (const name of Object.keys(cookies)) {
    const value = cookies[name];
    if (value === undefined || value === null) continue;
    const key = percentEncode("cookie", name, name);
    const entry = wire?.[name];
    if (entry !== undefined && "content" in entry) {
      pairs.push(`${key}=${percentEncode("cookie", name, contentText("cookie", name, value, entry.content, HINT))}`);
      continue;
    }
    if (!isComposite(value)) {
      pairs.push(`${key}=${percentEncode("cookie", name, scalarOrThrow("cookie", name, value, HINT))}`);
      continue;
    }
    const { explode } = resolveStyle("cookie", entry);
    const entries = compositeEntries("cookie", name, value, HINT);
    if (entries.length === 0) continue;
    const text = (item: string) => percentEncode("cookie", name, item);
    if (explode) {
      // Exploded form writes one pair per item; in a Cookie header pairs are separated by "; " (RFC 6265).
      for (const [itemKey, item] of entries) pairs.push(`${itemKey === undefined ? key : percentEncode("cookie", name, itemKey)}=${text(item)}`);
    } else {
      pairs.push(
        `${key}=${entries.map(([itemKey, item]) => (itemKey === undefined ? text(item) : `${percentEncode("cookie", name, itemKey)},${text(item)}`)).join(",")}`,
      );
    }
  }
  return pairs.join("; ");
}
