// SKELETON (contract for the generated classes). The HTTP behaviour (auth, CSRF, retries,
// timeouts, secrets) is filled in behind these signatures.
import createClient, { type Client } from "openapi-fetch";
import { Agent, fetch as undiciFetch } from "undici";
import type { ManagedClient } from "../client.js";
import { ClientClosedError, HTTPStatusError } from "../errors.js";

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/** Per-call options: the last argument of every generated method. */
export interface CallOptions<Query = Record<string, unknown>> {
  query?: Query;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Milliseconds before the request is aborted; overrides the client's `timeoutMs`. */
  timeout?: number;
}

/** The parts of a call the generated method fills in from its positional arguments. */
export interface CallInput {
  path?: Record<string, unknown>;
  body?: unknown;
}

export interface ClientSettings {
  /** e.g. PREFECT_API_URL, `http://127.0.0.1:4200/api`. */
  baseUrl: string;
  apiKey?: string;
  authString?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxRetries?: number;
  retryExtraCodes?: number[];
  retryJitterFactor?: number;
  /** The unit of the `2 ** attempt` back-off, 1000 ms by default; tests make it small. */
  retryBaseDelayMs?: number;
  csrfEnabled?: boolean;
  userAgent?: string;
  /** Sent as X-PREFECT-API-VERSION; `null` sends none (non-Prefect specs). */
  apiVersion?: string | null;
  sleep?: (ms: number) => Promise<void>;
}

/** The base every generated client class extends. */
export class OpenAPIClient<Paths extends {}> implements ManagedClient {
  readonly #agent: Agent;
  readonly #settings: ClientSettings;
  protected readonly api: Client<Paths>;
  #closed = false;

  constructor(settings: ClientSettings) {
    this.#settings = settings;
    this.#agent = new Agent();
    this.api = createClient<Paths>({
      baseUrl: settings.baseUrl,
      fetch: (request) => undiciFetch(request as never, { dispatcher: this.#agent }) as unknown as Promise<Response>,
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  async open(): Promise<void> {
    if (this.#closed) throw new ClientClosedError("The client cannot be opened again after closing. Create a new client instead.");
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#agent.close();
  }

  /** Sends one operation; resolves with the parsed 2xx body (undefined for 204), rejects with HTTPStatusError. */
  protected async request<T>(method: HttpMethod, path: string, input: CallInput, options: CallOptions = {}): Promise<T> {
    if (this.#closed) throw new ClientClosedError();
    const api = this.api as unknown as {
      request(method: string, path: string, init: Record<string, unknown>): Promise<{ data?: unknown; error?: unknown; response: Response }>;
    };
    const { data, error, response } = await api.request(method, path, {
      params: { path: input.path, query: options.query },
      body: input.body,
      headers: options.headers,
      signal: options.signal,
    });
    if (!response.ok) {
      const detail = (error as { detail?: unknown } | undefined)?.detail ?? error;
      throw HTTPStatusError.from({ status: response.status, method, url: response.url, detail, body: error, headers: response.headers });
    }
    return data as T;
  }
}
