// Bounded reads of bodies we keep only in part: error bodies (HTTPStatusError.body) and the bodies of
// responses we retry or redirect past. A hostile server may send them without end.

const decoder = new TextDecoder();

/**
 * The body as UTF-8 text, at most `limit` bytes of it. A longer body is cut there and the rest is
 * cancelled, which closes its connection (undici cannot reuse a socket with unread body bytes).
 */
export async function readTextUpTo(response: Response, limit: number): Promise<string> {
  const body = response.body;
  if (body === null) return "";
  const declared = response.headers.get("content-length");
  // The common case: a small body of known length, read in one go.
  if (declared !== null && Number(declared) <= limit) return response.text();

  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - size));
      reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return chunks.length === 1 ? decoder.decode(chunks[0]) : decoder.decode(Buffer.concat(chunks));
}

/**
 * Drops a body we will not use (a retried or redirected response). A short body of known length is
 * read, so its connection goes back to the pool; any other is cancelled, closing its connection,
 * rather than waiting on a server that may send it slowly or without end.
 */
export async function discardBody(response: Response, limit: number): Promise<void> {
  const body = response.body;
  if (body === null) return;
  const declared = response.headers.get("content-length");
  try {
    if (declared !== null && Number(declared) <= limit) await response.arrayBuffer();
    else await body.cancel();
  } catch {
    // the connection is closed either way
  }
}
