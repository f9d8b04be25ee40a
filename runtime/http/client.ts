// The base every generated client class extends: one undici connection pool per client, the wire
// serializers of wire/ (path, query, header, cookie, body, response: OpenAPI's rules, driven by the
// operation's row) and Prefect's HTTP behaviour in transport.ts. openapi-fetch remains as the typed
// escape hatch `api`, on the same transport (fetch-adapter.ts); generated methods do not use it.
import createClient, { type Client } from "openapi-fetch";
import type { ManagedClient } from "../client.js";
import { ClientClosedError, HTTPStatusError } from "../errors.js";
import { requestEvents, type RequestEvent, type RetryEvent } from "../events.js";
import { Attribution } from "./attribution.js";
import type { ConnectRetryNotice } from "./connect-retry.js";
import { ConnectionPool } from "./connection-pool.js";
import { CsrfSession, type TokenResponse } from "./csrf.js";
import { HTTPRequestError, HTTPTimeoutError, InvalidResponseBodyError, ResponseTooLargeError } from "./errors.js";
import { fetchAdapter } from "./fetch-adapter.js";
import { staticHeaders } from "./headers.js";
import type { OperationWire, StreamedResponse } from "./operation.js";
import { PreparedRequest } from "./prepared-request.js";
import { BodyTooLargeError, contentLength, readBytes, readText, webStream } from "./read-body.js";
import { classifyNetworkError, exceededResponseSize, MAX_TIMER_MS, parseRetryAfter } from "./retry.js";
import { serializePath, serializeQuery as serializeQueryDeepObjects } from "./serialize.js";
import { resolveSettings, type ClientSettings, type ResolvedSettings } from "./settings.js";
import { DeadlineExceeded, headerText, HttpTransport, retryLine, toHeaders, type IncomingResponse } from "./transport.js";
import { versionCheckDone, checkServerVersion, ServerVersionError } from "./version-check.js";
import { encodeBody, RequestBodyError, type EncodedBody } from "./wire/body.js";
import { cookieHeader, headerValue } from "./wire/headers.js";
import { RequestParameterError } from "./wire/parameters.js";
import { compilePath, fillPath, type CompiledPath } from "./wire/path.js";
import { serializeQuery, withQuery } from "./wire/query.js";
import { responseKind } from "./wire/response.js";

export type { ClientSettings } from "./settings.js";

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/** Per-call options: the last argument of every generated method. */
export interface CallOptions<Query = Record<string, unknown>, Headers = Record<string, string>, Cookies = Record<string, unknown>> {
  query?: Query;
  /**
   * Header parameters (serialized as the spec says: `simple`, arrays and objects comma-separated) and
   * any other header, sent as a string. A value with CR, LF, NUL or a character outside Latin-1 is refused.
   */
  headers?: Headers;
  /** Cookie parameters, sent as one `Cookie` header (`form`, percent-encoded). */
  cookies?: Cookies;
  /** Aborts the call, including any retry it is waiting for; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Milliseconds before each attempt is aborted; replaces the client's `timeoutMs` for this call. */
  timeout?: number;
}

/** The parts of a call `request()` fills in from a generated method's positional arguments. */
export interface CallInput {
  path?: Record<string, unknown>;
  body?: unknown;
}

/** A row of an operations table as defineOperations prepares it once, for every call of its method. */
export interface PreparedOperation {
  readonly method: HttpMethod;
  readonly path: CompiledPath;
  /** For each placeholder of the path, the index of the method argument that fills it. */
  readonly argumentIndex: readonly number[];
  /** The body's argument index, -1 when the operation takes none; the options come after it. */
  readonly bodyIndex: number;
  readonly optionsIndex: number;
  readonly wire: OperationWire | undefined;
}

const UPPER: Readonly<Record<string, string>> = {
  get: "GET",
  put: "PUT",
  post: "POST",
  delete: "DELETE",
  options: "OPTIONS",
  head: "HEAD",
  patch: "PATCH",
  trace: "TRACE",
};

/** `request()` takes a template per call: compiled once per template, in a bounded cache (a caller could build templates). */
const compiledPaths = new Map<string, CompiledPath>();
function compiledPath(template: string): CompiledPath {
  let compiled = compiledPaths.get(template);
  if (compiled === undefined) {
    if (compiledPaths.size >= 4096) compiledPaths.clear();
    compiled = compilePath(template);
    compiledPaths.set(template, compiled);
  }
  return compiled;
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

function lowerCaseNames(headers: Record<string, string>): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const name of Object.keys(headers)) lower[name.toLowerCase()] = headers[name]!;
  return lower;
}

function checkTimeout(timeout: number | undefined): void {
  if (timeout !== undefined && !(typeof timeout === "number" && timeout > 0 && timeout <= MAX_TIMER_MS)) {
    throw new TypeError(`options.timeout must be a number of milliseconds from 1 to ${MAX_TIMER_MS}, got ${String(timeout)}`);
  }
}

/**
 * Sends one row of an operations table for a client (defineOperations' methods call it). Set by
 * OpenAPIClient's static block, so the module that defines methods reaches the private send path
 * without it being a member anyone could call.
 */
export let sendOperation: (client: OpenAPIClient<{}>, operation: PreparedOperation, args: readonly unknown[], streaming: boolean) => Promise<unknown>;

/** The base every generated client class extends. */
export class OpenAPIClient<Paths extends {}> implements ManagedClient {
  readonly #connections: ConnectionPool;
  readonly #settings: ResolvedSettings;
  readonly #transport: HttpTransport;
  /** Where requests go, and the base URL's path that every request target starts with. */
  readonly #origin: string;
  readonly #basePath: string;
  /** The headers every request carries, lower-case names; shared by calls that add none. */
  readonly #headers: Readonly<Record<string, string>>;
  /**
   * openapi-fetch `createClient<Paths>()` wired to this client's pool and HTTP behaviour (auth, CSRF,
   * retries, timeouts, limits), for calls the generated methods do not cover. Its middlewares (`api.use`)
   * see a `PreparedRequest` (url, method, headers, body, signal), not a WHATWG `Request`; it keeps
   * openapi-fetch's own serialization (objects in a query as deepObject).
   */
  protected readonly api: Client<Paths>;
  #closed = false;

  static {
    sendOperation = (client, operation, args, streaming) => {
      if (!(client instanceof OpenAPIClient))
        return Promise.reject(new TypeError("A client method was called without its client (as a detached function?)"));
      const options = args[operation.optionsIndex] as CallOptions | undefined;
      const body = operation.bodyIndex === -1 ? undefined : args[operation.bodyIndex];
      return client.#call(operation.method, operation.path, args, operation.argumentIndex, body, options, operation.wire, streaming);
    };
  }

  constructor(settings: ClientSettings) {
    const resolved = resolveSettings(settings);
    this.#settings = resolved;
    const base = new URL(resolved.baseUrl);
    this.#origin = base.origin;
    this.#basePath = base.pathname.replace(/\/+$/, "");
    this.#connections = new ConnectionPool(resolved, (notice) => this.#announceConnectRetry(notice));
    const headers = staticHeaders(settings, resolved.warn);
    this.#headers = Object.freeze(lowerCaseNames(headers));
    const isClosed = () => this.#closed;
    let transport: HttpTransport;
    const csrf = new CsrfSession(resolved.csrfEnabled, (clientId) => this.#fetchCsrfToken(transport, clientId), resolved.now);
    const attribution = resolved.attribution ? new Attribution(process.env) : undefined;
    transport = new HttpTransport(this.#connections.agent, this.#connections.readsHeadersOnly, resolved, csrf, isClosed, attribution);
    this.#transport = transport;
    this.api = createClient<Paths>({
      baseUrl: resolved.baseUrl,
      headers,
      Request: PreparedRequest as unknown as typeof Request,
      fetch: fetchAdapter(transport, resolved.maxResponseBytes) as unknown as (request: Request) => Promise<Response>,
      pathSerializer: (url, params) => serializePath(url, params, resolved.baseUrl.length),
      querySerializer: serializeQueryDeepObjects,
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** "cloud" when `baseUrl` starts with PREFECT_CLOUD_API_URL (`cloudApiUrl`), else "server": Prefect's `server_type`. */
  get serverType(): "cloud" | "server" {
    return this.#settings.serverType;
  }

  /**
   * Called when the runtime opens a client it created (and by `await client.open()`). Fails on a
   * closed client, as in Prefect. With `serverVersionCheck` (on for Prefect servers, off for Cloud)
   * it checks GET /admin/version once per server per process: a server of another major version
   * rejects with ServerVersionError. Connections themselves open on first use.
   */
  async open(): Promise<void> {
    if (this.#closed) throw new ClientClosedError("The client cannot be opened again after closing. Create a new client instead.");
    const { baseUrl, serverVersionCheck } = this.#settings;
    if (serverVersionCheck && !versionCheckDone(baseUrl)) {
      let version: unknown;
      try {
        version = await this.request<unknown>("get", "/admin/version", {});
      } catch (error) {
        // Prefect re-raises an auth failure as it is and reports anything else as "Failed to reach API".
        if (error instanceof ClientClosedError || (error instanceof HTTPStatusError && (error.status === 401 || error.status === 403))) throw error;
        throw new ServerVersionError(
          `Cannot check the Prefect server's version at ${baseUrl}: ${(error as Error).message} ` +
            "(set PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED=false, or serverVersionCheck: false, to skip this check).",
          "",
          { cause: error },
        );
      }
      checkServerVersion(baseUrl, version);
    }
  }

  /**
   * Prefect's `api_healthcheck()`: GET /health, resolving with `undefined` when the server answered 2xx
   * and with the error otherwise (it never rejects, except on a closed client).
   */
  async apiHealthcheck(options?: CallOptions): Promise<Error | undefined> {
    if (this.#closed) throw new ClientClosedError();
    try {
      await this.request<unknown>("get", "/health", {}, options);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  #announceConnectRetry(notice: ConnectRetryNotice): void {
    const logger = this.#settings.logger;
    if (!requestEvents.hasSubscribers && logger === undefined) return;
    const event: RetryEvent = {
      type: "retry",
      phase: "connect",
      method: "CONNECT",
      url: notice.origin,
      attempt: notice.retry,
      maxAttempts: notice.retries + 1,
      delayMs: notice.delayMs,
      error: notice.cause,
    };
    if (requestEvents.hasSubscribers) requestEvents.publish(event);
    logger?.debug(retryLine(event));
  }

  /** GET /csrf-token?client=<id>, through the transport (retries, timeouts, limits), for CsrfSession. */
  async #fetchCsrfToken(transport: HttpTransport, clientId: string): Promise<TokenResponse> {
    const incoming = await transport.send({
      method: "GET",
      origin: this.#origin,
      path: `${this.#basePath}/csrf-token?client=${encodeURIComponent(clientId)}`,
      headers: this.#headers,
      body: null,
      replayable: true,
      signal: undefined,
      timeout: undefined,
      streaming: false,
    });
    const text =
      incoming.body === undefined
        ? incoming.text
        : await readText(incoming.body, this.#settings.maxResponseBytes, contentLength(incoming.headers["content-length"]));
    return { status: incoming.status, url: incoming.url, headers: toHeaders(incoming.headers), text };
  }

  /**
   * Stops retries that are waiting and closes the connection pool: requests in flight get a short
   * grace (CLOSE_GRACE_MS, connection-pool.ts) to finish, then their sockets are destroyed and they
   * reject with ClientClosedError, so closing never waits on a silent or drip-feeding server. A
   * streamed body still being read ends the same way.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#transport.close();
    await this.#connections.close();
  }

  /**
   * Sends one operation. Resolves with the 2xx body: JSON for JSON content types (and unlabelled
   * bodies), text for other content types (text/csv, text/plain), a Uint8Array when `wire.response`
   * declares a binary type, `undefined` for 204 or an empty body. Rejects with HTTPStatusError
   * (ObjectNotFound for 404, ObjectAlreadyExists for 409), HTTPTimeoutError, HTTPRequestError,
   * RequestParameterError, RequestBodyError, ClientClosedError, or the caller's abort reason.
   */
  protected request<T>(method: HttpMethod, path: string, input: CallInput, options?: CallOptions, wire?: OperationWire): Promise<T> {
    return this.#call(method, compiledPath(path), input.path, undefined, input.body, options, wire, false) as Promise<T>;
  }

  async #call(
    method: HttpMethod,
    path: CompiledPath,
    values: Readonly<Record<string, unknown>> | readonly unknown[] | undefined,
    argumentIndex: readonly number[] | undefined,
    body: unknown,
    options: CallOptions | undefined,
    wire: OperationWire | undefined,
    streaming: boolean,
  ): Promise<unknown> {
    if (this.#closed) throw new ClientClosedError();
    const startedAt = requestEvents.hasSubscribers ? performance.now() : -1;
    const upper = UPPER[method] ?? String(method).toUpperCase();
    // Until the target is built, errors name the template under the base URL.
    let url = this.#settings.baseUrl + path.template;
    let incoming: IncomingResponse | undefined;
    try {
      const query = options?.query === undefined ? "" : serializeQuery(options.query as Record<string, unknown>, wire?.query);
      const target = withQuery(this.#basePath + fillPath(path, values, wire?.path, argumentIndex), wire?.fixedQuery, query);
      url = this.#origin + target;
      const encoded = body === undefined ? undefined : encodeBody(body, wire?.body, wire?.bodyEncoding);
      const headers =
        encoded === undefined && options?.headers === undefined && options?.cookies === undefined
          ? this.#headers
          : this.#callHeaders(encoded, options, wire);
      checkTimeout(options?.timeout);
      incoming = await this.#transport.send({
        method: upper,
        origin: this.#origin,
        path: target,
        headers,
        body: encoded === undefined ? null : encoded.body,
        replayable: encoded === undefined || encoded.replayable,
        signal: options?.signal,
        timeout: options?.timeout,
        streaming,
      });
      url = incoming.url;
      if (incoming.status >= 300) throw this.#statusError(upper, incoming);
      const result = streaming
        ? this.#streamedResponse(incoming, upper, path.template, options?.signal)
        : await this.#readResult(incoming, wire?.response);
      if (startedAt >= 0) this.#publish(startedAt, upper, path.template, url, incoming.status);
      return result;
    } catch (error) {
      const normalized = this.#normalizeError(error, upper, path.template, url, options?.signal, incoming?.attempts ?? 1);
      if (startedAt >= 0) {
        const statusError = normalized instanceof HTTPStatusError;
        this.#publish(
          startedAt,
          upper,
          path.template,
          (normalized as { url?: string } | undefined)?.url ?? url,
          incoming?.status,
          statusError ? undefined : normalized,
        );
      }
      throw normalized;
    }
  }

  /** The static headers plus the call's own: Content-Type, header parameters, cookies. */
  #callHeaders(encoded: EncodedBody | undefined, options: CallOptions | undefined, wire: OperationWire | undefined): Record<string, string> {
    const headers: Record<string, string> = { ...this.#headers };
    if (encoded?.contentType !== undefined) headers["content-type"] = encoded.contentType;
    const own = options?.headers as Record<string, unknown> | undefined | null;
    if (own !== undefined && own !== null) {
      for (const name of Object.keys(own)) {
        const value = headerValue(name, own[name], wire?.header?.[name]);
        if (value === undefined) continue;
        const lower = name.toLowerCase();
        // A multipart body's boundary is ours: the caller's Content-Type cannot replace it.
        if (lower === "content-type" && encoded?.contentType?.includes("boundary=")) continue;
        headers[lower] = value;
      }
    }
    const cookie = options?.cookies === undefined ? "" : cookieHeader(options.cookies as Record<string, unknown>, wire?.cookie);
    if (cookie !== "") headers.cookie = headers.cookie === undefined ? cookie : `${headers.cookie}; ${cookie}`;
    return headers;
  }

  /** A 2xx response handed over unread; a read that fails later gets the same error classes as a buffered one. */
  #streamedResponse(incoming: IncomingResponse, method: string, template: string, signal: AbortSignal | undefined): StreamedResponse {
    const mapError = (error: unknown) => this.#normalizeError(error, method, template, incoming.url, signal, incoming.attempts);
    return { status: incoming.status, headers: toHeaders(incoming.headers), url: incoming.url, body: webStream(incoming.body!, { mapError }) };
  }

  /** A 2xx body, read as its media type says, within maxResponseBytes. */
  async #readResult(incoming: IncomingResponse, declared: string | undefined): Promise<unknown> {
    const body = incoming.body!;
    const headers = incoming.headers;
    const length = headers["content-length"];
    if (incoming.status === 204 || incoming.method === "HEAD" || (length === "0" && headers["transfer-encoding"] === undefined)) {
      await body.dump();
      return undefined;
    }
    const limit = this.#settings.maxResponseBytes;
    const kind = responseKind(headers["content-type"], declared);
    if (kind === "bytes") return readBytes(body, limit, contentLength(length));
    const text = await readText(body, limit, contentLength(length));
    if (kind === "text") return text;
    if (text === "") return undefined;
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new InvalidResponseBodyError({ method: incoming.method, url: incoming.url, status: incoming.status, cause: error });
    }
  }

  #publish(startedAt: number, method: string, path: string, url: string, status: number | undefined, error?: unknown): void {
    const event: RequestEvent = { type: "request", method, path, url, status, durationMs: performance.now() - startedAt };
    if (error !== undefined) event.error = error;
    requestEvents.publish(event);
  }

  #statusError(method: string, incoming: IncomingResponse): HTTPStatusError {
    const text = incoming.text;
    let body: unknown = text === "" ? undefined : text;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: the text is the body
      }
    }
    const detail = (body as { detail?: unknown } | null | undefined)?.detail ?? body;
    const statusError = HTTPStatusError.from({
      status: incoming.status,
      method,
      url: incoming.url,
      detail,
      body,
      headers: toHeaders(incoming.headers),
    });
    // The stack is rendered on first access, so it shows the amended message too.
    statusError.message += this.#retryAfterNote(incoming);
    return statusError;
  }

  /** Why a retryable status was not retried when its Retry-After asked for more than maxRetryDelayMs. */
  #retryAfterNote(incoming: IncomingResponse): string {
    const settings = this.#settings;
    if (!settings.retryCodes.has(incoming.status)) return "";
    const seconds = parseRetryAfter(headerText(incoming.headers["retry-after"]));
    if (seconds === undefined || seconds * 1000 <= settings.maxRetryDelayMs) return "";
    return ` (not retried: Retry-After asks for ${Math.ceil(seconds)} s, more than maxRetryDelayMs allows, ${settings.maxRetryDelayMs} ms)`;
  }

  /** Errors from building the request or reading a body get the same classes as the transport's own. */
  #normalizeError(error: unknown, method: string, path: string, url: string, signal: AbortSignal | undefined, attempts: number): unknown {
    if (error instanceof HTTPStatusError || error instanceof HTTPRequestError || error instanceof ClientClosedError) return error;
    if (error instanceof RequestParameterError || error instanceof RequestBodyError) return error.inOperation(`${method} ${path}`);
    if (signal?.aborted) return signal.reason;
    // close() destroyed the socket the body was coming in on
    if (this.#closed) return new ClientClosedError();
    if (error instanceof DeadlineExceeded) return new HTTPTimeoutError({ method, url, attempts, cause: error });
    if (error instanceof BodyTooLargeError || exceededResponseSize(error)) {
      return new ResponseTooLargeError({ method, url, attempts, cause: error, limit: this.#settings.maxResponseBytes });
    }
    const failure = error as { name?: string; code?: unknown; cause?: unknown } | undefined;
    const kind = classifyNetworkError(error);
    if (kind === "timeout" || failure?.name === "TimeoutError") return new HTTPTimeoutError({ method, url, attempts, cause: error });
    // undici's own errors (UND_ERR_*), Node's socket errors, and fetch-style TypeErrors with a cause.
    if (
      kind !== undefined ||
      (typeof failure?.code === "string" && failure.code.startsWith("UND_ERR")) ||
      (error instanceof TypeError && failure?.cause !== undefined)
    ) {
      return new HTTPRequestError({ method, url, attempts, cause: error });
    }
    return error;
  }

  /** Keeps secrets (API key, auth string, Authorization header) out of console.log and util.inspect. */
  [INSPECT](): string {
    return `${this.constructor.name} { baseUrl: ${JSON.stringify(this.#settings.baseUrl)}, closed: ${this.#closed} }`;
  }
}
