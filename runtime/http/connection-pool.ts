// A client's connections: one undici Agent (a Pool per origin under it) with the client's timeouts and
// limits, and a close that is graceful for a moment and then forceful, whatever the server does.
import { Agent, Pool } from "undici";
import { ClientClosedError } from "../errors.js";
import type { ResolvedSettings } from "./settings.js";

/** How long requests in flight may take to finish when their client closes, before their sockets are destroyed. */
export const CLOSE_GRACE_MS = 250;

export class ConnectionPool {
  readonly agent: Agent;
  /**
   * The Agent's pools. `Agent.close()` forgets its pools at once and then waits for their requests
   * without bound, after which `Agent.destroy()` finds nothing to destroy: we destroy them ourselves.
   */
  readonly #pools = new Set<Pool>();

  constructor(settings: ResolvedSettings) {
    this.agent = new Agent({
      // PREFECT_API_REQUEST_TIMEOUT bounds connecting, waiting for headers and each wait for body data,
      // like httpx's connect/read timeouts in Prefect; the Agent applies it to every attempt for free.
      connectTimeout: settings.timeoutMs,
      headersTimeout: settings.timeoutMs,
      bodyTimeout: settings.timeoutMs,
      // At most this many sockets per origin (httpx: 100); further requests wait in the pool's queue.
      connections: settings.maxConnections,
      // The parser counts body bytes and destroys the socket past the limit, whoever reads the body.
      maxResponseSize: settings.maxResponseBytes,
      factory: (origin, options) => {
        // The Agent closes a pool once all its sockets are gone and makes a new one on the next request.
        for (const pool of this.#pools) if (pool.destroyed) this.#pools.delete(pool);
        const pool = new Pool(origin, options);
        this.#pools.add(pool);
        return pool;
      },
    });
  }

  /**
   * Closes idle sockets at once; requests in flight get CLOSE_GRACE_MS to finish, then their sockets are
   * destroyed and they fail with ClientClosedError (a silent or drip-feeding server cannot hold us).
   */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<false>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS, false);
    });
    const closed = this.agent.close().then(
      () => true as const,
      () => true as const,
    );
    const closedInTime = await Promise.race([closed, graceOver]);
    clearTimeout(timer);
    if (closedInTime) return;
    const reason = new ClientClosedError();
    await Promise.all([...this.#pools].map((pool) => pool.destroy(reason).catch(() => undefined)));
    await this.agent.destroy(reason).catch(() => undefined);
  }
}
