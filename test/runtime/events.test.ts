import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { afterEach, beforeEach, expect, it } from "vitest";
import {
  CLIENT_EVENTS_CHANNEL,
  ClientContext,
  FlowRunContext,
  injectClient,
  setClientFactory,
  type ClientEvent,
  type ManagedClient,
} from "inject-client/runtime";
import { CountingClient, recordingFactory } from "./counting-client.js";

let events: { type: string; context?: string; client: ManagedClient }[];
const listener = (message: unknown) => events.push(message as ClientEvent);
let factory: ReturnType<typeof recordingFactory>;

beforeEach(() => {
  events = [];
  subscribe(CLIENT_EVENTS_CHANNEL, listener);
  factory = recordingFactory(setClientFactory);
});
afterEach(() => {
  unsubscribe(CLIENT_EVENTS_CHANNEL, listener);
  factory.restore();
});

const wrapped = injectClient(async (options: { client: ManagedClient }) => options.client);

it("tells where each resolved client came from, and a created client's lifecycle in order", async () => {
  const passed = new CountingClient();
  const shared = new CountingClient();
  await wrapped({ client: passed });
  await FlowRunContext.run({ client: shared }, () => wrapped());
  await wrapped();
  expect(events.map((e) => [e.type, e.context])).toEqual([
    ["passed", undefined],
    ["context", "FlowRunContext"],
    ["created", undefined],
    ["opened", undefined],
    ["closed", undefined],
  ]);
  expect(events[0]!.client).toBe(passed);
  expect(events[1]!.client).toBe(shared);
  expect(events.slice(2).every((e) => e.client === factory.made[0])).toBe(true);
});

it("names the context the client was found in", async () => {
  await ClientContext.run({ client: new CountingClient() }, () => wrapped());
  expect(events).toMatchObject([{ type: "context", context: "ClientContext" }]);
});
