// How a buffered 2xx body is read: by the operation's declared response media type when the spec gave
// one that is not JSON (`text/*` as a string, anything else as bytes), else by the response's own
// Content-Type: JSON (or unlabelled, as Prefect and FastAPI always label JSON) parsed, anything else text.

import { isJsonMediaType } from "./parameters.js";

export type ResponseKind = "json" | "text" | "bytes";

export function responseKind(contentType: string | string[] | undefined, declared: string | undefined): ResponseKind {
  if (declared !== undefined && !isJsonMediaType(declared)) return declared.trimStart().toLowerCase().startsWith("text/") ? "text" : "bytes";
  if (contentType === undefined) return "json";
  return (typeof contentType === "string" ? contentType : contentType.join(",")).includes("json") ? "json" : "text";
}

/** UTF-8 text as the Fetch standard decodes it: a leading byte order mark is dropped. */
export function utf8(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
