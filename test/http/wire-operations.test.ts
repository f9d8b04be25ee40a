// defineOperations over real HTTP on 127.0.0.1: a hand-written client class with hand-written rows (as
// the generator emits them), against a node:http server that records the raw request line, headers and
// body bytes. What reaches the server is what the row's wire says; the stream view hands back bodies
// unread, and abort or close end them without leaking the socket.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ClientClosedError, HTTPStatusError } from "../../runtime/errors.js";
import { closeAfterEach } from "./close-after-each.js";
import {
  HTTPRequestError,
  OpenAPIClient,
  RequestBodyError,
  RequestParameterError,
  ResponseTooLargeError,
  defineOperations,
  type CallInput,
  type CallOptions,
  type ClientSettings,
  type HttpMethod,
  type Operation,
  type OperationWire,
  type StreamingMethods,
} from "../../runtime/http/index.js";

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

interface Server {
  url: string;
  seen: Seen[];
  open(): number;
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

type Handler = (req: Seen, res: http.ServerResponse) => void;

const { defer } = closeAfterEach();

async function serve(
  handler: Handler = (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'),
): Promise<Server> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(request);
      handler(request, res);
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const started: Server = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    seen,
    open: () => sockets.size,
    async allClosed() {
      for (let i = 0; i < 200 && sockets.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(sockets.size).toBe(0);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  defer(() => started.close());
  return started;
}

// A client class as the generator writes one: an interface of typed methods merged into the class, a
// table of rows, and `defineOperations` in a static block.
interface PetMethods {
  listPets(options?: CallOptions<{ tags?: string[]; color?: Record<string, number>; filter?: unknown; limit?: number }>): Promise<unknown>;
  getPet(petId: string | number, options?: CallOptions): Promise<unknown>;
  getPetLabel(petId: unknown, options?: CallOptions): Promise<unknown>;
  getPetMatrix(petId: unknown, options?: CallOptions): Promise<unknown>;
  updatePet(
    petId: string,
    body: unknown,
    options?: CallOptions<Record<string, unknown>, { "X-Request-Tags"?: string[]; [name: string]: unknown }, { session?: string }>,
  ): Promise<unknown>;
  untag(body: unknown, options?: CallOptions<{ tag?: string }>): Promise<unknown>;
  bucketAcl(bucket: string, options?: CallOptions<{ "max-keys"?: number }>): Promise<unknown>;
  mergePatch(petId: string, body: unknown): Promise<unknown>;
  upload(body: unknown): Promise<unknown>;
  uploadForm(body: unknown): Promise<unknown>;
  putPhoto(petId: string, body: unknown): Promise<unknown>;
  putNote(body: unknown): Promise<unknown>;
  getPhoto(petId: string): Promise<unknown>;
  getCsv(): Promise<unknown>;
  downloadLogs(id: string, options?: CallOptions): Promise<unknown>;
}

const operations: Record<keyof PetMethods, Operation> = {
  listPets: ["get", "/pets", [], false, { query: { tags: { explode: false }, filter: { content: "application/json" } } }],
  getPet: ["get", "/pets/{petId}", ["petId"], false],
  getPetLabel: ["get", "/pets/{petId}", ["petId"], false, { path: { petId: { style: "label", explode: true } } }],
  getPetMatrix: ["get", "/pets/{petId}", ["petId"], false, { path: { petId: { style: "matrix" } } }],
  updatePet: ["put", "/pets/{petId}", ["petId"], true, { header: { "X-Request-Tags": {} } }],
  untag: ["post", "/tags", [], true, { fixedQuery: "operation=untag" }],
  bucketAcl: ["get", "/{bucket}", ["bucket"], false, { fixedQuery: "acl" }],
  mergePatch: ["patch", "/pets/{petId}", ["petId"], true, { body: "application/merge-patch+json" }],
  upload: ["post", "/uploads", [], true, { body: "multipart/form-data", bodyEncoding: { thumbnail: { contentType: "image/png" } } }],
  uploadForm: ["post", "/forms", [], true, { body: "application/x-www-form-urlencoded", bodyEncoding: { ids: { explode: false } } }],
  putPhoto: ["put", "/pets/{petId}/photo", ["petId"], true, { body: "application/octet-stream" }],
  putNote: ["post", "/notes", [], true, { body: "text/plain" }],
  getPhoto: ["get", "/pets/{petId}/photo", ["petId"], false, { response: "image/png" }],
  getCsv: ["get", "/report", [], false, { response: "text/csv" }],
  downloadLogs: ["get", "/flow_runs/{id}/logs/download", ["id"], false],
};

interface PetClient extends PetMethods {
  readonly stream: StreamingMethods<PetMethods>;
}
class PetClient extends OpenAPIClient<{}> {
  static {
    defineOperations(this, operations);
  }
}

/** Reads a stream to its end; resolves with the error that ended it early, if one did. */
async function readToEnd(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<unknown> {
  try {
    while (!(await reader.read()).done);
    return undefined;
  } catch (error) {
    return error;
  }
}

function client(url: string, settings: Partial<ClientSettings> = {}): PetClient {
  const made = new PetClient({
    baseUrl: url,
    csrfEnabled: false,
    apiVersion: null,
    retryBaseDelayMs: 1,
    sleep: async () => undefined,
    warn: () => undefined,
    ...settings,
  });
  defer(() => made[Symbol.asyncDispose]());
  return made;
}

async function read(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe("defineOperations", () => {
  it("defines each row as a named, non-enumerable, writable, configurable method, and a lazy stream view per instance", async () => {
    const server = await serve();
    const a = client(server.url);
    const b = client(server.url);
    const descriptor = Object.getOwnPropertyDescriptor(PetClient.prototype, "getPet")!;
    expect(descriptor).toMatchObject({ writable: true, configurable: true, enumerable: false });
    expect((descriptor.value as () => unknown).name).toBe("getPet");
    expect(Object.keys(PetClient.prototype)).toEqual([]);
    expect(Object.getOwnPropertyNames(a)).not.toContain("stream");
    expect(a.stream).toBe(a.stream);
    expect(Object.getOwnPropertyNames(a)).not.toContain("stream"); // the view is kept aside, not on the instance
    expect(a.stream).not.toBe(b.stream);
    expect(a.stream.getPet).toBe(b.stream.getPet); // methods shared on the view's prototype
    expect(a.stream.getPet.name).toBe("getPet");
    expect(Object.getOwnPropertyNames(a.stream)).toEqual([]);
    expect(await a.getPet(7)).toEqual({ ok: true });
    expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /api/pets/7"]);
  });

  it("refuses rows that would replace a base member, or are malformed, when the class is defined", () => {
    class Bad extends OpenAPIClient<{}> {}
    expect(() => defineOperations(Bad, { request: ["get", "/x", [], false] })).toThrow(/operation "request" would replace a member of OpenAPIClient/);
    expect(() => defineOperations(Bad, { stream: ["get", "/x", [], false] })).toThrow(/"stream" would replace/);
    expect(() => defineOperations(Bad, { api: ["get", "/x", [], false] })).toThrow(/"api" would replace/);
    expect(() => defineOperations(Bad, { toString: ["get", "/x", [], false] as Operation })).toThrow(/"toString" would replace/);
    expect(() => defineOperations(Bad, { x: ["fetch" as HttpMethod, "/x", [], false] })).toThrow(/unknown HTTP method "fetch"/);
    expect(() => defineOperations(Bad, { x: ["get", "/x", [], "yes" as unknown as boolean] })).toThrow(/whether it takes a body/);
    expect(() => defineOperations(class {} as never, {})).toThrow(/must extend OpenAPIClient/);
    expect(() => defineOperations(Bad, { fine: ["get", "/x", [], false], open: ["get", "/y", [], false] })).toThrow(/"open" would replace/);
    expect(Object.getOwnPropertyNames(Bad.prototype)).toEqual(["constructor"]); // nothing half-defined
  });

  it("takes path arguments in order, then the body, then options: query, headers (declared ones serialized), cookies", async () => {
    const server = await serve();
    await client(server.url).updatePet(
      "a b",
      { name: "Rex" },
      { query: { dry: true }, headers: { "X-Request-Tags": ["a", "b"], "X-Trace": 42 as unknown as string }, cookies: { session: "s;1" } },
    );
    const [request] = server.seen;
    expect(`${request!.method} ${request!.url}`).toBe("PUT /api/pets/a%20b?dry=true");
    expect(JSON.parse(request!.body.toString())).toEqual({ name: "Rex" });
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["x-request-tags"]).toBe("a,b");
    expect(request!.headers["x-trace"]).toBe("42");
    expect(request!.headers.cookie).toBe("session=s%3B1");
  });

  it("writes each parameter in its row's style, and the path key's fixed query first", async () => {
    const server = await serve();
    const c = client(server.url);
    await c.listPets({ query: { tags: ["x", "y"], color: { R: 3, G: 3 }, filter: { status: { eq: "open" } }, limit: 2 } });
    await c.getPetLabel(["a", "b"]);
    await c.getPetMatrix({ R: 1, G: 2 });
    await c.untag({ tag: "t" }, { query: { tag: "t" } });
    await c.bucketAcl("photos", { query: { "max-keys": 3 } });
    await c.getPet("..");
    expect(server.seen.map((r) => r.url)).toEqual([
      `/api/pets?tags=x,y&R=3&G=3&filter=${encodeURIComponent('{"status":{"eq":"open"}}')}&limit=2`,
      "/api/pets/.a.b",
      "/api/pets/;petId=R,1,G,2",
      "/api/tags?operation=untag&tag=t",
      "/api/photos?acl&max-keys=3",
      "/api/pets/%2E%2E",
    ]);
  });

  it("a parameter or header that cannot be sent is refused before anything is sent, naming the operation", async () => {
    const server = await serve();
    const c = client(server.url);
    const missing = await c.getPet(undefined as never).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(RequestParameterError);
    expect((missing as Error).message).toMatch(/^GET \/pets\/\{petId\}: path parameter "petId" is undefined/);
    const header = await c.updatePet("1", {}, { headers: { "X-Evil": "a\r\nInjected: 1" } }).catch((e: unknown) => e);
    expect(header).toBeInstanceOf(RequestParameterError);
    expect((header as Error).message).toBe(
      'PUT /pets/{petId}: header parameter "X-Evil" contains a line break, NUL or a character outside Latin-1 (value not shown)',
    );
    expect(server.seen).toEqual([]);
  });

  it("a subclass that overrides request() still sees every call, with the row's wire", async () => {
    const server = await serve();
    const calls: unknown[] = [];
    class Recording extends PetClient {
      protected override request<T>(method: HttpMethod, path: string, input: CallInput, options?: CallOptions, wire?: OperationWire): Promise<T> {
        calls.push({ method, path, input, wire });
        return super.request<T>(method, path, input, options, wire);
      }
    }
    const c = new Recording({ baseUrl: server.url, csrfEnabled: false });
    defer(() => c[Symbol.asyncDispose]());
    await c.getPetMatrix("x");
    expect(calls).toEqual([
      { method: "get", path: "/pets/{petId}", input: { path: { petId: "x" }, body: undefined }, wire: { path: { petId: { style: "matrix" } } } },
    ]);
    expect(server.seen[0]!.url).toBe("/api/pets/;petId=x");
  });
});

describe("request bodies by media type, as the server receives them", () => {
  it("JSON media types keep their Content-Type; text is sent as it is", async () => {
    const server = await serve((_req, res) => res.writeHead(204).end());
    const c = client(server.url);
    await c.mergePatch("1", { name: null });
    await c.putNote("remember\nthis");
    expect(server.seen.map((r) => [r.headers["content-type"], r.body.toString()])).toEqual([
      ["application/merge-patch+json", '{"name":null}'],
      ["text/plain", "remember\nthis"],
    ]);
  });

  it("multipart/form-data: fields, files and per-part types, parsed back by a multipart parser", async () => {
    const server = await serve((_req, res) => res.writeHead(204).end());
    await client(server.url).upload({
      title: "Rex",
      tags: ["a", "b"],
      photo: new File([new Uint8Array([0xff, 0xd8, 0xff])], "rex.jpg", { type: "image/jpeg" }),
      thumbnail: Buffer.from([0x89, 0x50]),
      meta: { age: 3 },
    });
    const request = server.seen[0]!;
    expect(request.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(Number(request.headers["content-length"])).toBe(request.body.byteLength);
    const form = await new Response(request.body, { headers: { "content-type": request.headers["content-type"]! } }).formData();
    expect(form.get("title")).toBe("Rex");
    expect(form.getAll("tags")).toEqual(["a", "b"]);
    const photo = form.get("photo") as File;
    expect([photo.name, photo.type, [...new Uint8Array(await photo.arrayBuffer())]]).toEqual(["rex.jpg", "image/jpeg", [0xff, 0xd8, 0xff]]);
    const thumbnail = form.get("thumbnail") as File;
    expect([thumbnail.type, [...new Uint8Array(await thumbnail.arrayBuffer())]]).toEqual(["image/png", [0x89, 0x50]]);
    // A part without a filename is a field, whatever its type: its text is the JSON.
    expect(JSON.parse(form.get("meta") as string)).toEqual({ age: 3 });
    expect(request.body.toString("latin1")).toContain('name="meta"\r\nContent-Type: application/json\r\n\r\n{"age":3}');
  });

  it("application/x-www-form-urlencoded by bodyEncoding; octet-stream bytes exactly as given, from a Buffer or a stream", async () => {
    const server = await serve((_req, res) => res.writeHead(204).end());
    const c = client(server.url);
    await c.uploadForm({ name: "a b&c", ids: [1, 2] });
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await c.putPhoto("1", bytes);
    await c.putPhoto("2", Readable.from([Buffer.from([1, 2]), Buffer.from([3])]));
    const [form, photo, streamed] = server.seen;
    expect(form!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect([...new URLSearchParams(form!.body.toString())]).toEqual([
      ["name", "a b&c"],
      ["ids", "1,2"],
    ]);
    expect(photo!.headers["content-type"]).toBe("application/octet-stream");
    expect(photo!.body.equals(bytes)).toBe(true);
    expect([...streamed!.body]).toEqual([1, 2, 3]);
  });

  it("a body of the wrong kind is refused before anything is sent", async () => {
    const server = await serve();
    const error = await client(server.url)
      .putPhoto("1", { not: "bytes" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestBodyError);
    expect((error as Error).message).toMatch(
      /^PUT \/pets\/\{petId\}\/photo: request body \(application\/octet-stream\) is an object: pass a string or a Uint8Array/,
    );
    expect(server.seen).toEqual([]);
  });

  it("a stream body is sent once: a retryable status is not retried", async () => {
    const server = await serve((_req, res) => res.writeHead(503).end());
    const error = await client(server.url)
      .putPhoto("1", Readable.from([Buffer.from("x")]))
      .catch((e: unknown) => e);
    expect((error as HTTPStatusError).status).toBe(503);
    expect(server.seen).toHaveLength(1);
  });
});

describe("responses by media type", () => {
  it("a declared binary response is a Uint8Array, text/* a string, JSON parsed", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    const server = await serve((req, res) => {
      if (req.url.endsWith("/photo")) res.writeHead(200, { "content-type": "image/png" }).end(png);
      else if (req.url.endsWith("/report")) res.writeHead(200, { "content-type": "text/csv" }).end("a,b\n1,2\n");
      else res.writeHead(200, { "content-type": "application/json" }).end('{"id":1}');
    });
    const c = client(server.url);
    const photo = await c.getPhoto("1");
    expect(photo).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(photo as Uint8Array).equals(png)).toBe(true);
    expect(await c.getCsv()).toBe("a,b\n1,2\n");
    expect(await c.getPet(1)).toEqual({ id: 1 });
  });
});

describe("the stream view", () => {
  const MiB = 1024 * 1024;

  function download(size: number, chunk = 64 * 1024): Handler {
    return (_req, res) => {
      // Declared JSON, as Prefect's logs download is, but large.
      res.writeHead(200, { "content-type": "application/json", "content-length": String(size) });
      let sent = 0;
      const write = () => {
        while (sent < size) {
          const piece = Buffer.alloc(Math.min(chunk, size - sent), 0x61);
          sent += piece.byteLength;
          if (!res.write(piece)) return res.once("drain", write);
        }
        res.end();
      };
      write();
    };
  }

  it("resolves with status, headers, URL and a web stream of a body larger than maxResponseBytes, which a buffered call refuses", async () => {
    const server = await serve(download(3 * MiB));
    const c = client(server.url, { maxResponseBytes: MiB });
    const response = await c.stream.downloadLogs("run-1");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.url).toBe(`${server.url}/flow_runs/run-1/logs/download`);
    expect(response.body).toBeInstanceOf(ReadableStream);
    expect((await read(response.body)).byteLength).toBe(3 * MiB);
    const buffered = await c.downloadLogs("run-1").catch((e: unknown) => e);
    expect(buffered).toBeInstanceOf(ResponseTooLargeError);
  });

  it("a body that breaks off while streaming errors the stream with HTTPRequestError, naming method and URL", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/csv", "content-length": "100000" });
      res.write("a,b\n");
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const response = await client(server.url).stream.downloadLogs("run-1");
    const error = await read(response.body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPRequestError);
    expect(error).toMatchObject({ method: "GET", url: `${server.url}/flow_runs/run-1/logs/download` });
  });

  it("a non-2xx rejects with HTTPStatusError, its body read", async () => {
    const server = await serve((_req, res) => res.writeHead(404, { "content-type": "application/json" }).end('{"detail":"Flow run not found"}'));
    const error = await client(server.url)
      .stream.downloadLogs("nope")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPStatusError);
    expect(error).toMatchObject({ status: 404, detail: "Flow run not found", url: `${server.url}/flow_runs/nope/logs/download` });
  });

  it("aborting the call's signal ends a stream that is being read, and its socket closes", async () => {
    const server = await serve(download(64 * MiB, 16 * 1024));
    const controller = new AbortController();
    const response = await client(server.url).stream.downloadLogs("run-1", { signal: controller.signal });
    const reader = response.body.getReader();
    await reader.read();
    controller.abort(new Error("user cancelled"));
    const error = await readToEnd(reader);
    expect((error as Error | undefined)?.message).toBe("user cancelled");
    await server.allClosed();
  });

  it("cancelling the stream closes its socket; closing the client ends a stream being read", async () => {
    // The second download sends one piece and then nothing: a client closing while it is read waits its
    // grace (a whole download could finish inside it on a fast loopback) and then ends it with ClientClosedError.
    const stalled: Handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(MiB) });
      res.write(Buffer.alloc(16 * 1024, 0x61));
    };
    const server = await serve((req, res) => (req.url.includes("/flow_runs/b/") ? stalled : download(64 * MiB, 16 * 1024))(req, res));
    const c = client(server.url);
    const first = await c.stream.downloadLogs("a");
    await first.body.getReader().cancel();
    await server.allClosed();

    const second = await c.stream.downloadLogs("b");
    const reader = second.body.getReader();
    await reader.read();
    const closing = c[Symbol.asyncDispose]();
    const error = await readToEnd(reader);
    await closing;
    expect(error).toBeInstanceOf(ClientClosedError);
    await server.allClosed();
  });
});
