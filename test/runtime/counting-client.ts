import type { ManagedClient } from "inject-client/runtime";

/** A client that records its lifecycle, so tests can count opens and closes. */
export class CountingClient implements ManagedClient {
  static created = 0;
  opens = 0;
  closes = 0;
  #closed = false;

  constructor(readonly label = `client-${++CountingClient.created}`) {}

  get closed(): boolean {
    return this.#closed;
  }

  async open(): Promise<void> {
    this.opens++;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.closes++;
    this.#closed = true;
  }
}

/** Installs a factory that records every client it makes; returns the list and a restore function. */
export function recordingFactory(setClientFactory: (f: (() => ManagedClient) | undefined) => (() => ManagedClient) | undefined): {
  made: CountingClient[];
  restore: () => void;
} {
  const made: CountingClient[] = [];
  const previous = setClientFactory(() => {
    const client = new CountingClient();
    made.push(client);
    return client;
  });
  return { made, restore: () => void setClientFactory(previous) };
}
