// The base every generated client class extends: one undici connection pool per client, an
// openapi-fetch client for URL/query/body handling, and Prefect's HTTP behaviour in transport.ts.
import createClient, { type Client } from "openapi-fetch";
import type { ManagedClient } from "../client.js";
import { ClientClosedError, HTTPStatusError } from "../errors.js";
import { requestEvents, type RequestEvent, type RetryEvent } from "../events.js";
import { Attribution } from "./attribution.js";
import type { ConnectRetryNotice } from "./connect-retry.js";
import { ConnectionPool } from "./connection-pool.js";
import { CsrfSession } from "./csrf.js";
import { HTTPRequestError, HTTPTimeoutError, InvalidResponseBodyError, ResponseTooLargeError } from "./errors.js";
import { staticHeaders } from "./headers.js";
import { resolveSettings, type ClientSettings, type ResolvedSettings } from "./settings.js";
import { PreparedRequest } from "./prepared-request.js";
import { exceededResponseSize, parseRetryAfter } from "./retry.js";
import { RequestParameterError, serializePath, serializeQuery } from "./serialize.js";
import { follow, unfollow } from "./signal-fanout.js";
import { HttpTransport, retryLine } from "./transport.js";
import { checkServerVersion, ServerVersionError, versionCheckDone } from "./version-check.js";

export type { ClientSettings } from "./settings.js";

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/** Per-call options: the last argument of every generated method. */
export interface CallOptions<Query = Record<string, unknown>> {
  query?: Query;
  headers?: Record<string, string>;
  /** Aborts the call, including any retry it is waiting for; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Milliseconds before each attempt is aborted; replaces the client's `timeoutMs` for this call. */
  timeout?: number;
}

/** The parts of a call the generated method fills in from its positional arguments. */
export interface CallInput {
  path?: Record<string, unknown>;
  body?: unknown;
}

/** The shape of openapi-fetch's untyped `request()`: `request<T>` checks types at the generated method instead. */
interface UntypedFetchClient {
  request(
    method: string,
    path: string,
    init: Record<string, unknown>,
  ): Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

const NO_PATH_PARAMETERS: Record<string, unknown> = Object.freeze({});

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

function isJson(contentType: string | null): boolean {
  if (contentType === null) return true; // Prefect and FastAPI always label JSON; an unlabelled body is tried as JSON
  return contentType.includes("json");
}

/** The base every generated client class extends. */
export class OpenAPIClient<Paths extends {}> implements ManagedClient {
  readonly #connections: ConnectionPool;
  readonly #settings: ResolvedSettings;
  readonly #transport: HttpTransport;
  /**
   * openapi-fetch `createClient<Paths>()` wired to this client's pool and HTTP behaviour (auth, CSRF,
   * retries, timeouts), for calls the generated methods do not cover. Its middlewares (`api.use`) see
   * a `PreparedRequest` (url, method, headers, body, signal), not a WHATWG `Request`.
   */
  protected readonly api: Client<Paths>;
  #closed = false;

  constructor(settings: ClientSettings) {
    const resolved = resolveSettings(settings);
    this.#settings = resolved;
    this.#connections = new ConnectionPool(resolved, (notice) => this.#announceConnectRetry(notice));
    const headers = staticHeaders(settings, resolved.warn);
    const isClosed = () => this.#closed;
    let transport: HttpTransport;
    const csrf = new CsrfSession(
      resolved.csrfEnabled,
      (clientId) =>
        transport.fetch(new PreparedRequest(`${resolved.baseUrl}/csrf-token?client=${encodeURIComponent(clientId)}`, { headers: { ...headers } })),
      resolved.now,
    );
    const attribution = resolved.attribution ? new Attribution(process.env) : undefined;
    transport = new HttpTransport(this.#connections.agent, resolved, csrf, isClosed, attribution);
    this.#transport = transport;
    this.api = createClient<Paths>({
      baseUrl: resolved.baseUrl,
      headers,
      Request: PreparedRequest as unknown as typeof Request,
      fetch: transport.fetch as unknown as (request: Request) => Promise<Response>,
      pathSerializer: (url, params) => serializePath(url, params, resolved.baseUrl.length),
      querySerializer: serializeQuery,
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

  /**
   * Stops retries that are waiting and closes the connection pool: requests in flight get a short
   * grace (CLOSE_GRACE_MS, connection-pool.ts) to finish, then their sockets are destroyed and they
   * reject with ClientClosedError, so closing never waits on a silent or drip-feeding server.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#transport.close();
    await this.#connections.close();
  }

  /**
   * Sends one operation. Resolves with the parsed 2xx body: JSON for JSON content types, text for
   * others (text/csv, text/plain), `undefined` for 204 or an empty body. Rejects with
   * HTTPStatusError (ObjectNotFound for 404, ObjectAlreadyExists for 409), HTTPTimeoutError,
   * HTTPRequestError, ClientClosedError, or the caller's abort reason.
   */
  protected async request<T>(method: HttpMethod, path: string, input: CallInput, options?: CallOptions): Promise<T> {
    if (this.#closed) throw new ClientClosedError();
    const startedAt = requestEvents.hasSubscribers ? performance.now() : -1;
    const callerSignal = options?.signal;
    // undici adds a listener per request to the signal it gets, so one signal shared by many calls
    // would collect them: each call gets its own signal, following the caller's (signal-fanout.ts).
    const callSignal = callerSignal === undefined ? undefined : new AbortController();
    if (callSignal !== undefined) follow(callerSignal!, callSignal);
    let response: Response | undefined;
    let text: string;
    try {
      const result = await (this.api as unknown as UntypedFetchClient).request(method, path, {
        // openapi-fetch fills placeholders only when it has a path object: give it one, so a missing
        // parameter is an error rather than a literal "{id}" in the URL.
        params: { path: input.path ?? NO_PATH_PARAMETERS, query: options?.query },
        body: input.body,
        headers: options?.headers,
        signal: callSignal?.signal,
        timeout: options?.timeout,
        // "stream" makes openapi-fetch leave a 2xx body unread, so we can choose JSON or text below.
        parseAs: "stream",
      });
      response = result.response;
      if (startedAt >= 0) this.#publish(startedAt, method, path, response.url, response.status);
      if (!response.ok) throw this.#statusError(method, path, result.error, response);
      if (result.data === undefined) return undefined as T; // 204, HEAD or an empty body
      text = await response.text();
      if (!isJson(response.headers.get("content-type"))) return text as T;
    } catch (error) {
      // Once the headers are in, errors name the URL that was sent (placeholders filled, redirects followed).
      const url = response?.url || `${this.#settings.baseUrl}${path}`;
      const normalized = this.#normalizeError(error, method, path, url, callerSignal);
      if (startedAt >= 0 && !(normalized instanceof HTTPStatusError)) {
        this.#publish(startedAt, method, path, (normalized as { url?: string } | undefined)?.url ?? url, undefined, normalized);
      }
      throw normalized;
    } finally {
      if (callSignal !== undefined) unfollow(callerSignal!, callSignal);
    }
    if (text === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new InvalidResponseBodyError({ method, url: response!.url, status: response!.status, cause: error });
    }
  }

  #publish(startedAt: number, method: string, path: string, url: string, status: number | undefined, error?: unknown): void {
    const event: RequestEvent = { type: "request", method: method.toUpperCase(), path, url, status, durationMs: performance.now() - startedAt };
    if (error !== undefined) event.error = error;
    requestEvents.publish(event);
  }

  #statusError(method: string, path: string, error: unknown, response: Response): HTTPStatusError {
    const detail = (error as { detail?: unknown } | null | undefined)?.detail ?? error;
    const statusError = HTTPStatusError.from({
      status: response.status,
      method,
      url: response.url || `${this.#settings.baseUrl}${path}`,
      detail,
      body: error,
      headers: response.headers,
    });
    // The stack is rendered on first access, so it shows the amended message too.
    statusError.message += this.#retryAfterNote(response);
    return statusError;
  }

  /** Why a retryable status was not retried when its Retry-After asked for more than maxRetryDelayMs. */
  #retryAfterNote(response: Response): string {
    const settings = this.#settings;
    if (!settings.retryCodes.has(response.status)) return "";
    const seconds = parseRetryAfter(response.headers.get("retry-after"));
    if (seconds === undefined || seconds * 1000 <= settings.maxRetryDelayMs) return "";
    return ` (not retried: Retry-After asks for ${Math.ceil(seconds)} s, more than maxRetryDelayMs allows, ${settings.maxRetryDelayMs} ms)`;
  }

  /** Errors from reading a body (after the transport returned) get the same classes as the transport's own. */
  #normalizeError(error: unknown, method: string, path: string, url: string, signal: AbortSignal | undefined): unknown {
    if (error instanceof HTTPStatusError || error instanceof HTTPRequestError || error instanceof ClientClosedError) return error;
    if (error instanceof RequestParameterError) return error.inOperation(`${method.toUpperCase()} ${path}`);
    if (signal?.aborted) return signal.reason;
    // close() destroyed the socket the body was coming in on
    if (this.#closed) return new ClientClosedError();
    if (exceededResponseSize(error)) return new ResponseTooLargeError({ method, url, attempts: 1, cause: error, limit: this.#settings.maxResponseBytes });
    const failure = error as { name?: string; cause?: { code?: string } };
    if (failure?.name === "TimeoutError" || failure?.cause?.code === "UND_ERR_BODY_TIMEOUT") {
      return new HTTPTimeoutError({ method, url, attempts: 1, cause: error });
    }
    if (error instanceof TypeError && failure.cause !== undefined) return new HTTPRequestError({ method, url, attempts: 1, cause: error });
    return error;
  }

  /** Keeps secrets (API key, auth string, Authorization header) out of console.log and util.inspect. */
  [INSPECT](): string {
    return `${this.constructor.name} { baseUrl: ${JSON.stringify(this.#settings.baseUrl)}, closed: ${this.#closed} }`;
  }
}
