// The faithful server on test/fixtures/wire/wire-classes.json, with the answers its response classes
// need: bytes that are not UTF-8, a CSV table, and a large download sent in chunks.
import { fileURLToPath } from "node:url";
import { startFaithfulServer, type FaithfulServer } from "./faithful-server.js";

export const WIRE_SPEC = fileURLToPath(new URL("../fixtures/wire/wire-classes.json", import.meta.url));

/** Every byte value once: not valid UTF-8, so a client that reads it as text changes it. */
export const BINARY_BODY = Uint8Array.from({ length: 256 }, (_, i) => i);

export const CSV_BODY = 'id,name,note\n1,alpha,"a, quoted"\n2,beta,ünïcödé\n';

/** Byte `i` of the large download: a pattern the stream test can check without holding the body. */
export function largeByte(i: number): number {
  return (i * 31 + 7) % 251;
}

async function* largeChunks(size: number): AsyncIterable<Uint8Array> {
  const chunkSize = 64 * 1024;
  for (let offset = 0; offset < size; offset += chunkSize) {
    const length = Math.min(chunkSize, size - offset);
    yield Uint8Array.from({ length }, (_, i) => largeByte(offset + i));
  }
}

export function startWireFixtureServer(): Promise<FaithfulServer> {
  return startFaithfulServer({
    spec: WIRE_SPEC,
    fallback: (_request, operation) => ({ status: 200, body: { operation: operation.key } }),
    handlers: {
      downloadBinary: () => ({ status: 200, headers: { "content-type": "application/octet-stream" }, body: BINARY_BODY }),
      downloadCsv: () => ({ status: 200, headers: { "content-type": "text/csv; charset=utf-8" }, body: CSV_BODY }),
      downloadLarge: (request) => {
        const size = request.query.size as number;
        return {
          status: 200,
          headers: { "content-type": "application/octet-stream", "content-length": String(size) },
          chunks: () => largeChunks(size),
        };
      },
    },
  });
}
