// Failures with no usable HTTP response. (Responses with an error status are HTTPStatusError, ../errors.ts.)

import { recogniseAcrossCopies } from "../errors.js";

export interface HTTPRequestErrorInit {
  method: string;
  url: string;
  /** Attempts made, retries included. */
  attempts: number;
  cause: unknown;
}

function causeText(cause: unknown): string {
  const inner = (cause as { cause?: unknown } | undefined)?.cause ?? cause;
  const code = (inner as { code?: unknown } | undefined)?.code;
  const message = inner instanceof Error ? inner.message : String(inner);
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}

function attemptsText(init: HTTPRequestErrorInit): string {
  return `after ${init.attempts} attempt${init.attempts === 1 ? "" : "s"}`;
}

/** The request got no response: connection refused or reset, socket closed, ... Prefect: httpx.TransportError. */
export class HTTPRequestError extends Error {
  override name = "HTTPRequestError";
  readonly method: string;
  readonly url: string;
  readonly attempts: number;

  /** `reason` replaces the cause's text in the message; `message` replaces the whole message. */
  constructor(init: HTTPRequestErrorInit, what = "failed", reason?: string, message?: string) {
    super(message ?? `${init.method.toUpperCase()} ${init.url} ${what} ${attemptsText(init)}: ${reason ?? causeText(init.cause)}`, {
      cause: init.cause,
    });
    this.method = init.method.toUpperCase();
    this.url = init.url;
    this.attempts = init.attempts;
  }
}

/** An attempt exceeded `timeoutMs` (or the call's `timeout`) waiting to connect, for headers, or for body data. */
export class HTTPTimeoutError extends HTTPRequestError {
  override name = "HTTPTimeoutError";
  constructor(init: HTTPRequestErrorInit) {
    super(init, "timed out");
  }
}

/** The setting and environment variable that bound the size of a 2xx body. */
const RESPONSE_LIMIT = { setting: "maxResponseBytes", variable: "INJECT_CLIENT_MAX_RESPONSE_BYTES" } as const;

/**
 * A 2xx body was larger than `maxResponseBytes`, by its Content-Length or while it streamed in. The
 * call ends and its connection is closed; it is not retried (the same request would get the same body).
 */
export class ResponseTooLargeError extends HTTPRequestError {
  override name = "ResponseTooLargeError";
  /** The limit in bytes. */
  readonly limit: number;
  /** The client setting that sets it. */
  readonly setting = RESPONSE_LIMIT.setting;

  /** `declared`: the Content-Length, when that is what exceeded the limit. */
  constructor(init: HTTPRequestErrorInit & { limit: number; declared?: number }) {
    const what =
      init.declared === undefined ? "the response body is larger than" : `the response declares ${init.declared} bytes (Content-Length), more than`;
    super(init, "failed", `${what} ${RESPONSE_LIMIT.setting} allows (${init.limit} bytes; raise it with the setting or ${RESPONSE_LIMIT.variable})`);
    this.limit = init.limit;
  }
}

/**
 * A redirect the client does not follow: to another origin (it would carry the API key, custom headers,
 * CSRF token and body there), a loop of more than the allowed hops, or one without a usable Location.
 * Names origins only: a Location's path and query may carry a signature or token.
 */
export class HTTPRedirectError extends HTTPRequestError {
  override name = "HTTPRedirectError";
  /** The redirect's status (301, 302, 303, 307, 308). */
  readonly status: number;
  /** The origin of the request. */
  readonly fromOrigin: string;
  /** The origin the server redirected to, when the Location was a URL. */
  readonly toOrigin: string | undefined;

  constructor(init: Omit<HTTPRequestErrorInit, "cause"> & { status: number; fromOrigin: string; toOrigin?: string; reason: string }) {
    super({ ...init, cause: undefined }, "failed", init.reason);
    this.status = init.status;
    this.fromOrigin = init.fromOrigin;
    this.toOrigin = init.toOrigin;
  }
}

/** A 2xx response labelled JSON (or unlabelled) whose body does not parse. */
export class InvalidResponseBodyError extends HTTPRequestError {
  override name = "InvalidResponseBodyError";
  readonly status: number;

  constructor(init: Omit<HTTPRequestErrorInit, "attempts"> & { status: number }) {
    const detail = init.cause instanceof Error ? init.cause.message : String(init.cause);
    super(
      { ...init, attempts: 1 },
      "failed",
      undefined,
      `${init.method.toUpperCase()} ${init.url} answered HTTP ${init.status} with a body that is not valid JSON: ${detail}`,
    );
    this.status = init.status;
  }
}

recogniseAcrossCopies(HTTPRequestError, "HTTPRequestError");
recogniseAcrossCopies(HTTPTimeoutError, "HTTPTimeoutError");
recogniseAcrossCopies(ResponseTooLargeError, "ResponseTooLargeError");
recogniseAcrossCopies(HTTPRedirectError, "HTTPRedirectError");
recogniseAcrossCopies(InvalidResponseBodyError, "InvalidResponseBodyError");
