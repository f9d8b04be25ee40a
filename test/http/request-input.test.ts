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

  it.each([".", ".."])("refuses %j, which would resolve to another path", async (value) => {
    const error = await refused(client.call("delete", "/work_pools/{pool}/queues/{name}", { path: { pool: "default", name: value } }));
    expect(error.parameter).toBe("name");
    expect(error.location).toBe("path");
    expect(error.message).toMatch(/^DELETE \/work_pools\/\{pool\}\/queues\/\{name\}: path parameter "name" is "\.{1,2}", which would change the path/);
  });

  it.each([
    ["an empty string", { id: "" }, /"id" is an empty string/],
    ["undefined", { id: undefined }, /"id" is undefined/],
    ["null", { id: null }, /"id" is null/],
    ["missing", {}, /"id" is undefined/],
    ["an object", { id: { a: 1 } }, /"id" is an object/],
    ["an array", { id: ["a", "b"] }, /"id" is an array/],
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

  it("sends Dates as ISO strings, arrays repeated, objects as deepObject, and leaves out undefined and null", async () => {
    const since = new Date(Date.UTC(2026, 11, 1));
    await client.call("get", "/logs/", {}, { query: { since, ids: [3, 4], sort: { by: "name" }, limit: undefined, offset: null, on: true } });
    const url = new URL(seen[0]!, "http://x");
    expect([...url.searchParams]).toEqual([
      ["since", "2026-12-01T00:00:00.000Z"],
      ["ids", "3"],
      ["ids", "4"],
      ["sort[by]", "name"],
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
