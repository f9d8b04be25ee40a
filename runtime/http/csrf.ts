// Prefect's CSRF protection (client/base.py `_add_csrf_headers`): one client id per client, a token
// fetched from GET /csrf-token?client=<id>, sent with every state-changing request.
import { randomUUID } from "node:crypto";
import { HTTPStatusError } from "../errors.js";
import { CSRF_CLIENT_HEADER, CSRF_TOKEN_HEADER } from "./headers.js";

/** Methods Prefect protects. */
export const CSRF_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const DISABLED_MARKER = "CSRF protection is disabled.";
export const INVALID_TOKEN_MARKER = "Invalid CSRF token";

/** What the token endpoint answered: its status, URL, headers and body text. */
export interface TokenResponse {
  status: number;
  url: string;
  headers: Headers;
  text: string;
}

/** The header names as the transport sends them (lower-case). */
const TOKEN_HEADER = CSRF_TOKEN_HEADER.toLowerCase();
const CLIENT_HEADER = CSRF_CLIENT_HEADER.toLowerCase();

interface Token {
  value: string;
  expiresAt: number;
}

/**
 * Holds one client's CSRF token. Concurrent requests that find no valid token share one fetch;
 * a server without CSRF (404, or 422 "CSRF protection is disabled.") turns it off for good.
 */
export class CsrfSession {
  readonly clientId = randomUUID();
  #enabled: boolean;
  #token: Token | undefined;
  #pending: Promise<string | undefined> | undefined;
  readonly #requestToken: (clientId: string) => Promise<TokenResponse>;
  readonly #now: () => number;

  /** `requestToken` sends GET /csrf-token?client=<id> (with retries) and returns the response, whatever its status. */
  constructor(enabled: boolean, requestToken: (clientId: string) => Promise<TokenResponse>, now: () => number) {
    this.#enabled = enabled;
    this.#requestToken = requestToken;
    this.#now = now;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /**
   * Sets the CSRF headers on `headers` when the token is valid and returns `true`; `false` means the
   * caller must `await refreshAndSetHeaders()` instead. Synchronous so that the common case costs no await.
   */
  trySetHeaders(headers: Record<string, string>): boolean {
    const token = this.#token;
    if (token === undefined || token.expiresAt <= this.#now()) return false;
    this.#setHeaders(headers, token.value);
    return true;
  }

  /**
   * Fetches a new token (sharing a fetch already under way) and sets the headers with it, even if
   * our clock already calls it expired (clock skew must not cost a token fetch per request more than
   * once). Leaves the headers alone when the server turned CSRF off.
   */
  async refreshAndSetHeaders(headers: Record<string, string>): Promise<void> {
    this.#pending ??= this.#fetchToken().finally(() => {
      this.#pending = undefined;
    });
    const token = await this.#pending;
    if (token !== undefined) this.#setHeaders(headers, token);
  }

  #setHeaders(headers: Record<string, string>, token: string): void {
    headers[TOKEN_HEADER] = token;
    headers[CLIENT_HEADER] = this.clientId;
  }

  /** Forgets the token, e.g. after the server answered 403 "Invalid CSRF token". */
  invalidate(): void {
    this.#token = undefined;
  }

  async #fetchToken(): Promise<string | undefined> {
    const response = await this.#requestToken(this.clientId);
    const text = response.text;
    if (response.status === 404 || (response.status === 422 && text.includes(DISABLED_MARKER))) {
      this.#enabled = false;
      this.#token = undefined;
      return undefined;
    }
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text for the error below
    }
    if (response.status < 200 || response.status >= 300) {
      const detail = (body as { detail?: unknown } | null)?.detail ?? body;
      throw HTTPStatusError.from({ status: response.status, method: "GET", url: response.url, detail, body, headers: response.headers });
    }
    const { token, expiration } = (body ?? {}) as { token?: unknown; expiration?: unknown };
    const expiresAt = typeof expiration === "string" ? Date.parse(expiration) : NaN;
    if (typeof token !== "string" || Number.isNaN(expiresAt)) {
      throw new Error(`GET ${response.url} returned no usable CSRF token: expected { token, client, expiration }.`);
    }
    this.#token = { value: token, expiresAt };
    return token;
  }
}
