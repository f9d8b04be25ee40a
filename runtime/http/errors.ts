// Failures with no HTTP response. (Responses with an error status are HTTPStatusError, ../errors.ts.)

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

/** The request got no response: connection refused or reset, socket closed, ... Prefect: httpx.TransportError. */
export class HTTPRequestError extends Error {
  override name = "HTTPRequestError";
  readonly method: string;
  readonly url: string;
  readonly attempts: number;

  constructor(init: HTTPRequestErrorInit, what = "failed") {
    super(`${init.method.toUpperCase()} ${init.url} ${what} after ${init.attempts} attempt${init.attempts === 1 ? "" : "s"}: ${causeText(init.cause)}`, {
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
