// `settingsFromEnv`: the client settings from the same PREFECT_* variables (and active Prefect profile) as
// Prefect's Python client reads, each checked, with errors that name the variable and never echo a secret.
import { loadProfile, profilesPath, type LoadedProfile } from "./profiles.js";
import { MAX_TIMER_MS } from "./retry.js";
import { baseUrlProblem, ClientSettingsError, PREFECT_CLOUD_API_URL, urlForMessage, type ClientSettings } from "./settings.js";
import { readCertFile } from "./tls.js";

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
