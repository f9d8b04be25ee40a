import type { ManagedClient } from "inject-client/runtime";

/** A fake-but-honest client: counts open/close calls and records when they happened. */
export class FakeClient implements ManagedClient {
  static made: FakeClient[] = [];
  opens = 0;
  closes = 0;
  /** Fail `open()` or `[Symbol.asyncDispose]()` with this error. */
  failOpen: Error | undefined;
  failClose: Error | undefined;

  constructor(readonly label: string) {}

  get closed(): boolean {
    return this.closes > 0;
  }

  async open(): Promise<void> {
    this.opens++;
    if (this.failOpen) throw this.failOpen;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.closes++;
    if (this.failClose) throw this.failClose;
  }
}

/** A factory that makes numbered FakeClients, for `setClientFactory`. */
export function fakeFactory(configure?: (client: FakeClient) => void): { made: FakeClient[]; factory: () => FakeClient } {
  const made: FakeClient[] = [];
  return {
    made,
    factory: () => {
      const client = new FakeClient(`factory-${made.length + 1}`);
      configure?.(client);
      made.push(client);
      return client;
    },
  };
}
