// A client that does nothing, so that the benchmark sees the injection overhead and not I/O.
import type { ManagedClient } from "inject-client/runtime";

export class NoopClient implements ManagedClient {
  closed = false;
  opens = 0;
  closes = 0;
  readonly base = 1;

  async open(): Promise<void> {
    this.opens++;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.closes++;
    this.closed = true;
  }
}
