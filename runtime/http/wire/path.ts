// Path templates: `/flows/{id}` compiled once, filled per call with `simple` (the default), `label` or
// `matrix` values. Every value is percent-encoded whole, so it stays in its segment; a value that would
// make a segment `.` or `..` is sent as `%2E`/`%2E%2E` (our transport hands undici the path as it is,
// and nothing between us and the socket resolves dot segments).
import type { OperationWire, ParameterWire } from "../operation.js";
import { compositeEntries, contentText, isComposite, percentEncode, RequestParameterError, resolveStyle, scalarText } from "./parameters.js";

const PLACEHOLDER = /\{([^{}]+)\}/g;

/** A path template split at its placeholders: `literals[0] + value(names[0]) + literals[1] + …`. */
export interface CompiledPath {
  readonly template: string;
  readonly literals: readonly string[];
  readonly names: readonly string[];
  /** The template's own segments, to tell a `..` the spec wrote from one a value made. */
  readonly segments: readonly string[];
}

export function compilePath(template: string): CompiledPath {
  const literals: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    literals.push(template.slice(last, match.index));
    names.push(match[1]!);
    last = match.index! + match[0].length;
  }
  literals.push(template.slice(last));
  return { template, literals, names, segments: template.split("/") };
}

function hint(template: string): string {
  return `pass a non-empty string or number (in ${template})`;
}

/** One path parameter's text, encoded, as its style writes it. */
export function pathValue(name: string, value: unknown, wire: ParameterWire | undefined, template: string): string {
  if (wire !== undefined && "content" in wire) {
    if (value === undefined || value === null)
      throw new RequestParameterError("path", name, `${(scalarText(value) as { problem: string }).problem}: ${hint(template)}`);
    return percentEncode("path", name, contentText("path", name, value, wire.content, hint(template)));
  }
  const { style, explode } = resolveStyle("path", wire);
  if (!isComposite(value)) {
    const text = scalarText(value);
    if (typeof text !== "string") throw new RequestParameterError("path", name, `${text.problem}: ${hint(template)}`);
    const encoded = percentEncode("path", name, text);
    if (style === "label") return `.${encoded}`;
    if (style === "matrix") return text === "" ? `;${encodeURIComponent(name)}` : `;${encodeURIComponent(name)}=${encoded}`;
    if (text === "") throw new RequestParameterError("path", name, `is an empty string, which would drop a segment of ${template}`);
    return encoded;
  }
  const entries = compositeEntries("path", name, value, hint(template));
  if (entries.length === 0)
    throw new RequestParameterError(
      "path",
      name,
      `is an empty ${Array.isArray(value) ? "array" : "object"}, which has no path form (in ${template})`,
    );
  const array = Array.isArray(value);
  const key = (entry: [string | undefined, string]) => percentEncode("path", name, entry[0]!);
  const text = (entry: [string | undefined, string]) => percentEncode("path", name, entry[1]);
  if (style === "matrix") {
    const label = encodeURIComponent(name);
    if (array) return explode ? entries.map((entry) => `;${label}=${text(entry)}`).join("") : `;${label}=${entries.map(text).join(",")}`;
    return explode
      ? entries.map((entry) => `;${key(entry)}=${text(entry)}`).join("")
      : `;${label}=${entries.map((entry) => `${key(entry)},${text(entry)}`).join(",")}`;
  }
  // simple and label differ only in the prefix and in label's exploded separator.
  const prefix = style === "label" ? "." : "";
  const separator = style === "label" && explode ? "." : ",";
  if (array) return prefix + entries.map(text).join(separator);
  return prefix + entries.map((entry) => (explode ? `${key(entry)}=${text(entry)}` : `${key(entry)},${text(entry)}`)).join(separator);
}

/**
 * The filled path. `values` holds the parameters by name, or (with `argumentIndex`) positionally: the
 * value of placeholder `i` is `values[argumentIndex[i]]`, as a generated method receives them.
 */
export function fillPath(
  path: CompiledPath,
  values: Readonly<Record<string, unknown>> | readonly unknown[] | undefined,
  wire: OperationWire["path"],
  argumentIndex?: readonly number[],
): string {
  const { literals, names } = path;
  if (names.length === 0) return literals[0]!;
  let out = literals[0]!;
  let dots = false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = argumentIndex === undefined ? (values as Record<string, unknown> | undefined)?.[name] : (values as unknown[])[argumentIndex[i]!];
    const parameterWire = wire?.[name];
    // The common case (a non-empty string or a number in the default style) without the general machinery.
    const text =
      parameterWire === undefined && ((typeof value === "string" && value !== "") || (typeof value === "number" && Number.isFinite(value)))
        ? simpleText(name, value, path.template)
        : pathValue(name, value, parameterWire, path.template);
    if (text.charCodeAt(0) === 46 /* . */ || text.charCodeAt(text.length - 1) === 46) dots = true;
    out += text + literals[i + 1]!;
  }
  return dots ? encodeDotSegments(out, path.segments) : out;
}

function simpleText(name: string, value: string | number, template: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return pathValue(name, value, undefined, template); // names the lone surrogate
  }
}

/** `.` and `..` segments that values made (not the template) as `%2E` and `%2E%2E`. */
function encodeDotSegments(filled: string, templateSegments: readonly string[]): string {
  const segments = filled.split("/");
  let changed = false;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if ((segment === "." || segment === "..") && templateSegments[i] !== segment) {
      segments[i] = segment === "." ? "%2E" : "%2E%2E";
      changed = true;
    }
  }
  return changed ? segments.join("/") : filled;
}
