// Which operation a request is for, by method, raw path and the query a path key fixes. Literal
// characters of a template match as written or percent-encoded; each `{name}` takes one segment (or the
// part of one between literals), left raw for the style decoder. The most literal template wins, and
// among equal templates the one whose fixed query the request carries (`/{bucket}?acl` over `/{bucket}`).
import type { Method, SpecOperation } from "./spec-operations.js";

export interface Route {
  operation: SpecOperation;
  /** Raw (still percent-encoded) text of each path placeholder. */
  pathValues: Record<string, string>;
  /**
   * Other operations the request is for just as well: the same method and a template that differs only
   * in placeholder names (`/v2/{name}` and `/v2/{metricName}`, as Google's specs have). The wire cannot
   * tell them apart; the server tries each.
   */
  alternatives: Array<{ operation: SpecOperation; pathValues: Record<string, string> }>;
}

interface CompiledRoute {
  operation: SpecOperation;
  pattern: RegExp;
  names: string[];
  literalLength: number;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

function literalPattern(text: string): string {
  let out = "";
  for (const char of text) {
    if (UNRESERVED.test(char) || char === "/") {
      out += char.replace(/[.]/g, "\\.");
      continue;
    }
    const encoded = [...new TextEncoder().encode(char)].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");
    const escaped = char.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
    out += `(?:${escaped}|${encoded.replace(/%([0-9a-f])([0-9a-f])/g, (_m, a: string, b: string) => `%[${a}${a.toUpperCase()}][${b}${b.toUpperCase()}]`)})`;
  }
  return out;
}

function compile(operation: SpecOperation): CompiledRoute {
  const names: string[] = [];
  let source = "";
  let literalLength = 0;
  let last = 0;
  for (const match of operation.template.matchAll(/\{([^{}]+)\}/g)) {
    const literal = operation.template.slice(last, match.index);
    source += literalPattern(literal);
    literalLength += literal.length;
    source += "([^/]+)";
    names.push(match[1]!);
    last = match.index! + match[0].length;
  }
  const tail = operation.template.slice(last);
  source += literalPattern(tail);
  literalLength += tail.length;
  return { operation, pattern: new RegExp(`^${source}$`), names, literalLength };
}

export interface QueryPairView {
  key: string;
  value: string | undefined;
}

function fixedQueryKey(operation: SpecOperation): string {
  return operation.fixedQuery
    .map((pair) => `${pair.name}=${pair.value ?? ""}`)
    .sort()
    .join("&");
}

function carriesFixedQuery(operation: SpecOperation, pairs: readonly QueryPairView[]): boolean {
  return operation.fixedQuery.every((fixed) =>
    pairs.some(
      (pair) => pair.key === fixed.name && (fixed.value === undefined ? pair.value === undefined || pair.value === "" : pair.value === fixed.value),
    ),
  );
}

export class Router {
  readonly #routes: CompiledRoute[];

  constructor(operations: readonly SpecOperation[]) {
    this.#routes = operations
      .map(compile)
      .sort((a, b) => b.literalLength - a.literalLength || b.operation.fixedQuery.length - a.operation.fixedQuery.length);
  }

  /** The operation, or why none: `no operation of the spec is GET /x`, `GET /x is not an operation (the spec has POST)`. */
  match(method: Method, rawPath: string, pairs: readonly QueryPairView[]): Route | { problem: string; status: 404 | 405 } {
    const otherMethods = new Set<string>();
    const withoutFixedQuery: string[] = [];
    for (const route of this.#routes) {
      const match = route.pattern.exec(rawPath);
      if (!match) continue;
      if (route.operation.method !== method) {
        otherMethods.add(route.operation.method.toUpperCase());
        continue;
      }
      if (!carriesFixedQuery(route.operation, pairs)) {
        withoutFixedQuery.push(route.operation.pathKey);
        continue;
      }
      const values = (found: CompiledRoute, groups: RegExpExecArray) => Object.fromEntries(found.names.map((name, i) => [name, groups[i + 1]!]));
      const alternatives = this.#routes
        .filter(
          (other) =>
            other !== route &&
            other.operation.method === method &&
            other.pattern.source === route.pattern.source &&
            fixedQueryKey(other.operation) === fixedQueryKey(route.operation),
        )
        .map((other) => ({ operation: other.operation, pathValues: values(other, other.pattern.exec(rawPath)!) }));
      return { operation: route.operation, pathValues: values(route, match), alternatives };
    }
    if (withoutFixedQuery.length > 0) {
      const keys = withoutFixedQuery
        .slice(0, 3)
        .map((key) => `\`${key}\``)
        .join(", ");
      const more = withoutFixedQuery.length > 3 ? ` and ${withoutFixedQuery.length - 3} more` : "";
      return { status: 404, problem: `${method.toUpperCase()} ${rawPath} lacks the query its path key fixes (${keys}${more})` };
    }
    if (otherMethods.size > 0)
      return {
        status: 405,
        problem: `${method.toUpperCase()} ${rawPath} is not an operation of the spec (the path takes ${[...otherMethods].join(", ")})`,
      };
    return { status: 404, problem: `no operation of the spec matches ${method.toUpperCase()} ${rawPath}` };
  }
}
