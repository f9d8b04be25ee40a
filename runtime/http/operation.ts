// The operations table a generated client hands its base class: one row per method, computed by the
// generator from the spec. Everything the wire needs that the spec says is here, so the runtime never
// reads the spec: a row carries only what differs from OpenAPI's defaults, so most rows (all of
// Prefect's) are four entries long.
import type { HttpMethod } from "./client.js";

/** How one parameter is written on the wire, when it is not its location's OpenAPI default. */
export type ParameterWire =
  | {
      /** OpenAPI's `style`. Defaults: path and header `simple`, query and cookie `form`. */
      style?: "simple" | "label" | "matrix" | "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
      /** OpenAPI's `explode`. Default: true for `form`, false for every other style. */
      explode?: boolean;
      /** Query only: RFC 3986 reserved characters (`:/?#[]@!$&'()*+,;=`) are sent unencoded. */
      allowReserved?: boolean;
    }
  | {
      /** The parameter is serialized with this media type (`application/json`: `JSON.stringify`), then percent-encoded. */
      content: string;
    };

/** The `encoding` of one property of a `multipart/form-data` or `application/x-www-form-urlencoded` body. */
export interface PropertyEncoding {
  contentType?: string;
  style?: "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
  explode?: boolean;
  allowReserved?: boolean;
}

/** What the spec says about an operation's wire format beyond method, path and path-parameter order. */
export interface OperationWire {
  /** Parameters whose serialization is not the default of their location, by name. */
  path?: Readonly<Record<string, ParameterWire>>;
  query?: Readonly<Record<string, ParameterWire>>;
  header?: Readonly<Record<string, ParameterWire>>;
  cookie?: Readonly<Record<string, ParameterWire>>;
  /**
   * A query fixed by the spec's path key, already percent-encoded: `operation=untag` for
   * `/tags#operation=untag`, `acl` for `/{bucket}?acl`. It goes first, before the caller's query.
   */
  fixedQuery?: string;
  /** The request body's media type, when it is not `application/json`. */
  body?: string;
  /** The spec's per-property `encoding` of a multipart or form-urlencoded body. */
  bodyEncoding?: Readonly<Record<string, PropertyEncoding>>;
  /**
   * The 2xx response's media type, when it is neither JSON nor absent: decides how a buffered body is
   * read (`text/*` as a string, anything else not JSON as a `Uint8Array`).
   */
  response?: string;
}

/**
 * One row of a generated client's operations table: HTTP method, path template (without any fixed
 * query, see `OperationWire.fixedQuery`), the path parameters the method's first arguments fill, whether
 * a request body follows them, and the wire details when the spec has any.
 */
export type Operation = readonly [method: HttpMethod, path: string, pathParameters: readonly string[], body: boolean, wire?: OperationWire];

/** A 2xx response whose body is left unread for the caller: `client.stream.<method>(...)`. */
export interface StreamedResponse {
  status: number;
  headers: Headers;
  /** The URL that answered (placeholders filled, redirects followed). */
  url: string;
  /** The body as it arrives; not limited by `maxResponseBytes`, which applies to buffered bodies only. */
  body: ReadableStream<Uint8Array>;
}

/** The `stream` view of a generated client: each method takes the same arguments and resolves with the unread response. */
export type StreamingMethods<Methods> = {
  readonly [Name in keyof Methods]: Methods[Name] extends (...args: infer Args) => Promise<unknown>
    ? (...args: Args) => Promise<StreamedResponse>
    : never;
};
