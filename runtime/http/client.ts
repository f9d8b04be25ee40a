// The base every generated client class extends: one undici connection pool per client, an
// openapi-fetch client for URL/query/body handling, and Prefect's HTTP behaviour in transport.ts.
import createClient, { type Client } from "openapi-fetch";
import { Agent } from "undici";
import type { ManagedClient } from "../client.js";
import { ClientClosedError, HTTPStatusError } from "../errors.js";
import { requestEvents, type RequestEvent } from "../events.js";
import { CsrfSession } from "./csrf.js";
import { HTTPRequestError, HTTPTimeoutError } from "./errors.js";
import { staticHeaders } from "./headers.js";
import { resolveSettings, type ClientSettings, type ResolvedSettings } from "./settings.js";
import { PreparedRequest } from "./prepared-request.js";
import { RequestParameterError, serializePath, serializeQuery } from "./serialize.js";
import { HttpTransport } from "./transport.js";

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
  readonly #agent: Agent;
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
    // PREFECT_API_REQUEST_TIMEOUT bounds connecting, waiting for headers and each wait for body data,
    // like httpx's connect/read timeouts in Prefect; the Agent applies it to every attempt for free.
    this.#agent = new Agent({ connectTimeout: resolved.timeoutMs, headersTimeout: resolved.timeoutMs, bodyTimeout: resolved.timeoutMs });
    const headers = staticHeaders(settings, resolved.warn);
    const isClosed = () => this.#closed;
    let transport: HttpTransport;
    const csrf = new CsrfSession(
      resolved.csrfEnabled,
      (clientId) =>
        transport.fetch(new PreparedRequest(`${resolved.baseUrl}/csrf-token?client=${encodeURIComponent(clientId)}`, { headers: { ...headers } })),
      resolved.now,
    );
    transport = new HttpTransport(this.#agent, resolved, csrf, isClosed);
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

  /** Nothing to set up: connections open on first use. Fails on a closed client, as in Prefect. */
  async open(): Promise<void> {
    if (this.#closed) throw new ClientClosedError("The client cannot be opened again after closing. Create a new client instead.");
  }

  /** Closes the connection pool (after in-flight requests finish) and stops retries that are waiting. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#transport.close();
    await this.#agent.close();
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
    let result: { data?: unknown; error?: unknown; response: Response };
    let text: string;
    try {
      result = await (this.api as unknown as UntypedFetchClient).request(method, path, {
        // openapi-fetch fills placeholders only when it has a path object: give it one, so a missing
        // parameter is an error rather than a literal "{id}" in the URL.
        params: { path: input.path ?? NO_PATH_PARAMETERS, query: options?.query },
        body: input.body,
        headers: options?.headers,
        signal: options?.signal,
        timeout: options?.timeout,
        // "stream" makes openapi-fetch leave a 2xx body unread, so we can choose JSON or text below.
        parseAs: "stream",
      });
      const response = result.response;
      if (startedAt >= 0) this.#publish(startedAt, method, path, response.url, response.status);
      if (!response.ok) throw this.#statusError(method, path, result.error, response);
      if (result.data === undefined) return undefined as T; // 204, HEAD or an empty body
      text = await response.text();
      if (!isJson(response.headers.get("content-type"))) return text as T;
    } catch (error) {
      const normalized = this.#normalizeError(error, method, path, options?.signal);
      if (startedAt >= 0 && !(normalized instanceof HTTPStatusError)) {
        this.#publish(startedAt, method, path, `${this.#settings.baseUrl}${path}`, undefined, normalized);
      }
      throw normalized;
    }
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  #publish(startedAt: number, method: string, path: string, url: string, status: number | undefined, error?: unknown): void {
    const event: RequestEvent = { method: method.toUpperCase(), path, url, status, durationMs: performance.now() - startedAt };
    if (error !== undefined) event.error = error;
    requestEvents.publish(event);
  }

  #statusError(method: string, path: string, error: unknown, response: Response): HTTPStatusError {
    const detail = (error as { detail?: unknown } | null | undefined)?.detail ?? error;
    return HTTPStatusError.from({
      status: response.status,
      method,
      url: response.url || `${this.#settings.baseUrl}${path}`,
      detail,
      body: error,
      headers: response.headers,
    });
  }

  /** Errors from reading a body (after the transport returned) get the same classes as the transport's own. */
  #normalizeError(error: unknown, method: string, path: string, signal: AbortSignal | undefined): unknown {
    if (error instanceof HTTPStatusError || error instanceof HTTPRequestError || error instanceof ClientClosedError) return error;
    if (error instanceof RequestParameterError) return error.inOperation(`${method.toUpperCase()} ${path}`);
    if (signal?.aborted && error === signal.reason) return error;
    if (signal?.aborted) return signal.reason;
    const url = `${this.#settings.baseUrl}${path}`;
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
