// Bounded reads of response bodies (undici's BodyReadable): a 2xx body is buffered up to
// maxResponseBytes and refused past it; error bodies and the bodies of responses we retry or redirect
// past are kept only in part. A hostile server may send any of them without end.
//
// The limit is enforced here rather than with the Agent's `maxResponseSize`, which would apply to every
// body of the pool, streamed downloads (`client.stream.*`) included, and not at all to a dispatcher the
// caller passes in.
import type { Dispatcher } from "undici";
import { utf8 } from "./wire/response.js";

export type ResponseBody = Dispatcher.ResponseData["body"];

/** A buffered body went over its limit; the body was destroyed (its connection closed). */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`the response body is larger than ${limit} bytes`);
  }
}

const noop = () => undefined;

/**
 * The body's bytes, at most `limit` of them: past it, `cut` resolves with the first `limit` bytes,
 * otherwise the read rejects with BodyTooLargeError. Either way the rest is not read.
 */
function collect(body: ResponseBody, limit: number, cut: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    body.on("data", (chunk: Buffer) => {
      if (settled) return;
      if (size + chunk.byteLength > limit) {
        settled = true;
        if (cut) {
          chunks.push(chunk.subarray(0, limit - size));
          resolve(Buffer.concat(chunks));
        } else {
          reject(new BodyTooLargeError(limit));
        }
        // Closes the connection: undici cannot reuse a socket with unread body bytes.
        body.destroy();
        return;
      }
      chunks.push(chunk);
      size += chunk.byteLength;
    });
    body.on("end", () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    body.on("error", (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
  });
}

/** `declared`: the response's Content-Length (undefined for chunked bodies and HEAD responses). */
export function readBytes(body: ResponseBody, limit: number, declared: number | undefined): Promise<Uint8Array> {
  // A body of known length within the limit: the parser stops at that length, so undici's own reader is safe.
  if (declared !== undefined && declared <= limit) return body.bytes();
  return collect(body, limit, false).then((bytes) => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

export function readText(body: ResponseBody, limit: number, declared: number | undefined): Promise<string> {
  if (declared !== undefined && declared <= limit) return body.text();
  return collect(body, limit, false).then(utf8);
}

/** The body as UTF-8 text, cut at `limit` bytes (the rest is not read and its connection closed). */
export function readTextUpTo(body: ResponseBody, limit: number, declared: number | undefined): Promise<string> {
  if (declared !== undefined && declared <= limit) return body.text();
  return collect(body, limit, true).then(utf8);
}

/**
 * Drops a body we will not use (a retried or redirected response). A short body of known length is
 * read, so its connection goes back to the pool; any other is destroyed, closing its connection,
 * rather than waiting on a server that may send it slowly or without end.
 */
export async function discardBody(body: ResponseBody, limit: number, declared: number | undefined): Promise<void> {
  body.on("error", noop);
  if (declared !== undefined && declared <= limit) {
    await body.dump({ limit }).catch(noop);
    return;
  }
  body.destroy();
}

/** A Content-Length as a number, `undefined` when absent or not one number. */
export function contentLength(value: string | string[] | undefined): number | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const length = Number(value);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/**
 * The body as a web ReadableStream, pulled as the reader asks (backpressure reaches the socket);
 * cancelling it destroys the body, closing its connection. With `limit`, the stream errors with
 * `tooLarge()` past that many bytes (the `api` escape hatch buffers what it is given); `mapError` turns
 * a failed read into the error the reader sees.
 */
export function webStream(
  body: ResponseBody,
  options: { limit?: number; tooLarge?: () => Error; mapError?: (error: unknown) => unknown } = {},
): ReadableStream<Uint8Array> {
  const { limit, tooLarge, mapError } = options;
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let size = 0;
  return new ReadableStream({
    type: "bytes",
    async pull(controller: ReadableByteStreamController) {
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await iterator.next();
        } catch (error) {
          throw mapError === undefined ? error : mapError(error);
        }
        const { done, value } = next;
        if (done) {
          controller.close();
          // A BYOB reader waiting on an empty request must be told the stream ended.
          controller.byobRequest?.respond(0);
          return;
        }
        if (value.byteLength === 0) continue;
        size += value.byteLength;
        if (limit !== undefined && size > limit) {
          body.on("error", noop).destroy();
          throw tooLarge!();
        }
        // A copy: a byte stream transfers what it is given, and undici's chunks may share a pooled buffer.
        controller.enqueue(new Uint8Array(value));
        return;
      }
    },
    async cancel(reason) {
      body.on("error", noop).destroy(reason instanceof Error ? reason : undefined);
      await iterator.return?.();
    },
  }) as ReadableStream<Uint8Array>;
}
