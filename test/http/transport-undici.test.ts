// The transport on undici's Dispatcher API (`dispatcher.request()`), over real HTTP on 127.0.0.1: how
// its errors are classified, the per-call deadline, the buffered-body limit now enforced by our reader
// (so it also binds a dispatcher the caller passes in), connection reuse after our own reads, and the
// `api` escape hatch (openapi-fetch) on the same transport.
import { Agent, errors } from "undici";
import { describe, expect, it } from "vitest";
import { HTTPStatusError } from "../../runtime/errors.js";
import { HTTPTimeoutError, OpenAPIClient, PreparedRequest, ResponseTooLargeError, type ClientSettings } from "../../runtime/http/index.js";
import { classifyNetworkError } from "../../runtime/http/retry.js";
import { dripForever, json, outcome, streamForever, within } from "./hostile-servers.js";
import { closeAfterEach } from "./close-after-each.js";
import { fastSettings } from "./test-client.js";

const { server, client, defer } = closeAfterEach();

/** The protected openapi-fetch client, as a subclass of a generated client would reach it. */
class EscapeHatch extends OpenAPIClient<any> {
  get raw(): any {
    return this.api;
  }
}

function hatch(settings: ClientSettings): EscapeHatch {
  const created = new EscapeHatch(settings);
  defer(() => created[Symbol.asyncDispose]());
  return created;
}

describe("undici's errors", () => {
  it("classifies dispatcher.request()'s own error classes and fetch's TypeError with a cause alike", () => {
    expect(classifyNetworkError(new errors.SocketError("other side closed"))).toBe("transient");
    expect(classifyNetworkError(new errors.HeadersTimeoutError())).toBe("timeout");
    expect(classifyNetworkError(new errors.BodyTimeoutError())).toBe("timeout");
    expect(classifyNetworkError(new errors.ConnectTimeoutError())).toBe("timeout");
    expect(classifyNetworkError(new errors.HTTPParserError("Invalid status code"))).toBe("transient");
    expect(classifyNetworkError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }))).toBe("connect");
    expect(classifyNetworkError(Object.assign(new TypeError("fetch failed"), { cause: new errors.SocketError("other side closed") }))).toBe(
      "transient",
    );
    expect(classifyNetworkError(new errors.RequestAbortedError())).toBeUndefined();
    expect(classifyNetworkError(new errors.InvalidArgumentError("invalid method"))).toBeUndefined();
  });
});

describe("timeouts", () => {
  it("options.timeout is a deadline for each attempt, body included: a body that drips in ends the call", async () => {
    const api = await server((_req, res) => dripForever(res, 20));
    const started = Date.now();
    const { error } = await within(
      3000,
      outcome(client(fastSettings(api.url, { csrfEnabled: false, maxRetries: 0 })).call("get", "/flows/", {}, { timeout: 300 })),
    );
    expect(error).toBeInstanceOf(HTTPTimeoutError);
    expect((error as Error).message).toBe(`GET ${api.url}/flows/ timed out after 1 attempt: no response within 300 ms`);
    expect(Date.now() - started).toBeLessThan(1500);
    await api.allClosed();
  });

  it("an invalid options.timeout is refused before anything is sent", async () => {
    const api = await server((_req, res) => json(res, 200, {}));
    const { error } = await outcome(client(fastSettings(api.url, { csrfEnabled: false })).call("get", "/flows/", {}, { timeout: Number.NaN }));
    expect((error as Error).message).toMatch(/^options\.timeout must be a number of milliseconds/);
    expect(api.requests).toEqual([]);
  });
});

describe("buffered bodies", () => {
  it("maxResponseBytes binds a dispatcher the caller passes in too (the limit lives in our reader, not in the Agent)", async () => {
    const api = await server((_req, res) => streamForever(res));
    const dispatcher = new Agent();
    defer(() => dispatcher.destroy());
    const c = client(fastSettings(api.url, { csrfEnabled: false, dispatcher, maxResponseBytes: 256 * 1024 }));
    const { error } = await within(3000, outcome(c.call("get", "/flows/")));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as Error).message).toMatch(/the response body is larger than maxResponseBytes allows \(262144 bytes;/);
    await api.allClosed();
  });

  it("bodies of unknown length read by our reader still give their socket back to the pool", async () => {
    const api = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }); // chunked: no Content-Length
      res.write('{"a":');
      res.end("1}");
    });
    const c = client(fastSettings(api.url, { csrfEnabled: false }));
    for (let i = 0; i < 10; i++) expect(await c.call("get", "/flows/")).toEqual({ a: 1 });
    expect(api.accepted()).toBeLessThanOrEqual(2);
  });

  it("empty bodies: 204, Content-Length 0 and an empty chunked JSON body are undefined; a byte order mark is dropped", async () => {
    const api = await server((req, res) => {
      if (req.url!.endsWith("/204")) return res.writeHead(204).end();
      if (req.url!.endsWith("/zero")) return res.writeHead(200, { "content-type": "application/json", "content-length": "0" }).end();
      if (req.url!.endsWith("/bom")) return res.writeHead(200, { "content-type": "application/json" }).end('\ufeff{"ok":1}');
      res.writeHead(200, { "content-type": "application/json" }).end();
    });
    const c = client(fastSettings(api.url, { csrfEnabled: false }));
    expect(await c.call("delete", "/204")).toBeUndefined();
    expect(await c.call("get", "/zero")).toBeUndefined();
    expect(await c.call("get", "/chunked")).toBeUndefined();
    expect(await c.call("get", "/bom")).toEqual({ ok: 1 });
  });
});

describe("the api escape hatch (openapi-fetch) on the same transport", () => {
  it("retries, sends the client's headers and CSRF token, fills placeholders (dots encoded) and parses answers", async () => {
    let answered = 0;
    const api = await server((req, res) => {
      if (req.url!.startsWith("/api/csrf-token")) return json(res, 200, { token: "tok", expiration: new Date(Date.now() + 3_600_000).toISOString() });
      if (req.method === "GET" && answered++ === 0) return json(res, 503, { detail: "busy" });
      json(res, req.method === "POST" ? 201 : 200, { id: "f1" });
    });
    const c = hatch({ ...fastSettings(api.url), apiKey: "pnu_key" });
    const seenByMiddleware: unknown[] = [];
    c.raw.use({
      onRequest({ request }: { request: PreparedRequest }) {
        seenByMiddleware.push(request instanceof PreparedRequest && request.url);
      },
    });
    const read = await c.raw.GET("/flows/{id}", { params: { path: { id: ".." }, query: { sort: { by: "name" } } } });
    expect(read.data).toEqual({ id: "f1" });
    expect(read.response.status).toBe(200);
    const created = await c.raw.POST("/flows/", { body: { name: "etl" } });
    expect(created.data).toEqual({ id: "f1" });

    const sent = api.requests.filter((r) => !r.url.startsWith("/api/csrf-token"));
    // openapi-fetch's own conventions stay on `api`: objects in a query as deepObject.
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /api/flows/%2E%2E?sort%5Bby%5D=name",
      "GET /api/flows/%2E%2E?sort%5Bby%5D=name",
      "POST /api/flows/",
    ]);
    expect(sent.every((r) => r.headers.authorization === "Bearer pnu_key")).toBe(true);
    expect(sent[2]!.headers["prefect-csrf-token"]).toBe("tok");
    expect(sent[2]!.body).toBe('{"name":"etl"}');
    expect(seenByMiddleware).toEqual([`${api.url}/flows/%2E%2E?sort%5Bby%5D=name`, `${api.url}/flows/`]);
  });

  it("an error status comes back as openapi-fetch's { error, response }, with the URL that answered", async () => {
    const api = await server((_req, res) => json(res, 404, { detail: "Flow not found" }));
    const result = await hatch(fastSettings(api.url, { csrfEnabled: false })).raw.GET("/flows/{id}", { params: { path: { id: "x" } } });
    expect(result.error).toEqual({ detail: "Flow not found" });
    expect(result.response.status).toBe(404);
    expect(result.response.url).toBe(`${api.url}/flows/x`);
  });

  it("a 2xx body over maxResponseBytes rejects with ResponseTooLargeError, and its socket closes", async () => {
    const api = await server((_req, res) => streamForever(res));
    const { error } = await within(
      3000,
      outcome(hatch(fastSettings(api.url, { csrfEnabled: false, maxResponseBytes: 64 * 1024 })).raw.GET("/flows/")),
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    await api.allClosed();
  });

  it("a status error from the generated path keeps undici's headers as WHATWG Headers", async () => {
    const api = await server((_req, res) => json(res, 418, { detail: "teapot" }, { "x-reason": "short", "set-cookie": "a=1" }));
    const { error } = await outcome(client(fastSettings(api.url, { csrfEnabled: false })).call("get", "/flows/"));
    expect(error).toBeInstanceOf(HTTPStatusError);
    expect((error as HTTPStatusError).headers?.get("x-reason")).toBe("short");
    expect((error as HTTPStatusError).headers?.get("content-type")).toBe("application/json");
  });
});
