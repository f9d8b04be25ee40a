// What the `api` escape hatch's openapi-fetch builds for each call in place of a WHATWG `Request` (its
// `Request` option); fetch-adapter.ts sends it through the client's transport.
// Typed with Node's global fetch types, not undici's, so the runtime's public declarations do not pull
// undici's into every user's type-check.
interface PreparedRequestInit {
  method?: string;
  headers?: RequestInit["headers"];
  body?: RequestInit["body"];
  signal?: AbortSignal | null;
  /** Per-call timeout in ms (CallOptions.timeout); openapi-fetch passes unknown init keys through. */
  timeout?: number;
}

/**
 * The URL, headers and serialized body of a call, kept as plain values so every attempt can resend
 * the body, and so no WHATWG `Request` is built at all.
 */
export class PreparedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: NonNullable<RequestInit["body"]> | null;
  readonly signal: AbortSignal | null;
  readonly timeout: number | undefined;

  constructor(url: string | URL, init: PreparedRequestInit = {}) {
    this.url = String(url);
    this.method = (init.method ?? "GET").toUpperCase();
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers as ConstructorParameters<typeof Headers>[0]);
    this.body = init.body ?? null;
    this.signal = init.signal ?? null;
    this.timeout = init.timeout;
  }
}
