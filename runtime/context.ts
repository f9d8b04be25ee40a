import { AsyncLocalStorage } from "node:async_hooks";
import type { ManagedClient } from "./client.js";

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

/** A value scoped to an async call tree, like Prefect's context objects. */
export class RunContext<V extends ContextValue> {
  readonly #storage = new AsyncLocalStorage<V>();

  constructor(readonly name: string) {}

  /** Runs `fn` with `value` as this context's value for every async operation `fn` starts. */
  run<R>(value: V, fn: () => R): R {
    return this.#storage.run(value, fn);
  }

  /** The value of the innermost `run` around the caller, if any. */
  get(): V | undefined {
    return this.#storage.getStore();
  }
}

/** Prefect's `AsyncClientContext`: a client the caller opened and shares with everything inside. */
export const ClientContext = new RunContext<ContextValue>("ClientContext");
export const FlowRunContext = new RunContext<FlowRunContextValue>("FlowRunContext");
export const TaskRunContext = new RunContext<TaskRunContextValue>("TaskRunContext");
