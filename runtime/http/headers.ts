// The headers every request carries, computed once per client (not per request).
import { CLIENT_VERSION, ClientSettingsError, PREFECT_API_VERSION, type ClientSettings } from "./settings.js";

export const CSRF_TOKEN_HEADER = "Prefect-Csrf-Token";
export const CSRF_CLIENT_HEADER = "Prefect-Csrf-Client";

/** Headers custom headers may not replace (Prefect: `_add_custom_headers`); compared lower-case. */
const PROTECTED_HEADERS = new Set(["user-agent", CSRF_TOKEN_HEADER.toLowerCase(), CSRF_CLIENT_HEADER.toLowerCase()]);

/** RFC 9110 field names: a token. */
export const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Field values: visible Latin-1 text, spaces and tabs; no CR, LF or NUL (which would split the header). */
export const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Refuses a header that undici would reject on every call. The message names the setting, never the
 * value: it may be an API key, and undici's own error would print it whole.
 */
export function checkHeader(name: string, value: unknown, setting: string): void {
  if (!HEADER_NAME.test(name)) {
    throw new ClientSettingsError(`Invalid client setting ${setting}: ${JSON.stringify(name.slice(0, 64))} is not a valid header name.`);
  }
  if (typeof value !== "string") throw new ClientSettingsError(`Invalid client setting ${setting}: the value of ${name} must be a string.`);
  if (!HEADER_VALUE.test(value)) {
    throw new ClientSettingsError(
      `Invalid client setting ${setting}: the value of ${name} contains a line break, NUL or a character outside Latin-1 (value not shown).`,
    );
  }
}

/** Basic (authString) wins over Bearer (apiKey), as in Prefect. */
export function authorizationHeader(settings: Pick<ClientSettings, "apiKey" | "authString">): string | undefined {
  if (settings.authString) return `Basic ${Buffer.from(settings.authString, "utf8").toString("base64")}`;
  if (settings.apiKey) return `Bearer ${settings.apiKey}`;
  return undefined;
}

/**
 * Authorization, X-PREFECT-API-VERSION, User-Agent, then the custom headers (which may add or
 * replace anything except User-Agent and the CSRF headers; those are skipped with a warning).
 * The result holds secrets: keep it out of anything printable.
 */
export function staticHeaders(settings: ClientSettings, warn: (message: string) => void): Record<string, string> {
  const headers: Record<string, string> = {};
  const apiVersion = settings.apiVersion === undefined ? PREFECT_API_VERSION : settings.apiVersion;
  if (apiVersion !== null) headers["X-PREFECT-API-VERSION"] = apiVersion;
  headers["User-Agent"] = settings.userAgent ?? `inject-client/${CLIENT_VERSION}${apiVersion !== null ? ` (API ${apiVersion})` : ""}`;
  // authString is sent base64-encoded, so any text is fine; an API key is sent as it is.
  if (!settings.authString && settings.apiKey) checkHeader("Authorization", settings.apiKey, "apiKey");
  if (settings.userAgent !== undefined) checkHeader("User-Agent", settings.userAgent, "userAgent");
  if (apiVersion !== null) checkHeader("X-PREFECT-API-VERSION", apiVersion, "apiVersion");
  const authorization = authorizationHeader(settings);
  if (authorization) headers["Authorization"] = authorization;

  for (const [name, value] of Object.entries(settings.headers ?? {})) {
    checkHeader(name, value, "headers");
    const lower = name.toLowerCase();
    if (PROTECTED_HEADERS.has(lower)) {
      warn(
        `Custom header ${JSON.stringify(name)} is ignored: it would override a header the client manages (User-Agent, ${CSRF_TOKEN_HEADER}, ${CSRF_CLIENT_HEADER}).`,
      );
      continue;
    }
    // Replace case-insensitively so "authorization" does not end up next to "Authorization".
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === lower) delete headers[existing];
    headers[name] = value;
  }
  return headers;
}
