// Client settings: what a caller may pass, the defaults Prefect uses, and `settingsFromEnv`, which
// reads the same PREFECT_* variables as Prefect's Python client.
import type { Dispatcher } from "undici";
import { recogniseAcrossCopies } from "../errors.js";
import { loadProfile, profilesPath, type LoadedProfile } from "./profiles.js";
import { proxyFromEnv, type ProxySettings } from "./proxy.js";
import { MAX_TIMER_MS } from "./retry.js";
import { readCertFile, tlsOptions, type TlsOptions } from "./tls.js";

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
function baseUrlProblem(url: URL): string | undefined {
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

// ---------------------------------------------------------------------------------------------
// settingsFromEnv

type Env = Record<string, string | undefined>;

/**
 * The variables settingsFromEnv reads: the environment over the active Prefect profile. `label` names
 * where a value came from, for error messages (never the value itself).
 */
class SettingsSource {
  constructor(
    readonly env: Env,
    readonly profile: LoadedProfile | undefined,
  ) {}

  /** Pydantic (Prefect's settings) treats an empty variable like an unset one for optional values. */
  get(name: string): string | undefined {
    const value = this.env[name]?.trim();
    if (value !== undefined && value !== "") return value;
    const fromProfile = this.profile?.values[name]?.trim();
    return fromProfile === undefined || fromProfile === "" ? undefined : fromProfile;
  }

  label(name: string): string {
    const value = this.env[name]?.trim();
    if ((value === undefined || value === "") && this.profile?.values[name] !== undefined) {
      return `${name} (in profile ${JSON.stringify(this.profile.name)} of ${this.profile.path})`;
    }
    return name;
  }
}

function envError(source: SettingsSource, name: string, expected: string, value: string): ClientSettingsError {
  return new ClientSettingsError(`Invalid value for ${source.label(name)}: expected ${expected}, got ${JSON.stringify(value)}.`);
}

function readNumber(source: SettingsSource, name: string, { integer = false, min = 0, minExclusive = false } = {}): number | undefined {
  const raw = source.get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const ok = Number.isFinite(value) && (!integer || Number.isInteger(value)) && (minExclusive ? value > min : value >= min);
  if (!ok) throw envError(source, name, `${integer ? "an integer" : "a number"} ${minExclusive ? ">" : ">="} ${min}`, raw);
  return value;
}

function readBoolean(source: SettingsSource, name: string): boolean | undefined {
  const raw = source.get(name);
  if (raw === undefined) return undefined;
  const lower = raw.toLowerCase();
  if (["1", "true", "t", "yes", "y", "on"].includes(lower)) return true;
  if (["0", "false", "f", "no", "n", "off"].includes(lower)) return false;
  throw envError(source, name, "true or false", raw);
}

/** "404,429", "404, 429" or "[404, 429]", like Prefect's comma-separated set setting. */
function readStatusCodes(source: SettingsSource, name: string): number[] | undefined {
  const raw = source.get(name);
  if (raw === undefined) return undefined;
  const items = raw
    .replace(/^\[|\]$/g, "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  return items.map((item) => {
    const code = Number(item);
    if (!Number.isInteger(code) || code < 100 || code > 599) throw envError(source, name, "comma-separated HTTP status codes such as 404,429", raw);
    return code;
  });
}

/** Custom headers often carry secrets (proxy tokens): errors say what is wrong, never the value. */
function readHeaders(source: SettingsSource, name: string): Record<string, string> | undefined {
  const raw = source.get(name);
  if (raw === undefined) return undefined;
  const label = source.label(name);
  const expected = 'expected a JSON object of header names to string values, e.g. {"X-Team": "data"}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new ClientSettingsError(
      `Invalid value for ${label}: not valid JSON${position ? ` (at character ${position})` : ""}; ${expected} (value not shown).`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ClientSettingsError(
      `Invalid value for ${label}: ${expected}, got ${Array.isArray(parsed) ? "an array" : parsed === null ? "null" : `a ${typeof parsed}`} (value not shown).`,
    );
  }
  for (const [header, value] of Object.entries(parsed)) {
    if (typeof value !== "string") {
      throw new ClientSettingsError(
        `Invalid value for ${label}: the value of ${JSON.stringify(header.slice(0, 64))} must be a string, not ${value === null ? "null" : typeof value} (value not shown).`,
      );
    }
  }
  return parsed as Record<string, string>;
}

export interface SettingsFromEnvOptions {
  /**
   * The Prefect profiles file to read under the environment: a path, or `false` to read none. Default:
   * PREFECT_PROFILES_PATH, else $PREFECT_HOME/profiles.toml, else ~/.prefect/profiles.toml.
   */
  profilesPath?: string | false;
}

/**
 * Client settings from Prefect's environment variables over the active Prefect profile
 * (PREFECT_PROFILE, else the profiles file's `active`), as Prefect's `get_client()` reads them. Only
 * settings that are set appear in the result, so `{ ...settingsFromEnv(), maxRetries: 0 }` works.
 * Never echoes PREFECT_API_KEY or PREFECT_API_AUTH_STRING in an error.
 */
export function settingsFromEnv(env: Env = process.env, options: SettingsFromEnvOptions = {}): ClientSettings {
  const path = options.profilesPath === false ? undefined : (options.profilesPath ?? profilesPath(env));
  const source = new SettingsSource(env, path === undefined ? undefined : loadProfile(env, path));
  const baseUrl = source.get("PREFECT_API_URL");
  if (baseUrl === undefined) {
    const profile = source.profile ? ` (nor does profile ${JSON.stringify(source.profile.name)} in ${source.profile.path})` : "";
    throw new ClientSettingsError(
      `No Prefect API URL provided${profile}. Set PREFECT_API_URL to your server's API URL, e.g. http://127.0.0.1:4200/api ` +
        "(or https://api.prefect.cloud/api/accounts/<account>/workspaces/<workspace> for Prefect Cloud), or pick a profile that has one (`prefect profile use`, `prefect cloud login`).",
    );
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ClientSettingsError(
      `Invalid value for ${source.label("PREFECT_API_URL")}: expected an http(s) URL such as http://127.0.0.1:4200/api, got ${urlForMessage(baseUrl)}.`,
    );
  }
  const problem = baseUrlProblem(url);
  if (problem) throw new ClientSettingsError(`Invalid value for ${source.label("PREFECT_API_URL")}: ${urlForMessage(baseUrl)} ${problem}.`);

  const settings: ClientSettings = { baseUrl };
  const apiKey = source.get("PREFECT_API_KEY");
  if (apiKey !== undefined) settings.apiKey = apiKey;
  const authString = source.get("PREFECT_API_AUTH_STRING");
  if (authString !== undefined) settings.authString = authString;
  const timeoutSeconds = readNumber(source, "PREFECT_API_REQUEST_TIMEOUT", { minExclusive: true });
  if (timeoutSeconds !== undefined) settings.timeoutMs = timeoutSeconds * 1000;
  const maxRetries = readNumber(source, "PREFECT_CLIENT_MAX_RETRIES", { integer: true });
  if (maxRetries !== undefined) settings.maxRetries = maxRetries;
  const extraCodes = readStatusCodes(source, "PREFECT_CLIENT_RETRY_EXTRA_CODES");
  if (extraCodes !== undefined) settings.retryExtraCodes = extraCodes;
  const jitter = readNumber(source, "PREFECT_CLIENT_RETRY_JITTER_FACTOR");
  if (jitter !== undefined) settings.retryJitterFactor = jitter;
  const csrf = readBoolean(source, "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED");
  if (csrf !== undefined) settings.csrfEnabled = csrf;
  const cloudApiUrl = source.get("PREFECT_CLOUD_API_URL");
  if (cloudApiUrl !== undefined) {
    try {
      new URL(cloudApiUrl);
    } catch {
      throw new ClientSettingsError(
        `Invalid value for ${source.label("PREFECT_CLOUD_API_URL")}: expected an http(s) URL such as ${PREFECT_CLOUD_API_URL}, got ${urlForMessage(cloudApiUrl)}.`,
      );
    }
    settings.cloudApiUrl = cloudApiUrl;
  }
  const skipVerify = readBoolean(source, "PREFECT_API_TLS_INSECURE_SKIP_VERIFY");
  if (skipVerify !== undefined) settings.tlsInsecureSkipVerify = skipVerify;
  // Prefect: PREFECT_API_SSL_CERT_FILE defaults to $SSL_CERT_FILE. Read here too, so that a bad path names its variable.
  const certVariable = source.get("PREFECT_API_SSL_CERT_FILE") !== undefined ? "PREFECT_API_SSL_CERT_FILE" : "SSL_CERT_FILE";
  const certFile = source.get(certVariable);
  if (certFile !== undefined && !skipVerify) {
    readCertFile(certFile, source.label(certVariable));
    settings.sslCertFile = certFile;
  }
  const http2 = readBoolean(source, "PREFECT_API_ENABLE_HTTP2");
  if (http2 !== undefined) settings.http2 = http2;
  const versionCheck = readBoolean(source, "PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED");
  if (versionCheck !== undefined) settings.serverVersionCheck = versionCheck;
  // Not Prefect settings (Prefect has no such limits), hence our own prefix.
  const maxRetryDelaySeconds = readNumber(source, "INJECT_CLIENT_MAX_RETRY_DELAY");
  if (maxRetryDelaySeconds !== undefined) {
    if (maxRetryDelaySeconds * 1000 > MAX_TIMER_MS) {
      throw envError(
        source,
        "INJECT_CLIENT_MAX_RETRY_DELAY",
        `a number of seconds from 0 to ${Math.floor(MAX_TIMER_MS / 1000)}`,
        String(maxRetryDelaySeconds),
      );
    }
    settings.maxRetryDelayMs = maxRetryDelaySeconds * 1000;
  }
  const maxResponseBytes = readNumber(source, "INJECT_CLIENT_MAX_RESPONSE_BYTES", { integer: true, min: 1 });
  if (maxResponseBytes !== undefined) settings.maxResponseBytes = maxResponseBytes;
  const maxErrorBodyBytes = readNumber(source, "INJECT_CLIENT_MAX_ERROR_BODY_BYTES", { integer: true });
  if (maxErrorBodyBytes !== undefined) settings.maxErrorBodyBytes = maxErrorBodyBytes;
  const maxConnections = readNumber(source, "INJECT_CLIENT_MAX_CONNECTIONS", { integer: true, min: 1 });
  if (maxConnections !== undefined) settings.maxConnections = maxConnections;
  const headers = readHeaders(source, "PREFECT_CLIENT_CUSTOM_HEADERS");
  if (headers !== undefined) settings.headers = headers;
  return settings;
}
