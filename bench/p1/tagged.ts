// The function as a user writes it with the tag; compiled by the real tspc with inject-client/transformer.
import { injected } from "inject-client/runtime";
import { NoopClient } from "./noop-client.js";

/** @injectClient */
export async function tagged(x: number, client: NoopClient = injected(NoopClient)): Promise<number> {
  return client.base + x;
}
