// Resolution keyed by the client class: `getOrCreateClient(client, Key)`, factories per class,
// `withClientFactory`, the cross-copy identity of classes marked with `defineClientClass`, and
// `injectClient(fn, { key })`.
import { afterEach, describe, expect, it } from "vitest";
import {
  ClientContext,
  FlowRunContext,
  MissingClientFactoryError,
  TaskRunContext,
  defineClientClass,
  getClientFactory,
  getContextClient,
  getOrCreateClient,
  injectClient,
  injected,
  setClientFactory,
  withClientFactory,
  type ClientFactory,
} from "inject-client/runtime";
import { CountingClient } from "./counting-client.js";

class PrefectLike extends CountingClient {
  readonly kind = "prefect";
}
class PetLike extends CountingClient {
  readonly kind = "pets";
}
/** A class with a default factory, as generated clients have. */
class WithDefault extends CountingClient {
  static made: WithDefault[] = [];
}
defineClientClass(WithDefault, {
  name: "WithDefault",
  defaultFactory: () => {
    const client = new WithDefault("default");
    WithDefault.made.push(client);
    return client;
  },
});

const restore: Array<() => void> = [];
afterEach(() => {
  for (const undo of restore.splice(0).reverse()) undo();
  WithDefault.made = [];
});
function useFactory<C extends CountingClient>(key: abstract new (...args: never[]) => C, make: () => C): C[] {
  const made: C[] = [];
  const previous = setClientFactory(key, () => {
    const client = make();
    made.push(client);
    return client;
  });
  restore.push(() => setClientFactory(key, previous));
  return made;
}
function useFallback(): CountingClient[] {
  const made: CountingClient[] = [];
  const previous = setClientFactory(() => {
    const client = new CountingClient("fallback");
    made.push(client);
    return client;
  });
  restore.push(() => setClientFactory(previous));
  return made;
}

describe("context clients with a key", () => {
  it("skips a context client of another class and creates one of the wanted class", () => {
    const pets = useFactory(PetLike, () => new PetLike("made"));
    const prefect = new PrefectLike("in context");
    const [client, inferred] = ClientContext.run({ client: prefect }, () => getOrCreateClient(undefined, PetLike));
    expect(client).toBe(pets[0]);
    expect(client).toBeInstanceOf(PetLike);
    expect(inferred).toBe(false);
    // Unkeyed resolution still takes any open context client.
    expect(ClientContext.run({ client: prefect }, () => getOrCreateClient()[0])).toBe(prefect);
  });

  it("sees every nested run: each class gets the innermost open client of its own", () => {
    const outerPrefect = new PrefectLike("outer prefect");
    const pet = new PetLike("pet");
    const innerPrefect = new PrefectLike("inner prefect");
    const seen = ClientContext.run({ client: outerPrefect }, () =>
      ClientContext.run({ client: pet }, () => ({
        prefect: getOrCreateClient(undefined, PrefectLike)[0],
        pet: getOrCreateClient(undefined, PetLike)[0],
        innermost: ClientContext.get()?.client,
        nested: ClientContext.run({ client: innerPrefect }, () => getOrCreateClient(undefined, PrefectLike)[0]),
      })),
    );
    expect(seen).toEqual({ prefect: outerPrefect, pet, innermost: pet, nested: innerPrefect });
  });

  it("skips a closed client of the wanted class for an open one further out, then the next context", async () => {
    const outer = new PetLike("outer");
    const inner = new PetLike("inner");
    const inTask = new PetLike("task");
    await inner[Symbol.asyncDispose]();
    const run = () =>
      TaskRunContext.run({ client: inTask }, () =>
        FlowRunContext.run({ client: outer }, () => FlowRunContext.run({ client: inner }, () => getContextClient(PetLike))),
      );
    expect(run()).toBe(outer);
    await outer[Symbol.asyncDispose]();
    expect(run()).toBe(inTask);
  });

  it("keeps the order of contexts: ClientContext, then FlowRunContext, then TaskRunContext", () => {
    const fromTask = new PetLike("task");
    const fromFlow = new PetLike("flow");
    const fromClient = new PetLike("client");
    const all = TaskRunContext.run({ client: fromTask }, () =>
      ClientContext.run({ client: fromClient }, () => FlowRunContext.run({ client: fromFlow }, () => getContextClient(PetLike))),
    );
    expect(all).toBe(fromClient);
    const withoutPet = ClientContext.run({ client: new PrefectLike() }, () =>
      FlowRunContext.run({ client: fromFlow }, () => getContextClient(PetLike)),
    );
    expect(withoutPet).toBe(fromFlow);
  });

  it("counts instances of a subclass of the key", () => {
    class SpecialPet extends PetLike {}
    const special = new SpecialPet();
    expect(ClientContext.run({ client: special }, () => getContextClient(PetLike))).toBe(special);
  });
});

describe("factories per class", () => {
  it("creates with the class's own default factory, which the unkeyed fallback does not replace", () => {
    const fallback = useFallback();
    const [client, inferred] = getOrCreateClient(undefined, WithDefault);
    expect(client).toBe(WithDefault.made[0]);
    expect(inferred).toBe(false);
    expect(fallback).toEqual([]);
    expect(getClientFactory(WithDefault)).toBeTypeOf("function");
  });

  it("setClientFactory(Key, factory) overrides one class, returns the previous override, and removing it restores the default", () => {
    const first: ClientFactory<WithDefault> = () => new WithDefault("first");
    const second: ClientFactory<WithDefault> = () => new WithDefault("second");
    expect(setClientFactory(WithDefault, first)).toBeUndefined();
    try {
      expect(getOrCreateClient(undefined, WithDefault)[0].label).toBe("first");
      expect(setClientFactory(WithDefault, second)).toBe(first);
      expect(getOrCreateClient(undefined, WithDefault)[0].label).toBe("second");
      // Another class and unkeyed resolution are not affected.
      expect(() => getOrCreateClient(undefined, PetLike)).toThrow(MissingClientFactoryError);
    } finally {
      expect(setClientFactory(WithDefault, undefined)).toBe(second);
    }
    expect(getOrCreateClient(undefined, WithDefault)[0].label).toBe("default");
  });

  it("a class without a factory is a MissingClientFactoryError naming the class, even when an unkeyed fallback is set", () => {
    useFallback();
    const attempt = () => getOrCreateClient(undefined, PetLike);
    expect(attempt).toThrow(MissingClientFactoryError);
    expect(attempt).toThrow(/no PetLike was passed.*PetLike has no client factory.*setClientFactory\(PetLike, \(\) => new PetLike/);
    try {
      attempt();
    } catch (error) {
      expect((error as MissingClientFactoryError).clientClass).toBe("PetLike");
    }
  });

  it("a subclass does not inherit its parent's default factory (it would make a parent)", () => {
    class Sub extends WithDefault {}
    expect(() => getOrCreateClient(undefined, Sub)).toThrow(/no Sub was passed/);
  });

  it("refuses a key that is not a class, with a clear error", () => {
    expect(() => setClientFactory({} as never, () => new PetLike())).toThrow(/setClientFactory: the key must be a client class.*got object/);
    expect(() => injectClient(async (_o: { client: PetLike }) => 1, { key: "PetLike" as never })).toThrow(/the key must be a client class/);
  });
});

describe("withClientFactory", () => {
  it("overrides the class's factory for the call tree only, through awaits and timers", async () => {
    const fake = new WithDefault("fake");
    const inside = await withClientFactory(
      WithDefault,
      () => fake,
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return getOrCreateClient(undefined, WithDefault)[0];
      },
    );
    expect(inside).toBe(fake);
    expect(getOrCreateClient(undefined, WithDefault)[0].label).toBe("default");
  });

  it("wins over setClientFactory, the innermost wins, and concurrent call trees keep their own", async () => {
    useFactory(WithDefault, () => new WithDefault("global"));
    const labelIn = (label: string, wait: number) =>
      withClientFactory(
        WithDefault,
        () => new WithDefault(label),
        async () => {
          await new Promise((resolve) => setTimeout(resolve, wait));
          return getOrCreateClient(undefined, WithDefault)[0].label;
        },
      );
    expect(await Promise.all([labelIn("a", 5), labelIn("b", 1), labelIn("c", 3)])).toEqual(["a", "b", "c"]);
    const nested = withClientFactory(
      WithDefault,
      () => new WithDefault("outer"),
      () =>
        withClientFactory(
          WithDefault,
          () => new WithDefault("inner"),
          () => getOrCreateClient(undefined, WithDefault)[0].label,
        ),
    );
    expect(nested).toBe("inner");
    expect(getOrCreateClient(undefined, WithDefault)[0].label).toBe("global");
  });

  it("overrides one class only; without a key it scopes the unkeyed fallback", () => {
    const seen = withClientFactory(
      PetLike,
      () => new PetLike("scoped pet"),
      () => ({
        pet: getOrCreateClient(undefined, PetLike)[0].label,
        other: getOrCreateClient(undefined, WithDefault)[0].label,
      }),
    );
    expect([seen.pet, seen.other]).toEqual(["scoped pet", "default"]);
    const fallback = withClientFactory(
      () => new CountingClient("scoped fallback"),
      () => (getOrCreateClient()[0] as CountingClient).label,
    );
    expect(fallback).toBe("scoped fallback");
  });

  it("does not replace a context client: a factory is for when none is passed or open", () => {
    const shared = new WithDefault("shared");
    const client = withClientFactory(
      WithDefault,
      () => new WithDefault("fake"),
      () => ClientContext.run({ client: shared }, () => getOrCreateClient(undefined, WithDefault)[0]),
    );
    expect(client).toBe(shared);
  });
});

describe("classes marked with defineClientClass", () => {
  /** Two evaluations of one generated module: distinct class objects, same name and operations table. */
  function loadCopy() {
    class Generated extends CountingClient {}
    defineClientClass(Generated, { name: "Generated", operations: { readFlow: ["get", "/flows/{id}", ["id"], false] } });
    return Generated;
  }

  it("recognise instances made by another copy of the class's module", () => {
    const CopyA = loadCopy();
    const CopyB = loadCopy();
    expect(CopyA).not.toBe(CopyB);
    const fromB = new CopyB("from copy b");
    expect(ClientContext.run({ client: fromB }, () => getContextClient(CopyA))).toBe(fromB);
  });

  it("share factories set through either copy", () => {
    const CopyA = loadCopy();
    const CopyB = loadCopy();
    const previous = setClientFactory(CopyA, () => new CopyA("set through a"));
    try {
      expect(getOrCreateClient(undefined, CopyB)[0].label).toBe("set through a");
      expect(
        withClientFactory(
          CopyB,
          () => new CopyB("scoped through b"),
          () => getOrCreateClient(undefined, CopyA)[0].label,
        ),
      ).toBe("scoped through b");
    } finally {
      setClientFactory(CopyA, previous);
    }
  });

  it("keep apart classes of the same name from different specs, and classes that were never marked", () => {
    const Ours = loadCopy();
    class Generated extends CountingClient {}
    defineClientClass(Generated, { name: "Generated", operations: { readPet: ["get", "/pets/{id}", ["id"], false] } });
    class Unmarked extends CountingClient {}
    const theirs = new Generated();
    expect(ClientContext.run({ client: theirs }, () => getContextClient(Ours))).toBeUndefined();
    expect(ClientContext.run({ client: new Unmarked() }, () => getContextClient(Ours))).toBeUndefined();
    expect(ClientContext.run({ client: new Ours() }, () => getContextClient(Unmarked))).toBeUndefined();
  });
});

describe("injectClient(fn, { key })", () => {
  const describeClient = async (options: { client: PetLike }) => options.client;

  it("takes only a context client of the key's class and creates one from the key's factory", async () => {
    const made = useFactory(PetLike, () => new PetLike("made"));
    const wrapped = injectClient(describeClient, { key: PetLike });
    const prefect = new PrefectLike();
    const pet = new PetLike("pet");
    expect(await ClientContext.run({ client: prefect }, () => wrapped())).toBe(made[0]);
    expect(made[0]!.closes).toBe(1);
    expect(await ClientContext.run({ client: prefect }, () => ClientContext.run({ client: pet }, () => wrapped()))).toBe(pet);
    expect(pet.closes).toBe(0);
  });

  it("without a key behaves as before: any open context client", async () => {
    const prefect = new PrefectLike();
    const wrapped = injectClient(async (options: { client: CountingClient }) => options.client);
    expect(await ClientContext.run({ client: prefect }, () => wrapped())).toBe(prefect);
  });
});

describe("types", () => {
  it("injected(Key) must agree with the annotation (checked by `tsc --noEmit`, which covers this file)", async () => {
    async function agrees(client: PetLike = injected(PetLike)) {
      return client;
    }
    // @ts-expect-error: a PrefectLike is not a PetLike, so the key cannot stand for this client.
    async function disagrees(client: PetLike = injected(PrefectLike)) {
      return client;
    }
    await expect(agrees()).rejects.toThrow(/compiled without the inject-client transformer/);
    await expect(disagrees()).rejects.toThrow(/compiled without the inject-client transformer/);
  });
});
