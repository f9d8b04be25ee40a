import { AsyncLocalStorage } from "node:async_hooks";
import type { ManagedClient } from "./client.js";
import { sharedContextStorage, type ContextFrame } from "./shared-state.js";

export interface ContextValue<C extends ManagedClient = ManagedClient> {
  client: C;
}

export interface FlowRunContextValue<C extends ManagedClient = ManagedClient> extends ContextValue<C> {
  flowRunId?: string;
  [key: string]: unknown;
}

export interface TaskRunContextValue<C extends ManagedClient = ManagedClient> extends ContextValue<C> {
  taskRunId?: string;
  [key: string]: unknown;
}

export interface RunContextOptions {
  /**
   * Keep this context's values where every copy of inject-client's runtime in the process sees them,
   * under `name` (as ClientContext, FlowRunContext and TaskRunContext do).
   */
  shared?: boolean;
}

/**
 * A value scoped to an async call tree, like Prefect's context objects. A nested `run` does not hide
 * the outer ones from client resolution: each run remembers the run it is nested in.
 */
export class RunContext<V extends ContextValue> {
  readonly #storage: AsyncLocalStorage<ContextFrame<V>>;

  constructor(
    readonly name: string,
    options: RunContextOptions = {},
  ) {
    this.#storage = options.shared ? sharedContextStorage<V>(name) : new AsyncLocalStorage();
  }

  /** Runs `fn` with `value` as this context's value for every async operation `fn` starts. */
  run<R>(value: V, fn: () => R): R {
    return this.#storage.run({ value, parent: this.#storage.getStore() }, fn);
  }

  /** The value of the innermost `run` around the caller, if any. */
  get(): V | undefined {
    return this.#storage.getStore()?.value;
  }
}

/** Prefect's `AsyncClientContext`: a client the caller opened and shares with everything inside. */
export const ClientContext = new RunContext<ContextValue>("ClientContext", { shared: true });
export const FlowRunContext = new RunContext<FlowRunContextValue>("FlowRunContext", { shared: true });
export const TaskRunContext = new RunContext<TaskRunContextValue>("TaskRunContext", { shared: true });

/** The contexts resolution looks in, in this order. */
export const RESOLUTION_CONTEXTS = ["ClientContext", "FlowRunContext", "TaskRunContext"] as const;
