/** Thrown by a client that is used after it was closed. */
export class ClientClosedError extends Error {
  override name = "ClientClosedError";
  constructor(message = "The client is closed: it cannot send requests after [Symbol.asyncDispose](). Create a new client instead.") {
    super(message);
  }
}

/** No client was passed, none is open in a context, and no factory was set. */
export class MissingClientFactoryError extends Error {
  override name = "MissingClientFactoryError";
  constructor() {
    super(
      "inject-client: no client was passed, no open client was found in ClientContext, FlowRunContext or TaskRunContext, " +
        "and no client factory is set. Import your generated client module (it registers a default factory) " +
        "or call setClientFactory(() => new YourClient(...)) from inject-client/runtime.",
    );
  }
}

/** `injected()` ran as a real call: the function was not compiled by the transformer. */
export class InjectedNotTransformedError extends Error {
  override name = "InjectedNotTransformedError";
  constructor(functionName: string | undefined) {
    const where = functionName ? `the function \`${functionName}\`` : "the function that declares `client = injected()`";
    super(
      `injected() was called at run time: ${where} was compiled without the inject-client transformer. ` +
        'Add { "transform": "inject-client/transformer" } to "compilerOptions.plugins" in tsconfig.json and build with tspc ' +
        "(ts-patch), use the inject-client/vite plugin under Vite or Vitest, or pass a client explicitly.",
    );
  }
}

export interface HTTPStatusErrorInit {
  status: number;
  method: string;
  url: string;
  /** The server's `detail` field (FastAPI's error body), or the raw body text when there is none. */
  detail?: unknown;
  /** The parsed response body, when there was one. */
  body?: unknown;
  headers?: Headers;
}

function describeDetail(detail: unknown): string {
  if (detail === undefined || detail === null || detail === "") return "";
  const text = typeof detail === "string" ? detail : JSON.stringify(detail);
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 500 ? `${oneLine.slice(0, 500)}…` : oneLine;
}

/** A non-2xx response. Prefect's `PrefectHTTPStatusError`. */
export class HTTPStatusError extends Error {
  override name = "HTTPStatusError";
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly detail: unknown;
  readonly body: unknown;
  readonly headers: Headers | undefined;

  constructor(init: HTTPStatusErrorInit) {
    const detail = describeDetail(init.detail);
    super(`${init.method.toUpperCase()} ${init.url} failed with HTTP ${init.status}${detail ? `: ${detail}` : ""}`);
    this.status = init.status;
    this.method = init.method.toUpperCase();
    this.url = init.url;
    this.detail = init.detail;
    this.body = init.body;
    this.headers = init.headers;
  }

  /** The error class for a status: 404 and 409 get their own, for every operation. */
  static from(init: HTTPStatusErrorInit): HTTPStatusError {
    if (init.status === 404) return new ObjectNotFound(init);
    if (init.status === 409) return new ObjectAlreadyExists(init);
    return new HTTPStatusError(init);
  }
}

/** HTTP 404. */
export class ObjectNotFound extends HTTPStatusError {
  override name = "ObjectNotFound";
}

/** HTTP 409. */
export class ObjectAlreadyExists extends HTTPStatusError {
  override name = "ObjectAlreadyExists";
}
