// The tagged functions, run through inject-client/vite, against a small Prefect-shaped server on 127.0.0.1.
// withClientFactory hands them a client for that server for the one call tree, with no global state.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CLIENT_EVENTS_CHANNEL, ClientContext, ObjectNotFound, withClientFactory, type ClientEvent } from "inject-client/runtime";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { cancelRun, ensureFlow, recentRuns, startRun } from "../src/flows.js";
import { PrefectClient } from "../src/generated/prefect/index.js";

interface Received {
  method: string;
  url: string;
  body: unknown;
}

const FLOW_ID = "0b6f3a4e-6f6e-4c1e-9a43-2f3c1f0e7a11";
const RUN_ID = "5d1f7a3c-2b4e-4f7a-8c9d-1e2f3a4b5c6d";
let server: Server;
let baseUrl: string;
let received: Received[] = [];
let events: ClientEvent["type"][] = [];
const onClientEvent = (event: unknown) => events.push((event as ClientEvent).type);

async function readBody(request: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of request) text += chunk;
  return text ? JSON.parse(text) : undefined;
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await readBody(request);
    received.push({ method: request.method!, url: request.url!, body });
    const send = (status: number, payload: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(payload));
    };
    if (request.url === "/api/flows/") return send(200, { id: FLOW_ID, name: (body as { name: string }).name });
    if (request.url === "/api/flow_runs/filter") return send(200, [{ id: RUN_ID }]);
    if (request.url === "/api/deployments/name/etl/missing") return send(404, { detail: "Deployment not found" });
    if (request.url === `/api/flow_runs/${RUN_ID}/set_state`) return send(201, { status: "ACCEPT" });
    send(500, { detail: `unexpected ${request.method} ${request.url}` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

/** What the functions' own clients are made with inside `withClientFactory` (else PrefectClient.fromEnv()). */
const testServerClient = () => new PrefectClient({ baseUrl, csrfEnabled: false, serverVersionCheck: false });

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  received = [];
  events = [];
  subscribe(CLIENT_EVENTS_CHANNEL, onClientEvent);
});
afterEach(() => unsubscribe(CLIENT_EVENTS_CHANNEL, onClientEvent));

it("creates, opens and closes its own client when none is passed or in context", async () => {
  const flow = await withClientFactory(PrefectClient, testServerClient, () => ensureFlow("etl"));
  expect(flow).toEqual({ id: FLOW_ID, name: "etl" });
  expect(received).toEqual([{ method: "POST", url: "/api/flows/", body: { name: "etl" } }]);
  expect(events).toEqual(["created", "opened", "closed"]);
});

it("shares the context client across calls and never closes it", async () => {
  await using shared = new PrefectClient({ baseUrl, csrfEnabled: false });
  await ClientContext.run({ client: shared }, async () => {
    await ensureFlow("etl");
    await cancelRun(RUN_ID);
  });
  expect(events).toEqual(["context", "context"]);
  expect(shared.closed).toBe(false);
  expect(received.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /api/flows/", `POST /api/flow_runs/${RUN_ID}/set_state`]);
});

it("uses a passed client through the options object, with the caller's other options", async () => {
  await using mine = new PrefectClient({ baseUrl, csrfEnabled: false });
  const runs = await recentRuns("etl", { client: mine, limit: 3 });
  expect(runs).toEqual([{ id: RUN_ID }]);
  expect(events).toEqual(["passed"]);
  expect(received[0]!.body).toEqual({ flows: { name: { any_: ["etl"] } }, sort: "START_TIME_DESC", limit: 3 });
});

it("surfaces a 404 as ObjectNotFound and still closes the client it created", async () => {
  const failure = withClientFactory(PrefectClient, testServerClient, () => startRun("etl", "missing", {}));
  await expect(failure).rejects.toBeInstanceOf(ObjectNotFound);
  await expect(failure).rejects.toMatchObject({ status: 404, detail: "Deployment not found" });
  expect(events).toEqual(["created", "opened", "closed"]);
});
