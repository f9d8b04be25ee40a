// Prefect's retry rules (client/base.py `PrefectHttpxAsyncClient._send_with_retry`) as pure functions;
// the loop that applies them is in transport.ts.

/**
 * `Prefect-Maintenance: true` responses do not use up an attempt (Prefect), but an endless
 * maintenance window must not hang a caller forever: this bounds them separately.
 */
export const MAX_MAINTENANCE_WAITS = 30;

/**
 * The delay before retry number `retry` (1-based): `Retry-After` seconds if the response sent one,
 * else `2 ** retry` units (2, 4, 8, 16, 32 s with the 1 s default unit), with jitter.
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
): number {
  const retryAfterSeconds = parseRetryAfter(retryAfter);
  if (retryAfterSeconds !== undefined) {
    const delay = retryAfterSeconds * 1000;
    return delay + delay * jitterFactor * random();
  }
  const delay = 2 ** retry * baseDelayMs;
  if (delay === 0 || jitterFactor === 0) return delay;
  const lower = delay * (1 - jitterFactor * 0.9);
  const upper = delay * (1 + jitterFactor);
  return lower + (upper - lower) * random();
}

/** Seconds from `Retry-After`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** undici error codes (on `error.cause` of fetch's "fetch failed") for a dropped or stalled exchange. */
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
const CONNECT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export type NetworkFailure = "transient" | "connect" | "timeout" | undefined;

/** Classifies an error thrown by undici's fetch; `undefined` means "not a network failure, do not retry". */
export function classifyNetworkError(error: unknown): NetworkFailure {
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  const code = cause?.code ?? (error as { code?: string } | undefined)?.code;
  if (code === undefined) return undefined;
  if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return "timeout";
  if (TRANSIENT_CODES.has(code)) return "transient";
  if (CONNECT_CODES.has(code)) return "connect";
  return undefined;
}
