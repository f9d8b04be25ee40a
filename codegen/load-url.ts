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
    return input;
  }
}
