// The runtime wrapper (for code not compiled with the transformer) and a Prefect-style wrapper closure.
import { closeClient, getOrCreateClient, injectClient, openClient } from "inject-client/runtime";
import { NoopClient } from "./noop-client.js";

export const wrapped = injectClient(async (x: number, options: { client: NoopClient }): Promise<number> => options.client.base + x, {
  key: NoopClient,
});

/**
 * Prefect's `inject_client`, transliterated: an async wrapper that pops `client` from the caller's
 * options, resolves it, closes it when it created it, and `return await fn(...)`.
 */
export function prefectInjectClient<A extends unknown[], R>(
  fn: (...args: [...A, { client: NoopClient }]) => Promise<R>,
): (...args: [...A, { client?: NoopClient | null }?]) => Promise<R> {
  return async function withInjectedClient(...args: unknown[]): Promise<R> {
    const options = (args.length > fn.length - 1 ? args.pop() : undefined) as { client?: NoopClient | null } | undefined;
    const { client: given, ...rest } = options ?? {};
    const [client, inferred] = getOrCreateClient(given, NoopClient);
    if (inferred) return await fn(...(args as A), { ...rest, client });
    await openClient(client);
    try {
      return await fn(...(args as A), { ...rest, client });
    } finally {
      await closeClient(client);
    }
  } as (...args: [...A, { client?: NoopClient | null }?]) => Promise<R>;
}

export const prefectStyle = prefectInjectClient(async (x: number, options: { client: NoopClient }): Promise<number> => options.client.base + x);
