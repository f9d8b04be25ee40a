// URL helpers of the loader, light enough for the CLI to import before it loads the generator.

export function isUrl(input: string): boolean {
  return /^https?:\/\//i.test(input);
}

/** A URL as it may be shown: no user, password, query or fragment (they may hold secrets). */
export function redactUrl(input: string): string {
  try {
    const url = new URL(input);
    url.username = "";
    url.password = "";
    url.search = "";
    url.hash = "";
    return url.href;
  } catch {
    // Not a URL the parser accepts: still never show what looks like a user part, a query or a fragment.
    return input.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1").replace(/[?#].*$/s, "");
  }
}

/** A URL the loader can fetch: credentials moved out of it, into the Basic authorization they ask for. */
export interface SpecUrl {
  url: URL;
  /** `Basic ...` for the URL's own origin only; absent when the URL has no user part. */
  authorization?: string;
}

/** A URL that cannot be used; the message never contains its user part, password or query. */
export class SpecUrlError extends Error {
  override name = "SpecUrlError";
}

export function parseSpecUrl(input: string): SpecUrl {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new SpecUrlError(`"${redactUrl(input)}" is not a valid URL`);
  }
  if (!url.username && !url.password) return { url };
  let user: string;
  let password: string;
  try {
    user = decodeURIComponent(url.username);
    password = decodeURIComponent(url.password);
  } catch {
    throw new SpecUrlError("the URL's user name or password is not valid percent-encoding");
  }
  // fetch refuses URLs with credentials: send them as Basic auth, as a browser would.
  url.username = "";
  url.password = "";
  return { url, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}

/** Why an http(s) URL given as input cannot be used, or undefined. */
export function specUrlProblem(input: string): string | undefined {
  try {
    parseSpecUrl(input);
    return undefined;
  } catch (error) {
    if (error instanceof SpecUrlError) return error.message;
    throw error;
  }
}
