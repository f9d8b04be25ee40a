// HTTP_PROXY / HTTPS_PROXY / NO_PROXY, read the way httpx does with trust_env (Prefect's client): the
// lower-case variable wins over the upper-case one. undici's EnvHttpProxyAgent does the routing.
import { ClientSettingsError, urlForMessage } from "./settings.js";

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

type Env = Record<string, string | undefined>;

function pick(env: Env, name: string): { name: string; value: string } | undefined {
  for (const candidate of [name.toLowerCase(), name]) {
    const value = env[candidate]?.trim();
    if (value) return { name: candidate, value };
  }
  return undefined;
}

/** Proxy URLs often carry a password: a bad one is named by its variable, with the password hidden. */
function checkProxyUrl(found: { name: string; value: string }): string {
  let url: URL;
  try {
    url = new URL(found.value);
  } catch {
    throw new ClientSettingsError(
      `Invalid value for ${found.name}: expected a proxy URL such as http://proxy.example:3128, got ${urlForMessage(found.value)}.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ClientSettingsError(`Invalid value for ${found.name}: expected an http:// or https:// proxy URL, got ${urlForMessage(found.value)}.`);
  }
  return found.value;
}

/** The proxies the environment asks for, or undefined when it asks for none (the client then uses a plain Agent). */
export function proxyFromEnv(env: Env): ProxySettings | undefined {
  const http = pick(env, "HTTP_PROXY");
  const https = pick(env, "HTTPS_PROXY");
  if (http === undefined && https === undefined) return undefined;
  const settings: ProxySettings = {};
  if (http !== undefined) settings.httpProxy = checkProxyUrl(http);
  if (https !== undefined) settings.httpsProxy = checkProxyUrl(https);
  const noProxy = pick(env, "NO_PROXY");
  if (noProxy !== undefined) settings.noProxy = noProxy.value;
  return settings;
}
