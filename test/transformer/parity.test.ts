// Parity: the same behaviour table against (a) the runtime wrapper injectClient(), (b) the tagged
// functions compiled by the real tspc with the transformer, (c) the tagged functions transformed
// by the inject-client/vite plugin (this test imports tagged.ts; vitest.config.ts applies the plugin).
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  ClientContext,
  clientEvents,
  FlowRunContext,
  MissingClientFactoryError,
  TaskRunContext,
  setClientFactory,
  type ClientEvent,
  type ManagedClient,
} from "inject-client/runtime";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Behaviours } from "../fixtures/transformer/parity/src/behaviours.js";
import * as viteTransformed from "../fixtures/transformer/parity/src/tagged.js";
import { wrapped } from "../fixtures/transformer/parity/src/wrapped.js";
import { FakeClient, OtherClient, fakeFactory } from "./support/fake-client.js";
import { copyFixture, tspc, removeTempDirs } from "./support/project.js";

afterAll(removeTempDirs);

type TaggedModule = typeof viteTransformed;
let tspcCompiled: TaggedModule;

beforeAll(async () => {
  const dir = copyFixture("parity");
  const build = tspc(dir);
  expect(build.output).toBe("");
  expect(build.status).toBe(0);
  tspcCompiled = (await import(pathToFileURL(join(dir, "dist/tagged.js")).href)) as TaggedModule;
});

let restoreFactory: (() => void) | undefined;
afterEach(() => {
  restoreFactory?.();
  restoreFactory = undefined;
});

/**
 * FakeClient's factory. Through the class's identity it is also the factory of the tspc-compiled copy
 * of FakeClient (another class object), as for two copies of a generated client's module.
 */
function useFactory(configure?: (client: FakeClient) => void): FakeClient[] {
  const { made, factory } = fakeFactory(configure);
  const previous = setClientFactory(FakeClient, factory);
  restoreFactory = () => void setClientFactory(FakeClient, previous);
  return made;
}

const implementations: Array<[string, () => Behaviours]> = [
  ["(a) runtime wrapper injectClient()", () => wrapped],
  ["(b) tspc, client parameter", () => tspcCompiled.parameterForm],
  ["(b) tspc, destructured { client } option", () => tspcCompiled.optionsForm],
  ["(c) vite plugin, client parameter", () => viteTransformed.parameterForm],
  ["(c) vite plugin, destructured { client } option", () => viteTransformed.optionsForm],
];

describe.each(implementations)("%s", (_label, implementation) => {
  let fn: Behaviours;
  beforeAll(() => {
    fn = implementation();
  });

  describe("resolution", () => {
    it("uses a passed client as is and never opens or closes it", async () => {
      const made = useFactory();
      const passed = new FakeClient("passed");
      const seen = await fn.seen(passed);
      expect(seen.client).toBe(passed);
      expect([passed.opens, passed.closes, made.length]).toEqual([0, 0, 0]);
    });

    it("treats a null client as none", async () => {
      const made = useFactory();
      const seen = await fn.seen(null);
      expect(made).toHaveLength(1);
      expect(seen.client).toBe(made[0]);
    });

    it.each([
      ["ClientContext", ClientContext],
      ["FlowRunContext", FlowRunContext],
      ["TaskRunContext", TaskRunContext],
    ] as const)("takes the open client of %s without opening or closing it", async (_name, context) => {
      const made = useFactory();
      const fromContext = new FakeClient("context");
      const seen = await context.run({ client: fromContext }, () => fn.seen());
      expect(seen.client).toBe(fromContext);
      expect([fromContext.opens, fromContext.closes, made.length]).toEqual([0, 0, 0]);
    });

    it("prefers ClientContext, then FlowRunContext, then TaskRunContext, skipping closed clients", async () => {
      const made = useFactory();
      const [client, flow, task] = [new FakeClient("client"), new FakeClient("flow"), new FakeClient("task")];
      const nested = <T>(run: () => Promise<T>) =>
        TaskRunContext.run({ client: task }, () => FlowRunContext.run({ client: flow }, () => ClientContext.run({ client }, run)));
      expect((await nested(() => fn.seen())).client).toBe(client);
      client.closes = 1;
      expect((await nested(() => fn.seen())).client).toBe(flow);
      flow.closes = 1;
      expect((await nested(() => fn.seen())).client).toBe(task);
      task.closes = 1;
      const seen = await nested(() => fn.seen());
      expect(made).toHaveLength(1);
      expect(seen.client).toBe(made[0]);
    });

    it("skips a context client of another class, and sees an outer one of its own past it", async () => {
      const made = useFactory();
      const seen = await ClientContext.run({ client: new OtherClient() }, () => fn.seen());
      expect(made).toHaveLength(1);
      expect(seen.client).toBe(made[0]);
      const own = new FakeClient("outer");
      const nested = await ClientContext.run({ client: own }, () =>
        FlowRunContext.run({ client: new OtherClient() }, () => ClientContext.run({ client: new OtherClient() }, () => fn.seen())),
      );
      expect(nested.client).toBe(own);
      expect(made).toHaveLength(1);
    });

    it("a passed client wins over a context client", async () => {
      useFactory();
      const passed = new FakeClient("passed");
      const seen = await ClientContext.run({ client: new FakeClient("context") }, () => fn.seen(passed));
      expect(seen.client).toBe(passed);
    });

    it("fails with MissingClientFactoryError naming the class when there is no client and no factory for it", async () => {
      const previous = setClientFactory(FakeClient, undefined);
      // An unkeyed factory is no factory for FakeClient.
      const previousFallback = setClientFactory(() => new FakeClient("fallback"));
      restoreFactory = () => {
        setClientFactory(FakeClient, previous);
        setClientFactory(previousFallback);
      };
      await expect(fn.seen()).rejects.toBeInstanceOf(MissingClientFactoryError);
      await expect(fn.seen()).rejects.toThrow(/no parity\/FakeClient was passed/);
    });
  });

  describe("a client from the factory", () => {
    it("is opened before the body and closed exactly once after it", async () => {
      const made = useFactory();
      const seen = await fn.seen();
      expect(seen.client).toBe(made[0]);
      expect([seen.opensAtStart, seen.closesAtStart]).toEqual([1, 0]);
      expect([made[0]!.opens, made[0]!.closes]).toEqual([1, 1]);
    });

    it("is closed exactly once when the body throws", async () => {
      const made = useFactory();
      await expect(fn.throws("boom")).rejects.toThrow("boom");
      expect([made[0]!.opens, made[0]!.closes]).toEqual([1, 1]);
    });

    it("is closed exactly once when the body rejects after an await", async () => {
      const made = useFactory();
      await expect(fn.rejectsLater("later")).rejects.toThrow("later (true)");
      expect([made[0]!.opens, made[0]!.closes]).toEqual([1, 1]);
    });

    it("stays open while the promise the body returned is pending, and is closed once it settles", async () => {
      const made = useFactory();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const call = fn.returnsPending(gate);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(made[0]!.closes).toBe(0);
      release();
      const seen = await call;
      expect(seen.closesAtSettle).toBe(0);
      expect(made[0]!.closes).toBe(1);
    });

    it("a returned promise's rejection is not caught by the body's own try/catch, and the client is closed once", async () => {
      const made = useFactory();
      await expect(fn.returnsRejectionInsideTry("escaped")).rejects.toThrow("escaped");
      expect(made[0]!.closes).toBe(1);
      const passed = new FakeClient("passed");
      await expect(fn.returnsRejectionInsideTry("escaped too", passed)).rejects.toThrow("escaped too");
      expect(passed.closes).toBe(0);
    });

    it("is closed (once) and the open error reported when open() fails; the body does not run", async () => {
      const openError = new Error("cannot open");
      const made = useFactory((client) => (client.failOpen = openError));
      await expect(fn.seen()).rejects.toBe(openError);
      expect([made[0]!.opens, made[0]!.closes]).toEqual([1, 1]);
    });

    it("reports a close error after success, and the body's error (not the close error) after failure", async () => {
      const closeError = new Error("cannot close");
      const made = useFactory((client) => (client.failClose = closeError));
      await expect(fn.seen()).rejects.toBe(closeError);
      await expect(fn.throws("body first")).rejects.toThrow("body first");
      expect(made.map((client) => client.closes)).toEqual([1, 1]);
    });
  });

  it("publishes the same client events (passed / context / created, opened, closed)", async () => {
    useFactory();
    const events: string[] = [];
    const record = (event: unknown) => events.push((event as ClientEvent).type);
    clientEvents.subscribe(record);
    try {
      await fn.seen(new FakeClient("passed"));
      await ClientContext.run({ client: new FakeClient("context") }, () => fn.seen());
      await fn.seen();
    } finally {
      clientEvents.unsubscribe(record);
    }
    expect(events).toEqual(["passed", "context", "created", "opened", "closed"]);
  });

  describe("concurrent calls", () => {
    it("each get their own factory client, each closed once", async () => {
      const made = useFactory();
      const [one, two] = await Promise.all([fn.seenTwice(), fn.seenTwice()]);
      expect(one[0].client).toBe(one[1].client);
      expect(two[0].client).toBe(two[1].client);
      expect(one[0].client).not.toBe(two[0].client);
      expect(made.map((client) => [client.opens, client.closes])).toEqual([
        [1, 1],
        [1, 1],
      ]);
    });

    it("each see their own context's client", async () => {
      useFactory();
      const [a, b] = [new FakeClient("a"), new FakeClient("b")];
      const [one, two] = await Promise.all([
        ClientContext.run({ client: a }, () => fn.seenTwice()),
        ClientContext.run({ client: b }, () => fn.seenTwice()),
      ]);
      expect([one[0].client, one[1].client]).toEqual([a, a]);
      expect([two[0].client, two[1].client]).toEqual([b, b]);
      expect([a.closes, b.closes]).toEqual([0, 0]);
    });
  });
});

describe.each([
  ["tspc", () => tspcCompiled],
  ["vite plugin", () => viteTransformed],
] as const)("tagged functions compiled by the %s keep their shape", (_label, load) => {
  it("keeps fn.name and fn.length (no wrapper)", () => {
    const module = load();
    const shape = (f: (...args: never[]) => unknown) => [f.name, f.length];
    expect(shape(module.seen)).toEqual(["seen", 0]);
    expect(shape(module.throws)).toEqual(["throws", 1]);
    expect(shape(module.rejectsLater)).toEqual(["rejectsLater", 1]);
    expect(shape(module.returnsPending)).toEqual(["returnsPending", 1]);
    expect(shape(module.seenTwice)).toEqual(["seenTwice", 1]);
    expect(shape(module.taggedMethods.seen)).toEqual(["seen", 0]);
    expect(shape(module.taggedMethods.seenTwice)).toEqual(["seenTwice", 0]);
  });

  it("was really rewritten: injected() no longer runs", async () => {
    const made = useFactory();
    await load().seen();
    expect(made).toHaveLength(1);
  });
});

// Keeps the type import used even when only values are referenced above.
export type { ManagedClient };
