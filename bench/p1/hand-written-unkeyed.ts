// hand-written.ts with the resolution as it was before keys: `getOrCreateClient(client)`, any open context
// client, the unkeyed factory. Paired against hand-written.ts it measures what the key costs.
import { closeClient, getOrCreateClient, openClient } from "inject-client/runtime";
import type { NoopClient } from "./noop-client.js";

export async function handWrittenUnkeyed(x: number, client?: NoopClient | null): Promise<number> {
  const [resolved, inferred] = getOrCreateClient(client);
  if (inferred) return resolved.base + x;
  await openClient(resolved);
  try {
    // oxlint-disable-next-line typescript/await-thenable, unicorn/no-unnecessary-await -- the rewrite awaits whatever the body returns
    return await (resolved.base + x);
  } finally {
    await closeClient(resolved);
  }
}
