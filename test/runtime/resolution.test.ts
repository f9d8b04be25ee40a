import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ClientContext,
  FlowRunContext,
  MissingClientFactoryError,
  TaskRunContext,
  getOrCreateClient,
  setClientFactory,
  setDefaultClientFactory,
} from "inject-client/runtime";
import { CountingClient, recordingFactory } from "./counting-client.js";

describe("getOrCreateClient", () => {
  let factory: ReturnType<typeof recordingFactory>;
  beforeEach(() => {
    factory = recordingFactory(setClientFactory);
  });
  afterEach(() => factory.restore());

  it("returns a passed client as inferred, without looking at it", () => {
    const passed = new CountingClient();
    const [client, inferred] = getOrCreateClient(passed);
    expect(client).toBe(passed);
    expect(inferred).toBe(true);
    expect(factory.made).toHaveLength(0);
  });

  it("returns a passed client even when it is closed (no checks, as in Prefect)", async () => {
    const passed = new CountingClient();
    await passed[Symbol.asyncDispose]();
    expect(getOrCreateClient(passed)).toEqual([passed, true]);
  });

  it.each([
    ["ClientContext", ClientContext],
    ["FlowRunContext", FlowRunContext],
    ["TaskRunContext", TaskRunContext],
  ] as const)("takes the open client of %s as inferred", (_name, context) => {
    const inContext = new CountingClient();
    const [client, inferred] = context.run({ client: inContext }, () => getOrCreateClient());
    expect(client).toBe(inContext);
    expect(inferred).toBe(true);
    expect(factory.made).toHaveLength(0);
  });

  it("prefers ClientContext over FlowRunContext over TaskRunContext", () => {
    const fromClient = new CountingClient("client-context");
    const fromFlow = new CountingClient("flow-run-context");
    const fromTask = new CountingClient("task-run-context");
    const all = TaskRunContext.run({ client: fromTask }, () =>
      FlowRunContext.run({ client: fromFlow }, () => ClientContext.run({ client: fromClient }, () => getOrCreateClient()[0])),
    );
    expect(all).toBe(fromClient);
    const flowAndTask = FlowRunContext.run({ client: fromFlow }, () => TaskRunContext.run({ client: fromTask }, () => getOrCreateClient()[0]));
    expect(flowAndTask).toBe(fromFlow);
  });

  it("skips a closed context client and falls through to the next context", async () => {
    const closed = new CountingClient("closed");
    await closed[Symbol.asyncDispose]();
    const open = new CountingClient("open");
    const [client, inferred] = ClientContext.run({ client: closed }, () => TaskRunContext.run({ client: open }, () => getOrCreateClient()));
    expect(client).toBe(open);
    expect(inferred).toBe(true);
  });

  it("never returns a closed context client: creates a new one instead", async () => {
    const closed = new CountingClient("closed");
    await closed[Symbol.asyncDispose]();
    const [client, inferred] = FlowRunContext.run({ client: closed }, () => getOrCreateClient());
    expect(client).not.toBe(closed);
    expect(inferred).toBe(false);
    expect(factory.made).toEqual([client]);
  });

  it.each([undefined, null])("creates a client from the factory when given %s and no context", (nothing) => {
    const [client, inferred] = getOrCreateClient(nothing);
    expect(inferred).toBe(false);
    expect(factory.made).toEqual([client]);
  });

  it("context values do not leak outside run()", () => {
    ClientContext.run({ client: new CountingClient() }, () => undefined);
    expect(ClientContext.get()).toBeUndefined();
    expect(getOrCreateClient()[1]).toBe(false);
  });

  it("context values follow async continuations", async () => {
    const inContext = new CountingClient();
    const seen = await ClientContext.run({ client: inContext }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return getOrCreateClient()[0];
    });
    expect(seen).toBe(inContext);
  });
});

describe("client factory", () => {
  it("setClientFactory returns the previous factory", () => {
    const first = () => new CountingClient("first");
    const second = () => new CountingClient("second");
    const original = setClientFactory(first);
    try {
      expect(setClientFactory(second)).toBe(first);
      expect(setClientFactory(first)).toBe(second);
    } finally {
      setClientFactory(original);
    }
  });

  it("a missing factory is a clear error", () => {
    const original = setClientFactory(undefined);
    try {
      expect(() => getOrCreateClient()).toThrow(MissingClientFactoryError);
      expect(() => getOrCreateClient()).toThrow(/no client factory is set.*setClientFactory/);
    } finally {
      setClientFactory(original);
    }
  });

  it("a default factory never replaces one the user set, whatever the order", () => {
    const original = setClientFactory(undefined);
    try {
      const users = () => new CountingClient("users");
      const generated = () => new CountingClient("generated");
      setDefaultClientFactory(generated);
      expect((getOrCreateClient()[0] as CountingClient).label).toBe("generated");
      setClientFactory(users);
      setDefaultClientFactory(generated);
      expect((getOrCreateClient()[0] as CountingClient).label).toBe("users");
    } finally {
      setClientFactory(original);
    }
  });
});
