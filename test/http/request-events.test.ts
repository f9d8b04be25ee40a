// The request channel the demo and loggers subscribe to: one event per operation, with its final status.
import { readFileSync } from "node:fs";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { afterEach, expect, it } from "vitest";
import { REQUEST_EVENTS_CHANNEL, type RequestEvent } from "../../runtime/events.js";
import { PREFECT_SPEC_PATH, prefectHandlers, startMockApi, type MockApi } from "../support/mock-api.js";
import { FLOW_ID, TestClient, fastSettings } from "./test-client.js";

const spec = JSON.parse(readFileSync(PREFECT_SPEC_PATH, "utf8")) as object;
let mock: MockApi | undefined;
let client: TestClient | undefined;
const events: RequestEvent[] = [];
const listener = (event: unknown) => events.push(event as RequestEvent);

afterEach(async () => {
  unsubscribe(REQUEST_EVENTS_CHANNEL, listener);
  events.length = 0;
  await client?.[Symbol.asyncDispose]();
  await mock?.close();
});

it("publishes method, path template, URL and final status of each operation, errors included", async () => {
  mock = await startMockApi({
    spec,
    prefix: "/api",
    handlers: { ...prefectHandlers(), read_flow_flows__id__get: () => ({ status: 404, body: { detail: "Flow not found" } }) },
  });
  client = new TestClient(fastSettings(mock.url, { csrfEnabled: false }));
  subscribe(REQUEST_EVENTS_CHANNEL, listener);

  await client.call("get", "/health");
  await expect(client.call("get", "/flows/{id}", { path: { id: FLOW_ID } })).rejects.toThrow(/404/);

  expect(events.map(({ method, path, url, status }) => ({ method, path, url, status }))).toEqual([
    { method: "GET", path: "/health", url: `${mock.url}/health`, status: 200 },
    { method: "GET", path: "/flows/{id}", url: `${mock.url}/flows/${FLOW_ID}`, status: 404 },
  ]);
  expect(events.every((e) => e.durationMs >= 0)).toBe(true);
});

it("reports a request that got no response with its error", async () => {
  mock = await startMockApi({ spec, prefix: "/api", handlers: { health_check_health_get: () => ({ status: 200, reset: true }) } });
  client = new TestClient(fastSettings(mock.url, { csrfEnabled: false, maxRetries: 0 }));
  subscribe(REQUEST_EVENTS_CHANNEL, listener);
  await expect(client.call("get", "/health")).rejects.toThrow();
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ method: "GET", path: "/health", status: undefined });
  expect(events[0]!.error).toBeInstanceOf(Error);
});
