// Prefect's retry rules (client/base.py `PrefectHttpxAsyncClient._send_with_retry`) as pure functions;
// the loop that applies them is in transport.ts.

/**
 * `Prefect-Maintenance: true` responses do not use up an attempt (Prefect), but an endless
 * maintenance window must not hang a caller forever: this bounds them separately.
 */
export const MAX_MAINTENANCE_WAITS = 30;

/** The longest delay Node's timers take: setTimeout turns anything above 2^31 - 1 ms into 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The delay before retry number `retry` (1-based): `Retry-After` seconds if the response sent one,
 * else `2 ** retry` units (2, 4, 8, 16, 32 s with the 1 s default unit), with jitter; never more than
 * `maxDelayMs`. A `Retry-After` asking for more than `maxDelayMs` returns `Infinity`: not worth
 * waiting for, the caller gets the response instead (a server asking for 12 days means "not now").
 *
 * Jitter follows Prefect's `clamped_poisson_interval`/`bounded_poisson_interval` in range (a
 * back-off lands between about 0.82x and (1 + factor)x; a Retry-After between r and (1 + factor)r,
 * never earlier than the server asked) but draws uniformly: the distribution's shape does not matter
 * for spreading clients out, its bounds do.
 */
export function retryDelayMs(
  retry: number,
  retryAfter: string | null,
  baseDelayMs: number,
  jitterFactor: number,
  random: () => number = Math.random,
  maxDelayMs: number = MAX_TIMER_MS,
): number {
  const retryAfterSeconds = parseRetryAfter(retryAfter);
  if (retryAfterSeconds !== undefined) {
    const delay = retryAfterSeconds * 1000;
    if (delay > maxDelayMs) return Number.POSITIVE_INFINITY;
    return Math.min(delay + delay * jitterFactor * random(), maxDelayMs);
  }
  // Capped before the jitter too: 2 ** 1024 units would make the jitter range NaN.
  const delay = Math.min(2 ** retry * baseDelayMs, maxDelayMs);
  if (delay === 0 || jitterFactor === 0) return delay;
  const lower = delay * (1 - jitterFactor * 0.9);
  const upper = delay * (1 + jitterFactor);
  return Math.min(lower + (upper - lower) * random(), maxDelayMs);
}

/** Seconds from `Retry-After`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** undici and socket error codes for a dropped or stalled exchange. */
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET", // "other side closed"
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** Refused or unresolvable connections: Prefect retries these only once the server has answered before. */
export const CONNECT_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export type NetworkFailure = "transient" | "connect" | "timeout" | undefined;

function classifyCode(code: unknown): NetworkFailure {
  if (typeof code !== "string") return undefined;
  if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return "timeout";
  if (TRANSIENT_CODES.has(code)) return "transient";
  if (CONNECT_CODES.has(code)) return "connect";
  return undefined;
}

/**
 * Classifies an error from undici; `undefined` means "not a network failure, do not retry". Both shapes
 * count: `dispatcher.request()` rejects with undici's own errors (SocketError, HeadersTimeoutError,
 * ConnectTimeoutError, …) or Node's socket errors, their `code` on the error itself, while undici's
 * `fetch` rejects with TypeError("fetch failed") and the real error as its `cause`. A response undici cannot parse (a malformed status line or
 * header: `HTTPParserError`) is transient, like httpx's RemoteProtocolError, which Prefect retries.
 */
export function classifyNetworkError(error: unknown): NetworkFailure {
  const own = error as { code?: unknown; name?: string; cause?: { code?: unknown; name?: string } } | undefined;
  if (own?.name === "HTTPParserError" || own?.cause?.name === "HTTPParserError") return "transient";
  return classifyCode(own?.code) ?? classifyCode(own?.cause?.code);
}

/** A body went over a dispatcher's `maxResponseSize` (a dispatcher the caller passed in may set one): never retried, the same request gets the same body. */
export function exceededResponseSize(error: unknown): boolean {
  const own = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  return own?.code === "UND_ERR_RES_EXCEEDED_MAX_SIZE" || own?.cause?.code === "UND_ERR_RES_EXCEEDED_MAX_SIZE";
}
