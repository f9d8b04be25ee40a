import { AsyncLocalStorage } from "node:async_hooks";
import type { ClientFactory, ManagedClient } from "./client.js";

/** One `run` of a context: its value, and the run it is nested in (so outer clients stay visible). */
export interface ContextFrame<V = { client: ManagedClient }> {
  readonly value: V;
  readonly parent: ContextFrame<V> | undefined;
}

/** One `withClientFactory` call: the class it overrides (`undefined`: unkeyed resolution) and the factory. */
export interface FactoryFrame {
  readonly identity: ClassIdentity | undefined;
  readonly factory: ClientFactory;
  readonly parent: FactoryFrame | undefined;
}

/** How a client class is told apart: its `defineClientClass` id, or the class object itself. */
export type ClassIdentity = string | object;

/**
 * What every copy of the runtime loaded in one process shares: an ES-module and a CommonJS copy of one
 * version (tsx loads both for a folder without `"type": "module"`), or two installed versions with the
 * same layout. Without it a factory set through one copy, or a context opened through it, would be
 * invisible to tagged code that reaches the other.
 */
export interface SharedState {
  /** ClientContext, FlowRunContext, TaskRunContext (and any `RunContext` made with `shared: true`), by name. */
  readonly contexts: Map<string, AsyncLocalStorage<ContextFrame<never>>>;
  /** `setClientFactory(Class, factory)`, by class identity. */
  readonly classFactories: Map<ClassIdentity, ClientFactory>;
  /** `setClientFactory(factory)`: unkeyed resolution only. `isDefault`: set by `setDefaultClientFactory`. */
  readonly fallback: { factory: ClientFactory | undefined; isDefault: boolean };
  /** `withClientFactory(...)` frames, innermost first. */
  readonly scopedFactories: AsyncLocalStorage<FactoryFrame>;
}

// The number is the layout's version: change it with any change to SharedState or the frames above.
const STATE_KEY = Symbol.for("inject-client.runtime-state/1");

function sharedState(): SharedState {
  const holder = globalThis as { [STATE_KEY]?: SharedState };
  const existing = holder[STATE_KEY];
  if (existing) return existing;
  const created: SharedState = {
    contexts: new Map(),
    classFactories: new Map(),
    fallback: { factory: undefined, isDefault: false },
    scopedFactories: new AsyncLocalStorage(),
  };
  Object.defineProperty(globalThis, STATE_KEY, { value: created });
  return created;
}

export const shared: SharedState = sharedState();

/** The storage of the shared context called `name`, created by whichever copy asks first. */
export function sharedContextStorage<V>(name: string): AsyncLocalStorage<ContextFrame<V>> {
  let storage = shared.contexts.get(name);
  if (!storage) {
    storage = new AsyncLocalStorage();
    shared.contexts.set(name, storage);
  }
  return storage as AsyncLocalStorage<ContextFrame<V>>;
}
