// Client settings: what a caller may pass, the defaults Prefect uses, and their checking into the settings
// a client runs with. Reading them from PREFECT_* variables is settings-from-env.ts.
import type { Dispatcher } from "undici";
import { recogniseAcrossCopies } from "../errors.js";
import { proxyFromEnv, type ProxySettings } from "./proxy.js";
import { MAX_TIMER_MS } from "./retry.js";
import { tlsOptions, type TlsOptions } from "./tls.js";

/** Prefect's server API version (Python client: `SERVER_API_VERSION`). */
export const PREFECT_API_VERSION = "0.8.4";
/** package.json's version, written into ../version.ts at build time (.ci/write-versions.mjs). */
export { VERSION as CLIENT_VERSION } from "../version.js";
/** PREFECT_CLOUD_API_URL's default: a base URL under it is Prefect Cloud (no CSRF, no version check). */
export const PREFECT_CLOUD_API_URL = "https://api.prefect.cloud/api";

/** Where `logger` sends a line per retry; `console` fits. */
export interface ClientLogger {
  debug(message: string): void;
}

export interface ClientSettings {
  /** e.g. PREFECT_API_URL, `http://127.0.0.1:4200/api`. */
  baseUrl: string;
  /** PREFECT_API_KEY: sent as `Authorization: Bearer <key>` unless `authString` is set. */
  apiKey?: string;
  /** PREFECT_API_AUTH_STRING: sent as `Authorization: Basic base64(authString)`; wins over `apiKey`. */
  authString?: string;
  /** PREFECT_CLIENT_CUSTOM_HEADERS: added to every request; may not override User-Agent or the CSRF headers. */
  headers?: Record<string, string>;
  /** PREFECT_API_REQUEST_TIMEOUT in ms (60 000): connect, response-headers and body-idle timeout of each attempt. */
  timeoutMs?: number;
  /** PREFECT_CLIENT_MAX_RETRIES (5): retries after the first attempt. */
  maxRetries?: number;
  /** PREFECT_CLIENT_RETRY_EXTRA_CODES: retried in addition to 408, 429, 502 and 503. */
  retryExtraCodes?: number[];
  /** PREFECT_CLIENT_RETRY_JITTER_FACTOR (0.2). */
  retryJitterFactor?: number;
  /** The unit of the `2 ** attempt` back-off, 1000 ms by default; tests make it small. */
  retryBaseDelayMs?: number;
  /**
   * INJECT_CLIENT_MAX_RETRY_DELAY (seconds; 300 s): the longest wait before a retry. Back-off stops
   * growing there; a Retry-After asking for more ends the retries with the response's HTTPStatusError.
   */
  maxRetryDelayMs?: number;
  /** INJECT_CLIENT_MAX_RESPONSE_BYTES (256 MiB): larger 2xx bodies end the call with ResponseTooLargeError. */
  maxResponseBytes?: number;
  /** INJECT_CLIENT_MAX_ERROR_BODY_BYTES (64 KiB): error bodies (HTTPStatusError.body) are cut there. */
  maxErrorBodyBytes?: number;
  /** INJECT_CLIENT_MAX_CONNECTIONS (100): open connections per origin; further requests queue. */
  maxConnections?: number;
  /** PREFECT_CLIENT_CSRF_SUPPORT_ENABLED (true). */
  csrfEnabled?: boolean;
  userAgent?: string;
  /** Sent as X-PREFECT-API-VERSION; `null` sends none (non-Prefect specs). */
  apiVersion?: string | null;
  /** How retries wait; the default is an abortable timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock CSRF expiry is checked against (epoch ms); tests move it. */
  now?: () => number;
  /** Where warnings go (ignored custom headers, ...); defaults to `process.emitWarning`. */
  warn?: (message: string) => void;
  /** A debug line per retry ("GET …: attempt 1/6 failed with HTTP 503; retrying in 2.0 s"), like Prefect's client logger. */
  logger?: ClientLogger;
  /**
   * PREFECT_CLOUD_API_URL (https://api.prefect.cloud/api): a `baseUrl` starting with it is Prefect Cloud:
   * no CSRF (whatever `csrfEnabled` says) and no server version check, as in Prefect.
   */
  cloudApiUrl?: string;
  /**
   * Send through HTTP_PROXY / HTTPS_PROXY, except for NO_PROXY hosts (lower-case names win), read from
   * process.env when the client is built: httpx's `trust_env`, on by default. `false` connects directly.
   */
  trustEnv?: boolean;
  /**
   * Your own undici dispatcher (a ProxyAgent, a MockAgent, an Agent with your TLS options): used for
   * every request instead of the client's own pool, and not closed by the client. With it, the proxy,
   * TLS, HTTP/2, connection and connect-retry settings do not apply: they configure the client's pool.
   */
  dispatcher?: Dispatcher;
  /** PREFECT_API_TLS_INSECURE_SKIP_VERIFY (false): accept any server certificate. */
  tlsInsecureSkipVerify?: boolean;
  /** PREFECT_API_SSL_CERT_FILE, else SSL_CERT_FILE: a PEM file of the CAs to trust instead of Node's roots. */
  sslCertFile?: string;
  /** PREFECT_API_ENABLE_HTTP2 (false): offer HTTP/2 over TLS (ALPN), falling back to HTTP/1.1. */
  http2?: boolean;
  /**
   * PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED: `open()` checks GET /admin/version once per server per
   * process. Default: on for clients generated with the Prefect profile (they pass `apiVersion`), off
   * for other APIs; never for Prefect Cloud.
   */
  serverVersionCheck?: boolean;
  /** X-Prefect-Flow-Run-Id, -Worker-Id, … from PREFECT__* variables and the run contexts; default as serverVersionCheck. */
  attribution?: boolean;
  /** Retries of a failed connect (refused, unresolvable, timed out) at 0, 0.5 and 1 s, as httpx's retries=3 in Prefect (3). */
  connectRetries?: number;
}

/** A setting (or PREFECT_* variable) has a value the client cannot use. */
export class ClientSettingsError extends Error {
  override name = "ClientSettingsError";
}
recogniseAcrossCopies(ClientSettingsError, "ClientSettingsError");

const DEFAULTS = {
  timeoutMs: 60_000,
  maxRetries: 5,
  retryJitterFactor: 0.2,
  retryBaseDelayMs: 1_000,
  maxRetryDelayMs: 300_000,
  maxResponseBytes: 256 * 1024 * 1024,
  maxErrorBodyBytes: 64 * 1024,
  maxConnections: 100, // httpx's default pool limit, under Prefect's client
  csrfEnabled: true,
} as const;

/** Settings with every default applied, checked once so the request path needs no checks. */
export interface ResolvedSettings {
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  retryCodes: ReadonlySet<number>;
  retryJitterFactor: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
  maxResponseBytes: number;
  maxErrorBodyBytes: number;
  maxConnections: number;
  csrfEnabled: boolean;
  serverType: "cloud" | "server";
  proxy: ProxySettings | undefined;
  tls: TlsOptions | undefined;
  http2: boolean;
  dispatcher: Dispatcher | undefined;
  serverVersionCheck: boolean;
  attribution: boolean;
  connectRetries: number;
  logger: ClientLogger | undefined;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  warn: (message: string) => void;
}

/** Prefect's retryable statuses: Request Timeout, Too Many Requests, Bad Gateway, Service Unavailable. */
export const DEFAULT_RETRY_CODES: readonly number[] = [408, 429, 502, 503];

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function defaultWarn(message: string): void {
  process.emitWarning(message, { type: "InjectClientWarning" });
}

function check(condition: boolean, name: string, expected: string, value: unknown): void {
  if (!condition) throw new ClientSettingsError(`Invalid client setting ${name}: expected ${expected}, got ${JSON.stringify(value)}.`);
}

/**
 * A URL as it may appear in an error: without its password, and not at all when it cannot be parsed
 * but looks as if it holds credentials (the password could be anywhere in it).
 */
export function urlForMessage(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password !== "") url.password = "***";
    return JSON.stringify(url.href);
  } catch {
    return raw.includes("@") ? "(a value with credentials, not shown)" : JSON.stringify(raw);
  }
}

/** Why `url` cannot be an API base URL, or undefined when it can. */
export function baseUrlProblem(url: URL): string | undefined {
  if (url.protocol !== "http:" && url.protocol !== "https:") return "is not an http(s) URL";
  // Credentials in the URL would end up in error messages; they belong in apiKey/authString.
  if (url.username !== "" || url.password !== "") return "holds user:password (use authString, PREFECT_API_AUTH_STRING)";
  // Every request appends its path to the base: a query or fragment would end up in the middle of it.
  if (url.href.includes("?")) return "has a query string (?…), which requests cannot keep";
  if (url.href.includes("#")) return "has a fragment (#…), which requests cannot keep";
  return undefined;
}

export function resolveSettings(settings: ClientSettings): ResolvedSettings {
  if (!settings || typeof settings.baseUrl !== "string" || settings.baseUrl === "") {
    throw new ClientSettingsError(
      "No API URL provided: pass { baseUrl } (for Prefect, e.g. http://127.0.0.1:4200/api) or set PREFECT_API_URL and use settingsFromEnv().",
    );
  }
  let url: URL;
  try {
    url = new URL(settings.baseUrl);
  } catch {
    throw new ClientSettingsError(`Invalid client setting baseUrl: ${urlForMessage(settings.baseUrl)} is not an absolute URL.`);
  }
  const problem = baseUrlProblem(url);
  if (problem) throw new ClientSettingsError(`Invalid client setting baseUrl: ${urlForMessage(settings.baseUrl)} ${problem}.`);

  const timeoutMs = settings.timeoutMs ?? DEFAULTS.timeoutMs;
  check(Number.isFinite(timeoutMs) && timeoutMs > 0, "timeoutMs", "a positive number of milliseconds", timeoutMs);
  const maxRetries = settings.maxRetries ?? DEFAULTS.maxRetries;
  check(Number.isInteger(maxRetries) && maxRetries >= 0, "maxRetries", "an integer >= 0", maxRetries);
  const retryJitterFactor = settings.retryJitterFactor ?? DEFAULTS.retryJitterFactor;
  check(Number.isFinite(retryJitterFactor) && retryJitterFactor >= 0, "retryJitterFactor", "a number >= 0", retryJitterFactor);
  const retryBaseDelayMs = settings.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs;
  check(Number.isFinite(retryBaseDelayMs) && retryBaseDelayMs >= 0, "retryBaseDelayMs", "a number >= 0", retryBaseDelayMs);
  const maxRetryDelayMs = settings.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs;
  check(
    Number.isFinite(maxRetryDelayMs) && maxRetryDelayMs >= 0 && maxRetryDelayMs <= MAX_TIMER_MS,
    "maxRetryDelayMs",
    `a number of milliseconds from 0 to ${MAX_TIMER_MS}`,
    maxRetryDelayMs,
  );
  const maxResponseBytes = settings.maxResponseBytes ?? DEFAULTS.maxResponseBytes;
  check(Number.isSafeInteger(maxResponseBytes) && maxResponseBytes >= 1, "maxResponseBytes", "an integer >= 1", maxResponseBytes);
  const maxErrorBodyBytes = settings.maxErrorBodyBytes ?? DEFAULTS.maxErrorBodyBytes;
  check(Number.isSafeInteger(maxErrorBodyBytes) && maxErrorBodyBytes >= 0, "maxErrorBodyBytes", "an integer >= 0", maxErrorBodyBytes);
  const maxConnections = settings.maxConnections ?? DEFAULTS.maxConnections;
  check(Number.isSafeInteger(maxConnections) && maxConnections >= 1, "maxConnections", "an integer >= 1", maxConnections);
  const connectRetries = settings.connectRetries ?? 3;
  check(Number.isInteger(connectRetries) && connectRetries >= 0 && connectRetries <= 10, "connectRetries", "an integer from 0 to 10", connectRetries);
  for (const code of settings.retryExtraCodes ?? []) {
    check(Number.isInteger(code) && code >= 100 && code <= 599, "retryExtraCodes", "HTTP status codes (100-599)", code);
  }

  const cloudApiUrl = (settings.cloudApiUrl ?? PREFECT_CLOUD_API_URL).replace(/\/+$/, "");
  const baseUrl = settings.baseUrl.replace(/\/+$/, "");
  // Prefect: `api_url.startswith(PREFECT_CLOUD_API_URL)`; we also want a segment boundary (…/api vs …/apix).
  const serverType = baseUrl === cloudApiUrl || baseUrl.startsWith(`${cloudApiUrl}/`) ? "cloud" : "server";
  const isPrefect = settings.apiVersion !== null;
  if (settings.logger !== undefined)
    check(typeof settings.logger?.debug === "function", "logger", "an object with a debug(message) method", typeof settings.logger);

  return {
    baseUrl,
    timeoutMs,
    maxRetries,
    retryCodes: new Set([...DEFAULT_RETRY_CODES, ...(settings.retryExtraCodes ?? [])]),
    retryJitterFactor,
    retryBaseDelayMs,
    maxRetryDelayMs,
    maxResponseBytes,
    maxErrorBodyBytes,
    maxConnections,
    csrfEnabled: serverType !== "cloud" && (settings.csrfEnabled ?? DEFAULTS.csrfEnabled),
    serverType,
    proxy: settings.dispatcher === undefined && (settings.trustEnv ?? true) ? proxyFromEnv(process.env) : undefined,
    tls: tlsOptions(settings.sslCertFile, settings.tlsInsecureSkipVerify ?? false),
    http2: settings.http2 ?? false,
    dispatcher: settings.dispatcher,
    // Default on for clients generated with the Prefect profile, which pass `apiVersion` explicitly.
    serverVersionCheck: serverType !== "cloud" && (settings.serverVersionCheck ?? typeof settings.apiVersion === "string"),
    attribution: settings.attribution ?? isPrefect,
    connectRetries,
    logger: settings.logger,
    sleep: settings.sleep ?? abortableSleep,
    now: settings.now ?? Date.now,
    warn: settings.warn ?? defaultWarn,
  };
}
