// Media types as the generator reads them: which one of a `content` map a method uses, and what kind
// of body it is (JSON, text, a form, raw bytes). Keys stay as the spec spells them (they index the
// generated types); comparisons use the essence: lower case, parameters (`; charset=utf-8`) dropped.

/** `Application/JSON; charset=utf-8` -> `application/json`. */
export function essence(mediaType: string): string {
  return mediaType.split(";")[0]!.trim().toLowerCase();
}

/** `application/json`, `*\/json` and `*+json` (`application/merge-patch+json`, `application/vnd.api+json`). */
export function isJson(mediaType: string): boolean {
  return /[/+]json$/.test(essence(mediaType));
}

export function isText(mediaType: string): boolean {
  return essence(mediaType).startsWith("text/");
}

/** `multipart/form-data` (any `multipart/*`) and `application/x-www-form-urlencoded`: bodies whose properties have an `encoding`. */
export function isForm(mediaType: string): boolean {
  const type = essence(mediaType);
  return type.startsWith("multipart/") || type === "application/x-www-form-urlencoded";
}

/** `*\/*`, `application/*`: what a server may answer with, not a Content-Type a client can send. */
export function isWildcard(mediaType: string): boolean {
  return essence(mediaType).includes("*");
}

/**
 * The media type a method uses when a `content` map lists several: `application/json` if listed, else
 * the first other JSON type (`application/merge-patch+json`, ...), else the first listed.
 */
export function preferredMediaType(content: Record<string, unknown> | undefined): string | undefined {
  const types = Object.keys(content ?? {});
  return types.find((type) => essence(type) === "application/json") ?? types.find(isJson) ?? types[0];
}
