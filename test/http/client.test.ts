// OpenAPIClient over real HTTP on 127.0.0.1, against a mock that validates every request against
// Prefect's spec (../shared/openapi/prefect-v3.json) and is served under /api like PREFECT_API_URL.
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ClientClosedError, HTTPStatusError, ObjectAlreadyExists, ObjectNotFound } from "../../runtime/errors.js";
import { HTTPRequestError, HTTPTimeoutError } from "../../runtime/http/index.js";
import { PREFECT_SPEC_PATH, prefectHandlers, startMockApi, type MockApi, type MockHandler } from "../support/mock-api.js";
import { FLOW_ID, TestClient, fastSettings, flow } from "./test-client.js";

const spec = JSON.parse(readFileSync(PREFECT_SPEC_PATH, "utf8")) as object;
const CREATE_FLOW = "create_flow_flows__post";
const READ_FLOW = "read_flow_flows__id__get";
const CSRF = "create_csrf_token_csrf_token_get";

let mock: MockApi | undefined;
const clients: TestClient[] = [];

async function start(handlers: Record<string, MockHandler> = {}): Promise<MockApi> {
  mock = await startMockApi({ spec, prefix: "/api", handlers: { ...prefectHandlers(), ...handlers } });
  return mock;
}

function client(settings: ReturnType<typeof fastSettings>): TestClient {
  const created = new TestClient(settings);
  clients.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c[Symbol.asyncDispose]()));
  await mock?.close();
  mock = undefined;
});

/** Answers from a list, one per call; the last one repeats. */
function sequence(...answers: ReturnType<MockHandler>[]): MockHandler {
  let index = 0;
  return () => answers[Math.min(index++, answers.length - 1)]!;
}

const calls = (api: MockApi, operationId: string) => api.requests.filter((r) => r.operationId === operationId);

describe("requests match the spec", () => {
  it("sends spec-valid paths, methods, bodies, query and headers, and parses the answers", async () => {
    const api = await start({ [CREATE_FLOW]: (req) => ({ status: 201, body: flow((req.body as { name: string }).name) }) });
    const c = client(fastSettings(api.url));

    const created = await c.call<{ name: string }>("post", "/flows/", { body: { name: "etl", tags: ["a"] } });
    expect(created.name).toBe("etl");
    const read = await c.call<{ id: string }>("get", "/flows/{id}", { path: { id: FLOW_ID } });
    expect(read.id).toBe("3fa85f64-5717-4562-b3fc-2c963f66afa6"); // openapi-backend's schema mock
    expect(await c.call("patch", "/flows/{id}", { path: { id: FLOW_ID }, body: { tags: ["b"] } })).toBeUndefined(); // 204
    expect(await c.call("delete", "/flows/{id}", { path: { id: FLOW_ID } })).toBeUndefined(); // 204
    await c.call("get", "/flow_run_states/", {}, { query: { flow_run_id: FLOW_ID } });
    expect(await c.call("post", "/flows/filter", { body: { limit: 5, offset: 0 } })).toBeInstanceOf(Array);

    expect(api.invalidRequests()).toEqual([]);
    const sent = api.requests.filter((r) => r.operationId !== CSRF);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /flows/",
      `GET /flows/${FLOW_ID}`,
      `PATCH /flows/${FLOW_ID}`,
      `DELETE /flows/${FLOW_ID}`,
      "GET /flow_run_states/",
      "POST /flows/filter",
    ]);
    expect(sent[0]!.body).toEqual({ name: "etl", tags: ["a"] });
    expect(sent[0]!.headers["content-type"]).toBe("application/json");
    expect(sent[2]!.body).toEqual({ tags: ["b"] });
    expect(sent[4]!.query).toEqual({ flow_run_id: FLOW_ID });
    for (const r of sent) {
      expect(r.headers["x-prefect-api-version"]).toBe("0.8.4");
      expect(r.headers["user-agent"]).toMatch(/^inject-client\/\d+\.\d+\.\d+ \(API 0\.8\.4\)$/);
      expect(r.headers["authorization"]).toBeUndefined();
    }
  });

  it("the mock rejects a request that does not match the spec (and records it)", async () => {
    const api = await start();
    const c = client(fastSettings(api.url));
    const error = await c.call("post", "/flows/", { body: { nam: "typo" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPStatusError);
    expect((error as HTTPStatusError).status).toBe(400);
    expect(api.invalidRequests()).toHaveLength(1);
  });

  it("returns text for non-JSON content types and undefined for empty bodies", async () => {
    const api = await start({
      download_logs_flow_runs__id__logs_download_get: () => ({
        status: 200,
        body: "timestamp,message\n1,hello\n",
        headers: { "content-type": "text/csv" },
      }),
      read_flow_run_input_flow_runs__id__input__key__get: () => ({ status: 200, body: "plain value" }),
    });
    const c = client(fastSettings(api.url));
    expect(await c.call("get", "/flow_runs/{id}/logs/download", { path: { id: FLOW_ID } })).toBe("timestamp,message\n1,hello\n");
    expect(await c.call("get", "/flow_runs/{id}/input/{key}", { path: { id: FLOW_ID, key: "k" } })).toBe("plain value");
    expect(await c.call("get", "/health")).toBe(true);
  });

  it("omits X-PREFECT-API-VERSION when apiVersion is null", async () => {
    const api = await start();
    const c = client(fastSettings(api.url, { apiVersion: null, userAgent: "my-app/1.0" }));
    await c.call("get", "/health");
    expect(api.requests[0]!.headers["x-prefect-api-version"]).toBeUndefined();
    expect(api.requests[0]!.headers["user-agent"]).toBe("my-app/1.0");
  });
});

describe("auth and custom headers", () => {
  it("sends Basic base64(authString), which wins over the API key", async () => {
    const api = await start();
    await client(fastSettings(api.url, { authString: "admin:pass", apiKey: "pnu_key" })).call("get", "/health");
    expect(api.requests[0]!.headers["authorization"]).toBe(`Basic ${Buffer.from("admin:pass").toString("base64")}`);
  });

  it("sends Bearer <apiKey> without an auth string, on every request including the CSRF token fetch", async () => {
    const api = await start();
    await client(fastSettings(api.url, { apiKey: "pnu_key" })).call("post", "/flows/", { body: { name: "x" } });
    expect(api.requests.map((r) => r.headers["authorization"])).toEqual(["Bearer pnu_key", "Bearer pnu_key"]);
  });

  it("adds custom headers but never lets them override User-Agent or the CSRF headers (case-insensitive, warned)", async () => {
    const api = await start();
    const warnings: string[] = [];
    const c = client(
      fastSettings(api.url, {
        headers: { "X-Team": "data", "user-agent": "evil", "PREFECT-CSRF-TOKEN": "forged", "prefect-csrf-client": "forged" },
        warn: (message) => warnings.push(message),
      }),
    );
    await c.call("post", "/flows/", { body: { name: "x" } });
    const post = calls(api, CREATE_FLOW)[0]!;
    expect(post.headers["x-team"]).toBe("data");
    expect(post.headers["user-agent"]).toMatch(/^inject-client\//);
    expect(post.headers["prefect-csrf-token"]).toBe("csrf-token-1");
    expect(post.headers["prefect-csrf-client"]).not.toBe("forged");
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/user-agent/);
  });
});

describe("CSRF", () => {
  it("fetches one token for concurrent requests, sends it with state-changing methods only", async () => {
    const api = await start();
    const c = client(fastSettings(api.url));
    await Promise.all([1, 2, 3, 4, 5].map((i) => c.call("post", "/flows/", { body: { name: `f${i}` } })));
    await c.call("get", "/flows/{id}", { path: { id: FLOW_ID } });
    await c.call("delete", "/flows/{id}", { path: { id: FLOW_ID } });

    const tokenFetches = calls(api, CSRF);
    expect(tokenFetches).toHaveLength(1);
    const clientId = tokenFetches[0]!.query.client as string;
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    for (const r of api.requests.filter((r) => r.method === "POST" || r.method === "DELETE")) {
      expect(r.headers["prefect-csrf-token"]).toBe("csrf-token-1");
      expect(r.headers["prefect-csrf-client"]).toBe(clientId);
    }
    expect(calls(api, READ_FLOW)[0]!.headers["prefect-csrf-token"]).toBeUndefined();
    expect(api.invalidRequests()).toEqual([]);
  });

  it("uses a different client id per client", async () => {
    const api = await start();
    await client(fastSettings(api.url)).call("post", "/flows/", { body: { name: "a" } });
    await client(fastSettings(api.url)).call("post", "/flows/", { body: { name: "b" } });
    const ids = calls(api, CSRF).map((r) => r.query.client);
    expect(new Set(ids).size).toBe(2);
  });

  it("fetches a new token once the current one has expired", async () => {
    const api = await start({ ...prefectHandlers({ csrfTtlMs: 60_000 }) });
    let now = Date.now();
    const c = client(fastSettings(api.url, { now: () => now }));
    await c.call("post", "/flows/", { body: { name: "a" } });
    await c.call("post", "/flows/", { body: { name: "b" } });
    now += 61_000;
    await c.call("post", "/flows/", { body: { name: "c" } });
    expect(calls(api, CSRF)).toHaveLength(2);
    expect(calls(api, CREATE_FLOW).map((r) => r.headers["prefect-csrf-token"])).toEqual(["csrf-token-1", "csrf-token-1", "csrf-token-2"]);
  });

  it("on 403 Invalid CSRF token fetches a new token and retries once", async () => {
    const invalid = { status: 403, body: { detail: "Invalid CSRF token or client identifier." } };
    const api = await start({ [CREATE_FLOW]: sequence(invalid, { status: 200, body: flow() }) });
    const c = client(fastSettings(api.url));
    await c.call("post", "/flows/", { body: { name: "a" } });
    expect(calls(api, CSRF)).toHaveLength(2);
    expect(calls(api, CREATE_FLOW).map((r) => r.headers["prefect-csrf-token"])).toEqual(["csrf-token-1", "csrf-token-2"]);

    // Only once per call: a second 403 is the caller's error.
    api.handle(CREATE_FLOW, () => invalid);
    const error = await c.call("post", "/flows/", { body: { name: "b" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPStatusError);
    expect((error as HTTPStatusError).status).toBe(403);
    expect((error as HTTPStatusError).detail).toBe("Invalid CSRF token or client identifier.");
  });

  it("a 403 for another reason is not retried", async () => {
    const api = await start({ [CREATE_FLOW]: () => ({ status: 403, body: { detail: "Forbidden: wrong workspace" } }) });
    const error = await client(fastSettings(api.url))
      .call("post", "/flows/", { body: { name: "a" } })
      .catch((e: unknown) => e);
    expect((error as HTTPStatusError).status).toBe(403);
    expect((error as HTTPStatusError).detail).toBe("Forbidden: wrong workspace");
    expect(calls(api, CREATE_FLOW)).toHaveLength(1);
  });

  it.each([
    ["404", { status: 404, body: { detail: "Not Found" } }],
    ["422 CSRF protection is disabled.", { status: 422, body: { detail: "CSRF protection is disabled." } }],
  ])("a %s from /csrf-token turns CSRF off for that client", async (_name, answer) => {
    const api = await start({ [CSRF]: () => answer });
    const c = client(fastSettings(api.url));
    await c.call("post", "/flows/", { body: { name: "a" } });
    await c.call("post", "/flows/", { body: { name: "b" } });
    expect(calls(api, CSRF)).toHaveLength(1);
    for (const r of calls(api, CREATE_FLOW)) expect(r.headers["prefect-csrf-token"]).toBeUndefined();
  });

  it("csrfEnabled: false never fetches a token", async () => {
    const api = await start();
    await client(fastSettings(api.url, { csrfEnabled: false })).call("post", "/flows/", { body: { name: "a" } });
    expect(calls(api, CSRF)).toHaveLength(0);
  });
});

describe("retries", () => {
  it.each([408, 429, 502, 503])("retries %i and returns the first success, backing off 2**n units", async (status) => {
    const api = await start({
      [READ_FLOW]: sequence({ status, body: { detail: "busy" } }, { status, body: { detail: "busy" } }, { status: 200, body: flow() }),
    });
    const settings = fastSettings(api.url, { retryBaseDelayMs: 100, retryJitterFactor: 0 });
    await client(settings).call("get", "/flows/{id}", { path: { id: FLOW_ID } });
    expect(calls(api, READ_FLOW)).toHaveLength(3);
    expect(settings.sleeps).toEqual([200, 400]);
  });

  it("applies jitter within Prefect's bounds", async () => {
    const api = await start({ [READ_FLOW]: sequence({ status: 503 }, { status: 200, body: flow() }) });
    const settings = fastSettings(api.url, { retryBaseDelayMs: 1000 });
    await client(settings).call("get", "/flows/{id}", { path: { id: FLOW_ID } });
    expect(settings.sleeps[0]).toBeGreaterThanOrEqual(2000 * 0.82);
    expect(settings.sleeps[0]).toBeLessThanOrEqual(2000 * 1.2);
  });

  it("retries POST with the same body and a CSRF token", async () => {
    const api = await start({ [CREATE_FLOW]: sequence({ status: 502 }, { status: 200, body: flow() }) });
    await client(fastSettings(api.url)).call("post", "/flows/", { body: { name: "again" } });
    const posts = calls(api, CREATE_FLOW);
    expect(posts.map((r) => r.body)).toEqual([{ name: "again" }, { name: "again" }]);
    expect(posts.every((r) => r.headers["prefect-csrf-token"] === "csrf-token-1")).toBe(true);
    expect(api.invalidRequests()).toEqual([]);
  });

  it("retries PREFECT_CLIENT_RETRY_EXTRA_CODES", async () => {
    const api = await start({ [READ_FLOW]: sequence({ status: 500 }, { status: 200, body: flow() }) });
    await client(fastSettings(api.url, { retryExtraCodes: [500] })).call("get", "/flows/{id}", { path: { id: FLOW_ID } });
    expect(calls(api, READ_FLOW)).toHaveLength(2);
  });

  it("honours Retry-After (seconds, never earlier, at most +jitter)", async () => {
    const api = await start({ [READ_FLOW]: sequence({ status: 429, headers: { "Retry-After": "3" } }, { status: 200, body: flow() }) });
    const settings = fastSettings(api.url);
    await client(settings).call("get", "/flows/{id}", { path: { id: FLOW_ID } });
    expect(settings.sleeps).toHaveLength(1);
    expect(settings.sleeps[0]).toBeGreaterThanOrEqual(3000);
    expect(settings.sleeps[0]).toBeLessThanOrEqual(3600);
  });

  it.each([400, 401, 422, 500])("does not retry %i", async (status) => {
    const api = await start({ [READ_FLOW]: () => ({ status, body: { detail: "no" } }) });
    const settings = fastSettings(api.url);
    const error = await client(settings)
      .call("get", "/flows/{id}", { path: { id: FLOW_ID } })
      .catch((e: unknown) => e);
    expect((error as HTTPStatusError).status).toBe(status);
    expect(calls(api, READ_FLOW)).toHaveLength(1);
    expect(settings.sleeps).toEqual([]);
  });

  it("bounds attempts by maxRetries, returns the last response's error, and does not sleep after the last attempt", async () => {
    const api = await start({ [READ_FLOW]: () => ({ status: 503, body: { detail: "down for good" } }) });
    const settings = fastSettings(api.url, { maxRetries: 3 });
    const error = await client(settings)
      .call("get", "/flows/{id}", { path: { id: FLOW_ID } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPStatusError);
    expect((error as HTTPStatusError).status).toBe(503);
    expect((error as HTTPStatusError).detail).toBe("down for good");
    expect(calls(api, READ_FLOW)).toHaveLength(4);
    expect(settings.sleeps).toHaveLength(3);
  });

  it("defaults to 5 retries (6 attempts)", async () => {
    const api = await start({ [READ_FLOW]: () => ({ status: 503 }) });
    await client(fastSettings(api.url))
      .call("get", "/flows/{id}", { path: { id: FLOW_ID } })
      .catch(() => undefined);
    expect(calls(api, READ_FLOW)).toHaveLength(6);
  });

  it("Prefect-Maintenance: true does not use up an attempt", async () => {
    const maintenance = { status: 503, headers: { "Prefect-Maintenance": "true" } };
    const api = await start({ [READ_FLOW]: sequence(maintenance, maintenance, maintenance, { status: 503 }, { status: 200, body: flow() }) });
    await client(fastSettings(api.url, { maxRetries: 1 })).call("get", "/flows/{id}", { path: { id: FLOW_ID } });
    expect(calls(api, READ_FLOW)).toHaveLength(5);
  });

  it("retries a connection reset", async () => {
    const api = await start({ [READ_FLOW]: sequence({ status: 200, reset: true }, { status: 200, body: flow() }) });
    const settings = fastSettings(api.url);
    await client(settings).call("get", "/flows/{id}", { path: { id: FLOW_ID } });
    expect(calls(api, READ_FLOW)).toHaveLength(2);
    expect(settings.sleeps).toHaveLength(1);
  });

  it("a reset on every attempt ends in HTTPRequestError after maxRetries", async () => {
    const api = await start({ [READ_FLOW]: () => ({ status: 200, reset: true }) });
    const error = await client(fastSettings(api.url, { maxRetries: 2 }))
      .call("get", "/flows/{id}", { path: { id: FLOW_ID } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPRequestError);
    expect((error as HTTPRequestError).attempts).toBe(3);
    expect((error as Error).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/api\/flows\/[0-9a-f-]+ failed after 3 attempts: /);
  });

  it("does not retry a refused connection to a server that never answered", async () => {
    const api = await start();
    const url = api.url;
    await api.close();
    mock = undefined;
    const settings = fastSettings(url);
    const error = await client(settings)
      .call("get", "/health")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPRequestError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(settings.sleeps).toEqual([]);
  });
});

describe("errors", () => {
  it("maps 404 to ObjectNotFound with the server's detail, for any operation", async () => {
    const api = await start({ [READ_FLOW]: () => ({ status: 404, body: { detail: "Flow not found" } }) });
    const error = await client(fastSettings(api.url))
      .call("get", "/flows/{id}", { path: { id: FLOW_ID } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectNotFound);
    expect(error).toMatchObject({ status: 404, method: "GET", detail: "Flow not found", url: `${api.url}/flows/${FLOW_ID}` });
    expect((error as Error).message).toBe(`GET ${api.url}/flows/${FLOW_ID} failed with HTTP 404: Flow not found`);
  });

  it("maps 409 to ObjectAlreadyExists", async () => {
    const api = await start({ [CREATE_FLOW]: () => ({ status: 409, body: { detail: "Flow already exists" } }) });
    const error = await client(fastSettings(api.url))
      .call("post", "/flows/", { body: { name: "a" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectAlreadyExists);
    expect(error).toMatchObject({ status: 409, method: "POST", detail: "Flow already exists" });
  });

  it("other statuses are plain HTTPStatusError; a 422 keeps FastAPI's detail list", async () => {
    const detail = [{ loc: ["body", "name"], msg: "field required", type: "missing" }];
    const api = await start({ [CREATE_FLOW]: () => ({ status: 422, body: { detail } }) });
    const error = await client(fastSettings(api.url))
      .call("post", "/flows/", { body: { name: "a" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPStatusError);
    expect(error).not.toBeInstanceOf(ObjectNotFound);
    expect((error as HTTPStatusError).detail).toEqual(detail);
    expect((error as Error).message).toContain("field required");
  });
});

describe("timeouts and abort", () => {
  // undici checks connect/headers/body timeouts on a ~1 s tick (fast timers), so these use 3 s delays.
  it("timeoutMs bounds each attempt", async () => {
    const api = await start({ [READ_FLOW]: () => ({ status: 200, body: flow(), delayMs: 3000 }) });
    const started = Date.now();
    const error = await client(fastSettings(api.url, { timeoutMs: 100, maxRetries: 0 }))
      .call("get", "/flows/{id}", { path: { id: FLOW_ID } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPTimeoutError);
    expect((error as Error).message).toMatch(/timed out after 1 attempt: .*UND_ERR_HEADERS_TIMEOUT/);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("a timed-out attempt is retried", async () => {
    const api = await start({ [READ_FLOW]: sequence({ status: 200, body: flow(), delayMs: 3000 }, { status: 200, body: flow() }) });
    await client(fastSettings(api.url, { timeoutMs: 100, maxRetries: 1 })).call("get", "/flows/{id}", { path: { id: FLOW_ID } });
    expect(calls(api, READ_FLOW)).toHaveLength(2);
  });

  it("options.timeout overrides timeoutMs for one call", async () => {
    const api = await start({ [READ_FLOW]: () => ({ status: 200, body: flow(), delayMs: 1000 }) });
    const c = client(fastSettings(api.url, { maxRetries: 0 }));
    const started = Date.now();
    const error = await c.call("get", "/flows/{id}", { path: { id: FLOW_ID } }, { timeout: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPTimeoutError);
    expect((error as Error).message).toMatch(/timed out after 1 attempt: no response within 50 ms/);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it("a longer options.timeout lifts timeoutMs for one call", async () => {
    const api = await start({ [READ_FLOW]: () => ({ status: 200, body: flow(), delayMs: 1500 }) });
    const c = client(fastSettings(api.url, { timeoutMs: 100, maxRetries: 0 }));
    await expect(c.call("get", "/flows/{id}", { path: { id: FLOW_ID } }, { timeout: 5000 })).resolves.toMatchObject({ name: "etl" });
  });

  it("the caller's signal aborts the request with its reason and stops retries", async () => {
    const api = await start({ [READ_FLOW]: () => ({ status: 200, body: flow(), delayMs: 1000 }) });
    const c = client(fastSettings(api.url));
    const controller = new AbortController();
    const pending = c.call("get", "/flows/{id}", { path: { id: FLOW_ID } }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user cancelled")), 50);
    await expect(pending).rejects.toThrow("user cancelled");
    expect(calls(api, READ_FLOW)).toHaveLength(1);
  });

  it("an abort during a retry back-off stops waiting", async () => {
    const api = await start({ [READ_FLOW]: () => ({ status: 503 }) });
    // the real (abortable) sleep with a 10 s back-off
    const c = client({ baseUrl: api.url, retryBaseDelayMs: 5000, warn: () => undefined } as never);
    const controller = new AbortController();
    const pending = c.call("get", "/flows/{id}", { path: { id: FLOW_ID } }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stop")), 100);
    const started = Date.now();
    await expect(pending).rejects.toThrow("stop");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(calls(api, READ_FLOW)).toHaveLength(1);
  });
});

describe("lifecycle", () => {
  it("rejects calls after close with ClientClosedError, and cannot be opened again", async () => {
    const api = await start();
    const c = client(fastSettings(api.url));
    await c.open();
    expect(c.closed).toBe(false);
    await c.call("get", "/health");
    await c[Symbol.asyncDispose]();
    expect(c.closed).toBe(true);
    await expect(c.call("get", "/health")).rejects.toBeInstanceOf(ClientClosedError);
    await expect(c.open()).rejects.toBeInstanceOf(ClientClosedError);
    await c[Symbol.asyncDispose](); // idempotent
  });

  it("close stops a retry that is waiting out its back-off", async () => {
    const api = await start({ [READ_FLOW]: () => ({ status: 503 }) });
    const c = client({ baseUrl: api.url, retryBaseDelayMs: 5000, warn: () => undefined } as never);
    const pending = c.call("get", "/flows/{id}", { path: { id: FLOW_ID } });
    const outcome = expect(pending).rejects.toBeInstanceOf(ClientClosedError);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await c[Symbol.asyncDispose]();
    await outcome;
  });

  it("leaves no open sockets after dispose", async () => {
    const api = await start({ [READ_FLOW]: () => ({ status: 200, body: flow(), delayMs: 20 }) });
    const c = client(fastSettings(api.url));
    await Promise.all(Array.from({ length: 8 }, () => c.call("get", "/flows/{id}", { path: { id: FLOW_ID } })));
    expect(api.connections()).toBeGreaterThan(1); // a pool, kept alive
    await c[Symbol.asyncDispose]();
    for (let i = 0; i < 50 && api.connections() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(api.connections()).toBe(0);
  });

  it("reuses keep-alive connections", async () => {
    const api = await start();
    const c = client(fastSettings(api.url));
    for (let i = 0; i < 10; i++) await c.call("get", "/health");
    // undici returns a socket to the pool a tick after the body ends, so the second call may open one more.
    expect(api.connectionsAccepted()).toBeLessThanOrEqual(2);
  });
});

describe("secrets", () => {
  const apiKey = "pnu_SECRET_API_KEY_123";
  const authString = "admin:SECRET_PASSWORD";
  const basic = Buffer.from(authString).toString("base64");

  function assertNoSecrets(text: string) {
    for (const secret of [apiKey, authString, "SECRET", basic]) expect(text).not.toContain(secret);
  }

  it("keeps the API key and auth string out of util.inspect, JSON and errors", async () => {
    const api = await start({ [READ_FLOW]: () => ({ status: 404, body: { detail: "Flow not found" } }) });
    const c = client(fastSettings(api.url, { apiKey, authString }));
    assertNoSecrets(inspect(c, { depth: 10, showHidden: true }));
    assertNoSecrets(JSON.stringify(c));
    assertNoSecrets(String(c));

    const statusError = await c.call("get", "/flows/{id}", { path: { id: FLOW_ID } }).catch((e: unknown) => e);
    assertNoSecrets(inspect(statusError, { depth: 10 }));
    assertNoSecrets((statusError as Error).message);

    await api.close();
    mock = undefined;
    const networkError = await c.call("get", "/health").catch((e: unknown) => e);
    expect(networkError).toBeInstanceOf(HTTPRequestError);
    assertNoSecrets(inspect(networkError, { depth: 10 }));
  });
});
