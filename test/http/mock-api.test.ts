// The spec-validating mock itself (used by these tests, other tests and `npm run demo`).
import { afterEach, expect, it } from "vitest";
import { PREFECT_SPEC_PATH, startMockApi, type MockApi } from "../support/mock-api.js";

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

it("serves under a prefix, records and validates requests, and answers with schema mocks", async () => {
  api = await startMockApi({ spec: PREFECT_SPEC_PATH, prefix: "/api" });
  expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);

  const ok = await fetch(`${api.url}/flows/3fa85f64-5717-4562-b3fc-2c963f66afa6`);
  expect(ok.status).toBe(200);
  expect(await ok.json()).toMatchObject({ id: expect.any(String), name: expect.any(String) });
  expect(api.requests[0]).toMatchObject({
    method: "GET",
    operationId: "read_flow_flows__id__get",
    valid: true,
    params: { id: "3fa85f64-5717-4562-b3fc-2c963f66afa6" },
  });

  const badBody = await fetch(`${api.url}/flows/`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  expect(badBody.status).toBe(400);
  const badUuid = await fetch(`${api.url}/flows/not-a-uuid`);
  expect(badUuid.status).toBe(400);
  const noTrailingSlash = await fetch(`${api.url}/flows`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"x"}' });
  expect(noTrailingSlash.status).toBe(404); // the spec says /flows/, and paths are matched exactly
  const outsidePrefix = await fetch(api.url.replace(/\/api$/, "/health"));
  expect(outsidePrefix.status).toBe(404);
  expect(api.invalidRequests().map((r) => r.path)).toEqual(["/flows/", "/flows/not-a-uuid", "/flows", "/health"]);
});

it("handlers override per operation and may fall through to the schema mock; CSRF tokens are unexpired", async () => {
  api = await startMockApi({
    spec: PREFECT_SPEC_PATH,
    handlers: {
      read_flow_flows__id__get: (req) => (req.params.id?.startsWith("0") ? { status: 404, body: { detail: "Flow not found" } } : undefined),
    },
  });
  expect((await fetch(`${api.url}/flows/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  expect((await fetch(`${api.url}/flows/3fa85f64-5717-4562-b3fc-2c963f66afa6`)).status).toBe(200);
  const token = (await (await fetch(`${api.url}/csrf-token?client=abc`)).json()) as { client: string; expiration: string };
  expect(token.client).toBe("abc");
  expect(Date.parse(token.expiration)).toBeGreaterThan(Date.now());
});
