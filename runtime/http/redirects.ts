// Which redirects the client follows. A client that followed any, to any origin, would carry the
// Authorization and custom headers (where users put proxy secrets), the CSRF token and the body.
// Prefect's httpx client follows none; we follow same-origin ones (FastAPI's trailing-slash 307s, a
// proxy's 308s), a few hops at most, and refuse the rest. The loop that applies this is in transport.ts.

/** Hops one call may follow; a longer chain is a loop or a misconfigured proxy. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** The request to send next. `dropBody`: the method became GET, so the body and its headers go. */
export interface RedirectHop {
  url: string;
  method: string;
  dropBody: boolean;
}

/** Why a redirect is not followed; `toOrigin` when the Location was a URL at all. */
export interface RefusedRedirect {
  refused: string;
  toOrigin?: string;
}

/**
 * The next hop for a 3xx response, `undefined` when it is not a redirect to follow (304, 300, no
 * Location: the caller gets the response as a status error), or why it is refused. `origin` is the
 * origin of the call's first request: every hop must stay on it. `followed`: hops so far.
 */
export function nextHop(
  status: number,
  location: string | null,
  currentUrl: string,
  method: string,
  origin: string,
  followed: number,
): RedirectHop | RefusedRedirect | undefined {
  if (location === null || !REDIRECT_STATUSES.has(status)) return undefined;
  let target: URL;
  try {
    target = new URL(location, currentUrl);
  } catch {
    return { refused: `the server redirected (${status}) to an invalid Location` };
  }
  if (target.origin !== origin) {
    return {
      refused:
        `the server redirected (${status}) from ${origin} to another origin, ${target.origin}; ` +
        "cross-origin redirects are not followed, so the request's headers and body stay where they were sent",
      toOrigin: target.origin,
    };
  }
  if (followed >= MAX_REDIRECTS) return { refused: `more than ${MAX_REDIRECTS} redirects (the last one: ${status}, on ${origin})`, toOrigin: origin };
  // RFC 9110 §15.4: 303 fetches the target with GET (HEAD stays HEAD); 301/302 turn a POST into GET as
  // every client does (httpx, browsers, the Fetch standard); 307/308 resend method and body unchanged.
  const toGet = (status === 303 && method !== "GET" && method !== "HEAD") || ((status === 301 || status === 302) && method === "POST");
  target.hash = "";
  return { url: target.href, method: toGet ? "GET" : method, dropBody: toGet };
}

/** Headers that describe a request body (Fetch standard's "request-body-header name"): dropped with the body. */
export const BODY_HEADERS: readonly string[] = ["content-encoding", "content-language", "content-location", "content-type"];
