// The same logic with the client resolution written inline by hand: what the transformer should cost.
// Same semantics: getOrCreateClient keyed by the class, as the rewrite calls it; open and close only a
// client we created; await only when we own it.
import { closeClient, getOrCreateClient, openClient } from "inject-client/runtime";
import { NoopClient } from "./noop-client.js";

export async function handWritten(x: number, client?: NoopClient | null): Promise<number> {
  const [resolved, inferred] = getOrCreateClient(client, NoopClient);
  if (inferred) return resolved.base + x;
  await openClient(resolved);
  try {
    // oxlint-disable-next-line typescript/await-thenable, unicorn/no-unnecessary-await -- the rewrite awaits whatever the body returns
    return await (resolved.base + x);
  } finally {
    await closeClient(resolved);
  }
}
