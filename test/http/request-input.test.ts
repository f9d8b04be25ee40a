// Path and query parameters over real HTTP on 127.0.0.1: what reaches the server is exactly what
// the caller wrote, or the call fails before anything is sent, naming the parameter.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RequestParameterError } from "../../runtime/http/index.js";
import { TestClient, fastSettings } from "./test-client.js";

let server: Server;
let baseUrl: string;
/** The raw request lines the server saw: `METHOD /raw/url`. */
const seen: string[] = [];
let client: TestClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  client = new TestClient(fastSettings(baseUrl, { csrfEnabled: false, maxRetries: 0 }));
});

afterAll(async () => {
  await client[Symbol.asyncDispose]();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
});

async function refused(call: Promise<unknown>): Promise<RequestParameterError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RequestParameterError);
  expect(seen).toEqual([]); // nothing was sent
  return error as RequestParameterError;
}

describe("path parameters stay in their segment", () => {
  it("percent-encodes every reserved character of a value", async () => {
    await client.call("get", "/flows/{id}", { path: { id: "a/b?c#d e%f" } });
    await client.call("get", "/work_pools/{pool}/queues/{name}", { path: { pool: "default", name: "../x" } });
    await client.call("get", "/flows/{id}", { path: { id: 42 } });
    expect(seen).toEqual(["GET /api/flows/a%2Fb%3Fc%23d%20e%25f", "GET /api/work_pools/default/queues/..%2Fx", "GET /api/flows/42"]);
  });

  // undici gets origin and path apart, so nothing resolves the dot segments: they reach the server as written.
  it.each([
    [".", "%2E"],
    ["..", "%2E%2E"],
  ])("sends %j percent-encoded (%s), so it names a resource instead of changing the path", async (value, encoded) => {
    await client.call("delete", "/work_pools/{pool}/queues/{name}", { path: { pool: "default", name: value } });
    await client.call("get", "/work_pools/{pool}/queues/{name}", { path: { pool: value, name: "q" } });
    expect(seen).toEqual([`DELETE /api/work_pools/default/queues/${encoded}`, `GET /api/work_pools/${encoded}/queues/q`]);
  });

  it.each([
    ["an empty string", { id: "" }, /"id" is an empty string/],
    ["undefined", { id: undefined }, /"id" is undefined/],
    ["null", { id: null }, /"id" is null/],
    ["missing", {}, /"id" is undefined/],
    ["an empty object", { id: {} }, /"id" is an empty object/],
    ["an empty array", { id: [] }, /"id" is an empty array/],
    ["an array holding an object", { id: ["a", { b: 1 }] }, /"id\[1\]" is an object/],
    ["NaN", { id: Number.NaN }, /"id" is NaN/],
  ])("refuses %s before sending anything", async (_what, path, message) => {
    const error = await refused(client.call("get", "/flows/{id}", { path }));
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^GET \/flows\/\{id\}: /);
  });

  it("refuses a template whose parameters were not given at all (no literal {id} in the URL)", async () => {
    const error = await refused(client.call("get", "/flows/{id}"));
    expect(error.parameter).toBe("id");
  });

  it("writes arrays and objects in OpenAPI's default path style, simple: comma-separated", async () => {
    await client.call("get", "/flows/{id}", { path: { id: ["a", "b/c"] } });
    await client.call("get", "/flows/{id}", { path: { id: { R: 100, G: 200 } } });
    expect(seen).toEqual(["GET /api/flows/a,b%2Fc", "GET /api/flows/R,100,G,200"]);
  });

  it("sends a Date as its ISO string", async () => {
    await client.call("get", "/days/{day}", { path: { day: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) } });
    expect(seen).toEqual(["GET /api/days/2026-01-02T03%3A04%3A05.000Z"]);
  });
});

describe("query parameters", () => {
  it("percent-encodes keys like values", async () => {
    await client.call("get", "/flows/", {}, { query: { "a&b=c": "x&y", "sp ace": "1" } });
    expect(seen).toEqual(["GET /api/flows/?a%26b%3Dc=x%26y&sp%20ace=1"]);
    const url = new URL(seen[0]!, "http://x");
    expect([...url.searchParams]).toEqual([
      ["a&b=c", "x&y"],
      ["sp ace", "1"],
    ]);
  });

  // OpenAPI's default query style, form + explode: an object sends its own keys (openapi-fetch sent deepObject, sort[by]=name).
  it("sends Dates as ISO strings, arrays repeated, objects as form + explode, and leaves out undefined and null", async () => {
    const since = new Date(Date.UTC(2026, 11, 1));
    await client.call("get", "/logs/", {}, { query: { since, ids: [3, 4], sort: { by: "name" }, limit: undefined, offset: null, on: true } });
    const url = new URL(seen[0]!, "http://x");
    expect([...url.searchParams]).toEqual([
      ["since", "2026-12-01T00:00:00.000Z"],
      ["ids", "3"],
      ["ids", "4"],
      ["by", "name"],
      ["on", "true"],
    ]);
  });

  it.each([
    ["a nested object", { filter: { status: { eq: "open" } } }, /"filter\[status\]" is an object/],
    ["a function", { cb: () => 1 }, /"cb" is a function/],
    ["a symbol", { s: Symbol("x") }, /"s" is a symbol/],
    ["an invalid Date", { since: new Date("nope") }, /"since" is an invalid Date/],
    ["Infinity", { limit: Number.POSITIVE_INFINITY }, /"limit" is Infinity/],
    ["an array holding an object", { ids: [1, { a: 1 }] }, /"ids\[1\]" is an object/],
  ])("refuses %s, naming the parameter, instead of dropping it", async (_what, query, message) => {
    const error = await refused(client.call("get", "/flows/", {}, { query: query as Record<string, unknown> }));
    expect(error.location).toBe("query");
    expect(error.message).toMatch(message);
  });
});
