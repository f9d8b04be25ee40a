// A byte-for-byte copy of hand-written.ts under another name: paired against the original it measures
// the noise floor of this machine, the ratio that "no difference at all" gets here.
import { closeClient, getOrCreateClient, openClient } from "inject-client/runtime";
import { NoopClient } from "./noop-client.js";

export async function handWrittenCopy(x: number, client?: NoopClient | null): Promise<number> {
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
