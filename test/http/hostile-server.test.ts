// The client against servers that misbehave, over real HTTP on 127.0.0.1: huge and endless bodies,
// cross-origin redirects, absurd Retry-After values, connection floods, silence at close time,
// garbage responses, and one AbortSignal shared by many calls.
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { ClientClosedError, HTTPStatusError } from "../../runtime/errors.js";
import {
  ClientSettingsError,
  HTTPRedirectError,
  HTTPRequestError,
  InvalidResponseBodyError,
  ResponseTooLargeError,
  settingsFromEnv,
} from "../../runtime/http/index.js";
import { nextHop } from "../../runtime/http/redirects.js";
import { injectClient } from "../../runtime/inject.js";
import { setClientFactory } from "../../runtime/resolve.js";
import { dripForever, json, outcome, startRawServer, streamForever, within } from "./hostile-servers.js";
import { closeAfterEach } from "./close-after-each.js";
import { FLOW_ID, TestClient, fastSettings, flow } from "./test-client.js";

const { server, client, defer } = closeAfterEach();

const MiB = 1024 * 1024;

describe("response size", () => {
  it("a 2xx declaring a 2 GiB Content-Length is refused at once and its socket closed", async () => {
    const api = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(2 ** 31) });
      res.write('{"a":'); // ...and never more
    });
    const c = client(fastSettings(api.url, { csrfEnabled: false }));
    const started = Date.now();
    const { error } = await within(3000, outcome(c.call("get", "/flows/{id}", { path: { id: FLOW_ID } })));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toBeInstanceOf(HTTPRequestError);
    expect(error).toMatchObject({ method: "GET", url: `${api.url}/flows/${FLOW_ID}`, limit: 256 * MiB, setting: "maxResponseBytes" });
    expect((error as Error).message).toBe(
      `GET ${api.url}/flows/${FLOW_ID} failed after 1 attempt: the response declares 2147483648 bytes (Content-Length), ` +
        "more than maxResponseBytes allows (268435456 bytes; raise it with the setting or INJECT_CLIENT_MAX_RESPONSE_BYTES)",
    );
    await api.allClosed();
  });

  it("a HEAD response may declare a large Content-Length: it has no body", async () => {
    const api = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(2 ** 31) });
      res.end();
    });
    await expect(within(3000, client(fastSettings(api.url, { csrfEnabled: false })).call("head", "/flows/"))).resolves.toBeUndefined();
  });

  it("an endless chunked 2xx body ends the call at maxResponseBytes (from the environment) and closes the socket", async () => {
    const api = await server((_req, res) => streamForever(res));
    const fromEnv = settingsFromEnv({ PREFECT_API_URL: api.url, INJECT_CLIENT_MAX_RESPONSE_BYTES: String(MiB) });
    expect(fromEnv.maxResponseBytes).toBe(MiB);
    const c = client(fastSettings(api.url, { ...fromEnv, csrfEnabled: false }));
    const { error } = await within(3000, outcome(c.call("get", "/flows/")));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as Error).message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/api\/flows\/ failed after 1 attempt: the response body is larger than maxResponseBytes allows \(1048576 bytes;/,
    );
    await api.allClosed();
    expect(process.memoryUsage().rss).toBeLessThan(2 * 1024 * MiB);
  });

  it("an endless error body still yields the HTTPStatusError, with the body cut at maxErrorBodyBytes", async () => {
    const api = await server((_req, res) => streamForever(res, 500, "E".repeat(1000)));
    const c = client(fastSettings(api.url, { csrfEnabled: false, maxErrorBodyBytes: 4096 }));
    const { error } = await within(3000, outcome(c.call("get", "/flows/")));
    expect(error).toBeInstanceOf(HTTPStatusError);
    expect((error as HTTPStatusError).status).toBe(500);
    expect((error as HTTPStatusError).body).toBe("E".repeat(4096));
    await api.allClosed();
  });

  it("a retried 503 with an endless body is not read to its end: the retry goes out and succeeds", async () => {
    const api = await server((_req, res) => {
      if (api.requests.length === 1) streamForever(res, 503);
      else json(res, 200, flow());
    });
    const settings = fastSettings(api.url, { csrfEnabled: false });
    const result = await within(3000, client(settings).call<{ name: string }>("get", "/flows/{id}", { path: { id: FLOW_ID } }));
    expect(result.name).toBe("etl");
    expect(api.requests).toHaveLength(2);
    expect(settings.sleeps).toHaveLength(1);
  });

  it("limits are checked when the client is built, and read from the environment", () => {
    expect(() => new TestClient({ baseUrl: "http://127.0.0.1:1/api", maxResponseBytes: 0 })).toThrow(ClientSettingsError);
    expect(() => new TestClient({ baseUrl: "http://127.0.0.1:1/api", maxErrorBodyBytes: -1 })).toThrow(/maxErrorBodyBytes/);
    expect(() => new TestClient({ baseUrl: "http://127.0.0.1:1/api", maxConnections: 1.5 })).toThrow(/maxConnections/);
    expect(() => new TestClient({ baseUrl: "http://127.0.0.1:1/api", maxRetryDelayMs: 2 ** 31 })).toThrow(/maxRetryDelayMs/);
    expect(
      settingsFromEnv({
        PREFECT_API_URL: "http://127.0.0.1:1/api",
        INJECT_CLIENT_MAX_ERROR_BODY_BYTES: "1000",
        INJECT_CLIENT_MAX_RETRY_DELAY: "30",
        INJECT_CLIENT_MAX_CONNECTIONS: "8",
      }),
    ).toMatchObject({ maxErrorBodyBytes: 1000, maxRetryDelayMs: 30_000, maxConnections: 8 });
    expect(() => settingsFromEnv({ PREFECT_API_URL: "http://127.0.0.1:1/api", INJECT_CLIENT_MAX_CONNECTIONS: "0" })).toThrow(
      'Invalid value for INJECT_CLIENT_MAX_CONNECTIONS: expected an integer >= 1, got "0".',
    );
  });
});

describe("redirects", () => {
  it("a 307 to another origin is refused: the other server gets nothing, the error names both origins only", async () => {
    const elsewhere = await server((_req, res) => json(res, 200, flow()));
    const api = await server((req, res) => {
      if (req.url?.startsWith("/api/csrf-token"))
        return json(res, 200, { token: "CSRF_TOKEN_VALUE", expiration: new Date(Date.now() + 3_600_000).toISOString() });
      res.writeHead(307, { location: `${elsewhere.origin}/steal?signature=SECRET_QUERY`, "content-length": "0" });
      res.end();
    });
    const c = client(fastSettings(api.url, { headers: { "CF-Access-Client-Secret": "PROXY_SECRET" }, apiKey: "API_KEY_SECRET" }));
    const { error } = await within(3000, outcome(c.call("post", "/flows/", { body: { name: "private" } })));
    expect(error).toBeInstanceOf(HTTPRedirectError);
    expect(error).toBeInstanceOf(HTTPRequestError);
    expect(error).toMatchObject({ status: 307, fromOrigin: api.origin, toOrigin: elsewhere.origin, method: "POST", url: `${api.url}/flows/` });
    const message = (error as Error).message;
    expect(message).toContain(api.origin);
    expect(message).toContain(elsewhere.origin);
    for (const secret of ["SECRET_QUERY", "steal", "PROXY_SECRET", "API_KEY_SECRET", "CSRF_TOKEN_VALUE"]) expect(message).not.toContain(secret);
    expect(elsewhere.requests).toEqual([]);
    expect(elsewhere.accepted()).toBe(0);
  });

  it("same-origin redirects are followed: 307/308 keep method and body, 303 turns into GET without a body", async () => {
    const api = await server((req, res, recorded) => {
      if (req.url === "/api/flows") {
        res.writeHead(308, { location: "/api/flows/" }); // Starlette's trailing-slash redirect
        return res.end();
      }
      if (req.url === "/api/flows/" && req.method === "POST" && !recorded.headers["x-hop"]) {
        res.writeHead(307, { location: `${api.origin}/api/flows/?again=1` });
        return res.end();
      }
      if (req.url === "/api/flows/?again=1") {
        res.writeHead(303, { location: "/api/flows/created" });
        return res.end("see other");
      }
      json(res, 200, flow("created"));
    });
    const c = client(fastSettings(api.url, { csrfEnabled: false }));
    const result = await within(3000, c.call<{ name: string }>("post", "/flows", { body: { name: "etl" } }));
    expect(result.name).toBe("created");
    expect(api.requests.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'POST /api/flows {"name":"etl"}',
      'POST /api/flows/ {"name":"etl"}',
      'POST /api/flows/?again=1 {"name":"etl"}',
      "GET /api/flows/created ",
    ]);
    expect(api.requests[3]!.headers["content-type"]).toBeUndefined();
  });

  it("which method and body each redirect status keeps (RFC 9110, as httpx and the Fetch standard)", () => {
    const from = "http://127.0.0.1:4200/api/x?q=1";
    const origin = "http://127.0.0.1:4200";
    const hop = (status: number, method: string, location: string | null = "/api/y#frag") => nextHop(status, location, from, method, origin, 0);
    expect(hop(301, "POST")).toEqual({ url: `${origin}/api/y`, method: "GET", dropBody: true });
    expect(hop(302, "PUT")).toEqual({ url: `${origin}/api/y`, method: "PUT", dropBody: false });
    expect(hop(303, "DELETE")).toEqual({ url: `${origin}/api/y`, method: "GET", dropBody: true });
    expect(hop(303, "HEAD")).toEqual({ url: `${origin}/api/y`, method: "HEAD", dropBody: false });
    expect(hop(307, "PATCH")).toEqual({ url: `${origin}/api/y`, method: "PATCH", dropBody: false });
    expect(hop(304, "GET")).toBeUndefined();
    expect(hop(302, "GET", null)).toBeUndefined();
    expect(hop(302, "GET", "http://[bad")).toEqual({ refused: "the server redirected (302) to an invalid Location" });
    expect(hop(302, "GET", "https://127.0.0.1:4200/api/y")).toMatchObject({ toOrigin: "https://127.0.0.1:4200" });
    expect(nextHop(302, "/api/y", from, "GET", origin, 5)).toMatchObject({ refused: expect.stringMatching(/^more than 5 redirects/) });
  });

  it("a redirect loop ends after 5 hops with an HTTPRedirectError", async () => {
    const api = await server((_req, res) => {
      res.writeHead(302, { location: `/api/loop/${api.requests.length}` });
      res.end();
    });
    const { error } = await within(3000, outcome(client(fastSettings(api.url, { csrfEnabled: false })).call("get", "/loop/0")));
    expect(error).toBeInstanceOf(HTTPRedirectError);
    expect((error as Error).message).toMatch(/more than 5 redirects/);
    expect(api.requests).toHaveLength(6);
  });
});

describe("Retry-After and back-off", () => {
  it("Retry-After: 99999999 ends the retries at once with the status error, which names the requested delay", async () => {
    const api = await server((_req, res) => json(res, 503, { detail: "come back much later" }, { "retry-after": "99999999" }));
    const settings = fastSettings(api.url, { csrfEnabled: false });
    const { error } = await within(3000, outcome(client(settings).call("get", "/flows/")));
    expect(error).toBeInstanceOf(HTTPStatusError);
    expect((error as HTTPStatusError).status).toBe(503);
    expect((error as Error).message).toBe(
      `GET ${api.url}/flows/ failed with HTTP 503: come back much later ` +
        "(not retried: Retry-After asks for 99999999 s, more than maxRetryDelayMs allows, 300000 ms)",
    );
    expect((error as HTTPStatusError).headers?.get("retry-after")).toBe("99999999");
    expect(api.requests).toHaveLength(1);
    expect(settings.sleeps).toEqual([]);
  });

  it("a Retry-After within maxRetryDelayMs is waited out, jitter included, but never beyond the cap", async () => {
    let answered = 0;
    const api = await server((_req, res) => (answered++ === 0 ? json(res, 429, {}, { "retry-after": "60" }) : json(res, 200, flow())));
    const settings = fastSettings(api.url, { csrfEnabled: false, maxRetryDelayMs: 60_000, retryJitterFactor: 0.5 });
    await within(3000, client(settings).call("get", "/flows/"));
    expect(settings.sleeps).toEqual([60_000]);
  });

  it("exponential back-off stops growing at maxRetryDelayMs", async () => {
    const api = await server((_req, res) => json(res, 502, {}));
    const settings = fastSettings(api.url, { csrfEnabled: false, retryBaseDelayMs: 1000, retryJitterFactor: 0, maxRetryDelayMs: 5000 });
    await within(3000, outcome(client(settings).call("get", "/flows/")));
    expect(settings.sleeps).toEqual([2000, 4000, 5000, 5000, 5000]);
    expect(api.requests).toHaveLength(6);
  });

  it("the real timer is never handed more than 2^31 - 1 ms, even with a huge back-off unit", async () => {
    const api = await server((_req, res) => json(res, 503, {}));
    const c = client({ ...fastSettings(api.url, { csrfEnabled: false, retryBaseDelayMs: 1e12 }), sleep: undefined } as never);
    const controller = new AbortController();
    const pending = outcome(c.call("get", "/flows/", {}, { signal: controller.signal }));
    // An overflowing setTimeout would fire after 1 ms and send the next attempt at once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(api.requests).toHaveLength(1);
    controller.abort(new Error("enough"));
    expect((await pending).error).toMatchObject({ message: "enough" });
  });
});

describe("connections", () => {
  async function countSockets(maxConnections: number | undefined): Promise<{ accepted: number; results: number }> {
    const api = await server((_req, res) => setTimeout(() => json(res, 200, flow()), 5));
    const c = client(fastSettings(api.url, { csrfEnabled: false, ...(maxConnections === undefined ? {} : { maxConnections }) }));
    const results = await within(
      10_000,
      Promise.all(Array.from({ length: 300 }, () => c.call<{ name: string }>("get", "/flows/{id}", { path: { id: FLOW_ID } }))),
    );
    return { accepted: api.accepted(), results: results.filter((r) => r.name === "etl").length };
  }

  it("300 concurrent calls with maxConnections: 10 share at most 10 sockets, and all succeed", async () => {
    const { accepted, results } = await countSockets(10);
    expect(results).toBe(300);
    expect(accepted).toBeLessThanOrEqual(10);
    expect(accepted).toBeGreaterThan(1);
  });

  it("the default pool is bounded at 100 sockets per origin", async () => {
    const { accepted, results } = await countSockets(undefined);
    expect(results).toBe(300);
    expect(accepted).toBeLessThanOrEqual(100);
  });
});

describe("close", () => {
  it("dispose finishes promptly against a silent server; the call in flight rejects with ClientClosedError", async () => {
    const api = await server(() => undefined); // reads the request, never answers
    const c = client(fastSettings(api.url, { csrfEnabled: false }));
    const pending = outcome(c.call("get", "/flows/"));
    while (api.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    await within(3000, c[Symbol.asyncDispose]());
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await within(1000, pending)).error).toBeInstanceOf(ClientClosedError);
    await api.allClosed();
  });

  it("dispose finishes promptly while a body drips in; the call rejects with ClientClosedError", async () => {
    const api = await server((_req, res) => dripForever(res));
    const c = client(fastSettings(api.url, { csrfEnabled: false }));
    const pending = outcome(c.call("get", "/flows/"));
    await new Promise((resolve) => setTimeout(resolve, 200)); // headers in, body dripping
    const started = Date.now();
    await within(3000, c[Symbol.asyncDispose]());
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await within(1000, pending)).error).toBeInstanceOf(ClientClosedError);
    await api.allClosed();
  });

  it("a wrapped function whose body threw does not wait for its created client's call to a silent server", async () => {
    const api = await server(() => undefined);
    const made: TestClient[] = [];
    const previous = setClientFactory(() => {
      const created = new TestClient(fastSettings(api.url, { csrfEnabled: false }));
      made.push(created);
      return created;
    });
    defer(() => void setClientFactory(previous));
    let abandoned: Promise<{ error?: unknown }> | undefined;
    const wrapped = injectClient(async (options: { client: TestClient }) => {
      abandoned = outcome(options.client.call("get", "/flows/"));
      while (api.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error("the body failed");
    });
    const started = Date.now();
    await expect(within(3000, wrapped())).rejects.toThrow("the body failed");
    expect(Date.now() - started).toBeLessThan(1500);
    expect(made).toHaveLength(1);
    expect(made[0]!.closed).toBe(true);
    expect((await within(1000, abandoned!)).error).toBeInstanceOf(ClientClosedError);
  });
});

describe("bad responses", () => {
  it("a 200 with invalid JSON rejects with an error naming method, real URL and status", async () => {
    const api = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("<html>not json</html>");
    });
    const { error } = await within(
      3000,
      outcome(client(fastSettings(api.url, { csrfEnabled: false })).call("get", "/flows/{id}", { path: { id: FLOW_ID } })),
    );
    expect(error).toBeInstanceOf(InvalidResponseBodyError);
    expect(error).toMatchObject({ method: "GET", url: `${api.url}/flows/${FLOW_ID}`, status: 200 });
    expect((error as Error).message).toMatch(new RegExp(`^GET ${api.url}/flows/${FLOW_ID} answered HTTP 200 with a body that is not valid JSON: `));
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it("a body that breaks off after the headers names the real URL, not the path template", async () => {
    const api = await server((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"id":');
      setTimeout(() => req.socket.destroy(), 20);
    });
    const { error } = await within(
      3000,
      outcome(client(fastSettings(api.url, { csrfEnabled: false })).call("get", "/flows/{id}", { path: { id: FLOW_ID } })),
    );
    expect(error).toBeInstanceOf(HTTPRequestError);
    expect((error as HTTPRequestError).url).toBe(`${api.url}/flows/${FLOW_ID}`);
    expect((error as Error).message).not.toContain("{id}");
  });

  it("a malformed status line is retried like Prefect's RemoteProtocolError", async () => {
    const ok = '{"name":"etl"}';
    const api = await startRawServer((index) =>
      index === 0 ? "HTTP/1.1 ### garbage\r\n\r\n" : `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${ok.length}\r\n\r\n${ok}`,
    );
    defer(() => api.close());
    const settings = fastSettings(api.url, { csrfEnabled: false });
    const result = await within(3000, client(settings).call<{ name: string }>("get", "/flows/"));
    expect(result.name).toBe("etl");
    expect(api.heads).toHaveLength(2);
    expect(settings.sleeps).toHaveLength(1);
  });
});

describe("one AbortSignal shared by many calls", () => {
  it("does not collect listeners (no MaxListenersExceededWarning) and still aborts every call", async () => {
    const api = await server((req, res) => (req.url?.endsWith("/hold") ? undefined : setTimeout(() => json(res, 200, flow()), 2)));
    const c = client(fastSettings(api.url, { csrfEnabled: false }));
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    defer(() => void process.off("warning", onWarning));
    const shared = new AbortController();
    const listeners = () => getEventListeners(shared.signal, "abort").length;

    let most = 0;
    for (let wave = 0; wave < 10; wave++) {
      const calls = Array.from({ length: 200 }, () => c.call("get", "/flows/{id}", { path: { id: FLOW_ID } }, { signal: shared.signal }));
      most = Math.max(most, listeners());
      await within(10_000, Promise.all(calls));
    }
    expect(most).toBeLessThanOrEqual(1);

    const held = Array.from({ length: 200 }, () => outcome(c.call("get", "/hold", {}, { signal: shared.signal })));
    while (api.requests.filter((r) => r.url.endsWith("/hold")).length < 100) await new Promise((resolve) => setTimeout(resolve, 5));
    shared.abort(new Error("shutting down"));
    const results = await within(3000, Promise.all(held));
    expect(results.every((r) => (r.error as Error | undefined)?.message === "shutting down")).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });
});
