// The headers every request carries, computed once per client (not per request).
import { CLIENT_VERSION, PREFECT_API_VERSION, type ClientSettings } from "./settings.js";

export const CSRF_TOKEN_HEADER = "Prefect-Csrf-Token";
export const CSRF_CLIENT_HEADER = "Prefect-Csrf-Client";

/** Headers custom headers may not replace (Prefect: `_add_custom_headers`); compared lower-case. */
const PROTECTED_HEADERS = new Set(["user-agent", CSRF_TOKEN_HEADER.toLowerCase(), CSRF_CLIENT_HEADER.toLowerCase()]);

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
  const authorization = authorizationHeader(settings);
  if (authorization) headers["Authorization"] = authorization;

  for (const [name, value] of Object.entries(settings.headers ?? {})) {
    const lower = name.toLowerCase();
    if (PROTECTED_HEADERS.has(lower)) {
      warn(`Custom header ${JSON.stringify(name)} is ignored: it would override a header the client manages (User-Agent, ${CSRF_TOKEN_HEADER}, ${CSRF_CLIENT_HEADER}).`);
      continue;
    }
    // Replace case-insensitively so "authorization" does not end up next to "Authorization".
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === lower) delete headers[existing];
    headers[name] = value;
  }
  return headers;
}
