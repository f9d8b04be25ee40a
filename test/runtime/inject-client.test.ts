import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ClientContext,
  FlowRunContext,
  InjectedNotTransformedError,
  TaskRunContext,
  injectClient,
  injected,
  setClientFactory,
  type ManagedClient,
} from "inject-client/runtime";
import { CountingClient, recordingFactory } from "./counting-client.js";

type Options = { client: ManagedClient; tag?: string };
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** What the body saw when it ran: its client and whether that client was open at the time. */
async function describeClient(id: string, options: Options) {
  const client = options.client as CountingClient;
  return { id, client, tag: options.tag, openedBeforeBody: client.opens, closedDuringBody: client.closed };
}

describe("injectClient", () => {
  let factory: ReturnType<typeof recordingFactory>;
  beforeEach(() => {
    factory = recordingFactory(setClientFactory);
  });
  afterEach(() => factory.restore());

  it("creates, opens before the body and closes after it, exactly once", async () => {
    const wrapped = injectClient(describeClient);
    const seen = await wrapped("a");
    expect(factory.made).toHaveLength(1);
    const [made] = factory.made;
    expect(seen.client).toBe(made);
    expect(seen.openedBeforeBody).toBe(1);
    expect(seen.closedDuringBody).toBe(false);
    expect(made!.opens).toBe(1);
    expect(made!.closes).toBe(1);
  });

  it("closes a created client exactly once when the body throws synchronously", async () => {
    const wrapped = injectClient(async (_options: Options) => {
      throw new Error("boom");
    });
    await expect(wrapped()).rejects.toThrow("boom");
    expect(factory.made.map((c) => c.closes)).toEqual([1]);
  });

  it("closes a created client exactly once when the body rejects later", async () => {
    const wrapped = injectClient(async (_options: Options) => {
      await tick();
      throw new Error("late");
    });
    await expect(wrapped()).rejects.toThrow("late");
    expect(factory.made.map((c) => [c.opens, c.closes])).toEqual([[1, 1]]);
  });

  it("closes only after a still-pending returned promise settles", async () => {
    let closedWhenRequestFinished: boolean | undefined;
    // Not async: hands back a pending promise, like `return client.readFlow(id)`.
    const fn = (options: Options) =>
      new Promise<string>((resolve) =>
        setTimeout(() => {
          closedWhenRequestFinished = options.client.closed;
          resolve("done");
        }, 5),
      );
    await expect(injectClient(fn)()).resolves.toBe("done");
    expect(closedWhenRequestFinished).toBe(false);
    expect(factory.made[0]!.closes).toBe(1);
  });

  it("closes only after a promise returned from inside the body's own try/finally settles", async () => {
    let closedWhenRequestFinished: boolean | undefined;
    const fn = async (options: Options) => {
      try {
        return tick().then(() => (closedWhenRequestFinished = options.client.closed));
      } finally {
        // the body's own finally must not be where the client closes
      }
    };
    await injectClient(fn)();
    expect(closedWhenRequestFinished).toBe(false);
    expect(factory.made[0]!.closes).toBe(1);
  });

  it("uses a passed client as is and never opens or closes it", async () => {
    const passed = new CountingClient();
    const seen = await injectClient(describeClient)("a", { client: passed });
    expect(seen.client).toBe(passed);
    expect([passed.opens, passed.closes]).toEqual([0, 0]);
    expect(factory.made).toHaveLength(0);
  });

  it.each([
    ["ClientContext", ClientContext],
    ["FlowRunContext", FlowRunContext],
    ["TaskRunContext", TaskRunContext],
  ] as const)("uses the %s client and never opens or closes it", async (_name, context) => {
    const inContext = new CountingClient();
    const seen = await context.run({ client: inContext }, () => injectClient(describeClient)("a"));
    expect(seen.client).toBe(inContext);
    expect([inContext.opens, inContext.closes]).toEqual([0, 0]);
    expect(factory.made).toHaveLength(0);
  });

  it("a passed client wins over a context client", async () => {
    const passed = new CountingClient();
    const seen = await ClientContext.run({ client: new CountingClient() }, () => injectClient(describeClient)("a", { client: passed }));
    expect(seen.client).toBe(passed);
  });

  it("skips a closed context client and creates (and closes) its own", async () => {
    const closed = new CountingClient();
    await closed[Symbol.asyncDispose]();
    const seen = await ClientContext.run({ client: closed }, () => injectClient(describeClient)("a"));
    expect(seen.client).not.toBe(closed);
    expect(factory.made).toEqual([seen.client]);
    expect(factory.made[0]!.closes).toBe(1);
  });

  it.each([
    ["a null client", [{ client: null }]],
    ["an undefined client", [{ client: undefined }]],
    ["an options object without client", [{}]],
    ["an undefined options object", [undefined]],
    ["no options argument", []],
  ])("treats %s as none", async (_case, rest) => {
    const seen = await (injectClient(describeClient) as (...args: unknown[]) => ReturnType<typeof describeClient>)("a", ...rest);
    expect(factory.made).toEqual([seen.client]);
  });

  it("keeps the caller's other options and does not mutate the caller's object", async () => {
    const callerOptions = { tag: "mine" };
    const seen = await injectClient(describeClient)("a", callerOptions);
    expect(seen.tag).toBe("mine");
    expect(callerOptions).toEqual({ tag: "mine" });
  });

  it("keeps `this` for methods", async () => {
    const service = {
      prefix: "svc",
      name: injectClient(async function (this: { prefix: string }, id: string, _options: Options) {
        return `${this.prefix}:${id}`;
      }),
    };
    await expect(service.name("a")).resolves.toBe("svc:a");
  });

  it("preserves name and length", () => {
    const wrapped = injectClient(describeClient);
    expect(wrapped.name).toBe("describeClient");
    expect(wrapped.length).toBe(2);
  });

  it("closes the client and reports the error when open() fails", async () => {
    class FailingOpen extends CountingClient {
      override async open() {
        throw new Error("cannot connect");
      }
    }
    const client = new FailingOpen();
    setClientFactory(() => client);
    let bodyRan = false;
    await expect(injectClient(async (_o: Options) => (bodyRan = true))()).rejects.toThrow("cannot connect");
    expect(bodyRan).toBe(false);
    expect(client.closes).toBe(1);
  });

  it("works with clients that have no open()", async () => {
    let disposed = 0;
    const bare: ManagedClient = { closed: false, [Symbol.asyncDispose]: async () => void disposed++ };
    setClientFactory(() => bare);
    await injectClient(async (o: { client: ManagedClient }) => o.client)();
    expect(disposed).toBe(1);
  });

  describe("the fn.length edge", () => {
    it("an options parameter with a default value is not counted: a primitive at that index is a clear error", async () => {
      // fn.length is 1 here, so the wrapper looks for options at index 0, where the id is.
      const withDefault = async (id: string, { client }: { client?: ManagedClient } = {}) => [id, client];
      expect(withDefault.length).toBe(1);
      const wrapped = injectClient(withDefault as (id: string, o: { client?: ManagedClient }) => Promise<unknown>);
      await expect(wrapped("flow-id")).rejects.toThrow(/argument 0 should be the options object.*without a default value/);
      expect(factory.made).toHaveLength(0);
    });

    it("optionsIndex points the wrapper at a defaulted options parameter", async () => {
      const withDefault = async (id: string, { client }: { client?: ManagedClient } = {}) => ({ id, client });
      const wrapped = injectClient(withDefault as (id: string, o: { client?: ManagedClient }) => Promise<{ id: string; client?: ManagedClient }>, {
        optionsIndex: 1,
      });
      const seen = await wrapped("flow-id");
      expect(seen.id).toBe("flow-id");
      expect(seen.client).toBe(factory.made[0]);
      expect(factory.made[0]!.closes).toBe(1);
    });

    it("a function with no counted parameter is refused when wrapped", () => {
      const noParams = async (...args: unknown[]) => args;
      expect(() => injectClient(noParams as unknown as (o: Options) => Promise<unknown>)).toThrow(/fn.length is 0/);
    });
  });

  it("isolates 1,000 interleaved calls in different contexts", async () => {
    const clients = Array.from({ length: 1000 }, (_, i) => new CountingClient(`ctx-${i}`));
    const wrapped = injectClient(async (i: number, options: Options) => {
      await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
      const before = options.client;
      await tick();
      return [before, options.client] as const;
    });
    const results = await Promise.all(clients.map((client, i) => (i % 2 ? ClientContext : FlowRunContext).run({ client }, () => wrapped(i))));
    results.forEach(([before, after], i) => {
      expect(before).toBe(clients[i]);
      expect(after).toBe(clients[i]);
    });
    expect(factory.made).toHaveLength(0);
  });

  it("10,000 concurrent calls with no context create and close exactly 10,000 clients", async () => {
    const wrapped = injectClient(async (options: Options) => {
      await Promise.resolve();
      return options.client;
    });
    const seen = await Promise.all(Array.from({ length: 10_000 }, () => wrapped()));
    expect(factory.made).toHaveLength(10_000);
    expect(new Set(seen).size).toBe(10_000);
    expect(factory.made.every((c) => c.opens === 1 && c.closes === 1)).toBe(true);
  });

  it("10,000 concurrent calls inside a context create none", async () => {
    const shared = new CountingClient();
    const wrapped = injectClient(async (options: Options) => options.client);
    const seen = await ClientContext.run({ client: shared }, () => Promise.all(Array.from({ length: 10_000 }, () => wrapped())));
    expect(factory.made).toHaveLength(0);
    expect(seen.every((c) => c === shared)).toBe(true);
    expect([shared.opens, shared.closes]).toEqual([0, 0]);
  });
});

describe("injected()", () => {
  it("throws a clear error naming the function when it runs untransformed", async () => {
    async function latestRuns(flowName: string, client: ManagedClient = injected()) {
      return [flowName, client];
    }
    await expect(latestRuns("etl")).rejects.toThrow(InjectedNotTransformedError);
    await expect(latestRuns("etl")).rejects.toThrow(
      /`latestRuns` was compiled without the inject-client transformer.*"transform": "@inject-client\/transformer".*tspc.*\/register/,
    );
  });

  it("is not called when a client is passed", async () => {
    async function latestRuns(flowName: string, client: ManagedClient = injected()) {
      return client;
    }
    const passed = new CountingClient();
    await expect(latestRuns("etl", passed)).resolves.toBe(passed);
  });
});
