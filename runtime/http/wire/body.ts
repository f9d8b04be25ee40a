// Request bodies by media type: JSON (any `application/json` or `*+json`, sent with that exact
// Content-Type), multipart, form-urlencoded, text and binary. A body of the wrong kind for its media type
// (a plain object for `application/octet-stream`, a file for JSON) is refused before anything is sent.
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { recogniseAcrossCopies } from "../../errors.js";
import type { OperationWire, ParameterWire } from "../operation.js";
import { isJsonMediaType, RequestParameterError } from "./parameters.js";
import { serializeQuery } from "./query.js";

/** A request body cannot be sent as the media type its operation declares; nothing was sent. */
export class RequestBodyError extends TypeError {
  override name = "RequestBodyError";
  readonly mediaType: string;
  /** What is wrong, e.g. `is an object: pass a Uint8Array, Buffer, Blob, ArrayBuffer or a readable stream`. */
  readonly problem: string;

  constructor(mediaType: string, problem: string, operation?: string) {
    super(`${operation ? `${operation}: ` : ""}request body (${mediaType}) ${problem}`);
    this.mediaType = mediaType;
    this.problem = problem;
  }

  inOperation(operation: string): RequestBodyError {
    return new RequestBodyError(this.mediaType, this.problem, operation);
  }
}

recogniseAcrossCopies(RequestBodyError, "RequestBodyError");

/** What undici sends: every kind but the streams can be sent again on a retry. */
export type WireBody = string | Uint8Array | ArrayBuffer | Blob | FormData | Readable | AsyncIterable<Uint8Array>;

export interface EncodedBody {
  body: WireBody;
  /** `undefined` for a FormData the caller built: undici writes its boundary. */
  contentType: string | undefined;
  /** False for streams, which can be read once: such a call is not retried. */
  replayable: boolean;
}

const JSON_TYPE = "application/json";
const BINARY_KINDS = "a Uint8Array, Buffer, Blob, ArrayBuffer or a readable stream";

export function isBinary(value: unknown): value is Uint8Array | ArrayBuffer | Blob | ArrayBufferView {
  return value instanceof Uint8Array || value instanceof ArrayBuffer || value instanceof Blob || ArrayBuffer.isView(value);
}

/** A Node Readable, a web ReadableStream or any other async iterable of bytes. */
export function isStream(value: unknown): value is Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> {
  return typeof value === "object" && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (isBinary(value)) return "binary data";
  if (isStream(value)) return "a stream";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** ArrayBufferViews other than Uint8Array (a DataView, a Float32Array) as their bytes. */
function bytesOf(value: Uint8Array | ArrayBuffer | Blob | ArrayBufferView): Uint8Array | ArrayBuffer | Blob {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer || value instanceof Blob) return value;
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

function essence(mediaType: string): string {
  const semicolon = mediaType.indexOf(";");
  return (semicolon === -1 ? mediaType : mediaType.slice(0, semicolon)).trim().toLowerCase();
}

/** The Content-Type for a declared media type that may be a range (`image/*`): the Blob's own type fits it best. */
function concreteType(mediaType: string, value: unknown): string {
  if (!mediaType.includes("*")) return mediaType;
  const own = value instanceof Blob ? value.type : "";
  return own !== "" ? own : "application/octet-stream";
}

function json(mediaType: string, value: unknown): string {
  if (isBinary(value) || isStream(value)) throw new RequestBodyError(mediaType, `is ${kind(value)}: pass the value to encode as JSON`);
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new RequestBodyError(mediaType, `cannot be serialized as JSON: ${(error as Error).message}`);
  }
  if (text === undefined) throw new RequestBodyError(mediaType, `is ${kind(value)}, which has no JSON form`);
  return text;
}

/** The body for `value` sent as `mediaType` (default `application/json`), with the `bodyEncoding` of a form. */
export function encodeBody(value: unknown, mediaType: string | undefined, encoding?: OperationWire["bodyEncoding"]): EncodedBody {
  if (mediaType === undefined) return { body: json(JSON_TYPE, value), contentType: JSON_TYPE, replayable: true };
  const type = essence(mediaType);
  if (isJsonMediaType(type)) return { body: json(mediaType, value), contentType: mediaType, replayable: true };
  if (type === "application/x-www-form-urlencoded")
    return { body: formUrlEncoded(mediaType, value, encoding), contentType: mediaType, replayable: true };
  if (type.startsWith("multipart/")) return multipart(mediaType, value, encoding);
  const text = type.startsWith("text/");
  if (typeof value === "string") return { body: value, contentType: mediaType, replayable: true };
  if (text && (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint"))
    return { body: String(value), contentType: mediaType, replayable: true };
  if (isBinary(value)) return { body: bytesOf(value), contentType: concreteType(mediaType, value), replayable: true };
  if (isStream(value)) return { body: value, contentType: concreteType(mediaType, value), replayable: false };
  throw new RequestBodyError(mediaType, `is ${kind(value)}: pass ${text ? "a string (or its bytes)" : `a string or ${BINARY_KINDS}`}`);
}

/** Form fields as a query string, each property by its encoding (style, explode, allowReserved; a JSON contentType sends JSON). */
function formUrlEncoded(mediaType: string, value: unknown, encoding: OperationWire["bodyEncoding"]): string {
  if (typeof value === "string") return value; // already encoded
  if (value instanceof URLSearchParams) return value.toString();
  if (!isPlainObject(value)) throw new RequestBodyError(mediaType, `is ${kind(value)}: pass an object of field names to values`);
  let wire: Record<string, ParameterWire> | undefined;
  if (encoding !== undefined) {
    wire = {};
    for (const [name, property] of Object.entries(encoding)) {
      if (property.contentType !== undefined && isJsonMediaType(property.contentType)) wire[name] = { content: property.contentType };
      else wire[name] = { style: property.style, explode: property.explode, allowReserved: property.allowReserved };
    }
  }
  try {
    return serializeQuery(value, wire);
  } catch (error) {
    if (error instanceof RequestParameterError) throw new RequestBodyError(mediaType, `field ${JSON.stringify(error.parameter)} ${error.problem}`);
    throw error;
  }
}

/** `name="…"` as the HTML standard writes multipart names: `"`, CR and LF percent-encoded. */
function quoted(text: string): string {
  return `"${text.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}"`;
}

type Piece = string | Uint8Array | ArrayBuffer | Blob | AsyncIterable<Uint8Array>;

/** The parts of one multipart field: files as they are, scalars as text, objects as JSON (or the field's contentType). */
function fieldParts(mediaType: string, name: string, value: unknown, contentType: string | undefined, pieces: Piece[]): boolean {
  const disposition = `Content-Disposition: form-data; name=${quoted(name)}`;
  if (isBinary(value) || isStream(value)) {
    const ownName = (value as { name?: unknown }).name;
    const fileName = typeof ownName === "string" && ownName !== "" ? ownName : "blob";
    const ownType = value instanceof Blob && value.type !== "" ? value.type : undefined;
    const partType =
      contentType === undefined || contentType.includes("*") || contentType.includes(",") ? (ownType ?? "application/octet-stream") : contentType;
    pieces.push(`${disposition}; filename=${quoted(fileName)}\r\nContent-Type: ${partType}\r\n\r\n`);
    pieces.push(isBinary(value) ? bytesOf(value) : (value as AsyncIterable<Uint8Array>));
    return isStream(value);
  }
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    const partType = contentType ?? JSON_TYPE;
    if (!isJsonMediaType(partType))
      throw new RequestBodyError(mediaType, `field ${JSON.stringify(name)} is ${kind(value)}, which cannot be sent as ${partType}`);
    pieces.push(`${disposition}\r\nContent-Type: ${partType}\r\n\r\n`, json(mediaType, value));
    return false;
  }
  if (typeof value === "function" || typeof value === "symbol" || (typeof value === "number" && !Number.isFinite(value))) {
    throw new RequestBodyError(
      mediaType,
      `field ${JSON.stringify(name)} is ${typeof value === "number" ? value : kind(value)}, which has no text form`,
    );
  }
  const text = value instanceof Date ? value.toISOString() : String(value);
  pieces.push(contentType === undefined ? `${disposition}\r\n\r\n` : `${disposition}\r\nContent-Type: ${contentType}\r\n\r\n`, text);
  return false;
}

function multipart(mediaType: string, value: unknown, encoding: OperationWire["bodyEncoding"]): EncodedBody {
  if (value instanceof FormData) return { body: value, contentType: undefined, replayable: true };
  if (!isPlainObject(value))
    throw new RequestBodyError(mediaType, `is ${kind(value)}: pass an object of field names to values (files as Blob, File, Uint8Array or streams)`);
  const boundary = `inject-client-${randomUUID().replace(/-/g, "")}`;
  const pieces: Piece[] = [];
  let streamed = false;
  for (const name of Object.keys(value)) {
    const field = value[name];
    if (field === undefined || field === null) continue;
    const contentType = encoding?.[name]?.contentType;
    // Arrays repeat the field, one part per item (OpenAPI: "an array of files", "an array of values"),
    // unless the field's encoding asks for JSON: then the array is one JSON part.
    const items = Array.isArray(field) && !(contentType !== undefined && isJsonMediaType(contentType)) ? field : [field];
    for (const item of items) {
      pieces.push(`--${boundary}\r\n`);
      if (fieldParts(mediaType, name, item, contentType, pieces)) streamed = true;
      pieces.push("\r\n");
    }
  }
  pieces.push(`--${boundary}--\r\n`);
  const contentType = `${essence(mediaType)}; boundary=${boundary}`;
  if (!streamed) return { body: new Blob(pieces as (string | Uint8Array | ArrayBuffer | Blob)[]), contentType, replayable: true };
  return { body: Readable.from(streamPieces(pieces), { objectMode: false }), contentType, replayable: false };
}

const encoder = new TextEncoder();

async function* streamPieces(pieces: Piece[]): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) {
    if (typeof piece === "string") yield encoder.encode(piece);
    else if (piece instanceof Uint8Array) yield piece;
    else if (piece instanceof ArrayBuffer) yield new Uint8Array(piece);
    else if (piece instanceof Blob) for await (const chunk of piece.stream() as unknown as AsyncIterable<Uint8Array>) yield chunk;
    else for await (const chunk of piece) yield typeof chunk === "string" ? encoder.encode(chunk) : chunk;
  }
}
