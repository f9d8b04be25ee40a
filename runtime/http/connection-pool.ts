// A client's connections: one undici Agent (a Pool per origin under it) with the client's timeouts,
// limits, TLS and HTTP/2 options, behind HTTP(S)_PROXY when the environment names one (proxy.ts), and
// a close that is graceful for a moment and then forceful, whatever the server does.
// The package by its file, not its bare name: Bun answers `import "undici"` with a built-in module of its own that
// has no `Agent.prototype.request`, which the transport sends every request with; the file is the real undici on
// Node and Bun alike (undici has no "exports" map, so the path is part of its public surface).
import { Agent, buildConnector, EnvHttpProxyAgent, Pool, type Dispatcher } from "undici/index.js";
import { ClientClosedError } from "../errors.js";
import { retryingConnector, type ConnectRetryNotice } from "./connect-retry.js";
import type { ResolvedSettings } from "./settings.js";

/** How long requests in flight may take to finish when their client closes, before their sockets are destroyed. */
export const CLOSE_GRACE_MS = 250;

export class ConnectionPool {
  /** What requests are dispatched to: our Agent, an EnvHttpProxyAgent over it, or the caller's own dispatcher. */
  readonly agent: Dispatcher;
  /** Set when the dispatcher is the caller's: we neither close nor destroy it. */
  readonly #borrowed: boolean;
  /**
   * True when `agent` is our own Agent, which only reads a request's headers. A proxy agent (and any
   * dispatcher the caller passes) may write to them (ProxyAgent adds `host`), so it gets a copy per request.
   */
  readonly readsHeadersOnly: boolean;
  #closed = false;
  /**
   * The Agent's pools. `Agent.close()` forgets its pools at once and then waits for their requests
   * without bound, after which `Agent.destroy()` finds nothing to destroy: we destroy them ourselves.
   */
  readonly #pools = new Set<Pool>();

  constructor(settings: ResolvedSettings, onConnectRetry: (notice: ConnectRetryNotice) => void) {
    this.#borrowed = settings.dispatcher !== undefined;
    this.readsHeadersOnly = settings.dispatcher === undefined && settings.proxy === undefined;
    if (settings.dispatcher !== undefined) {
      this.agent = settings.dispatcher;
      return;
    }
    const tls = settings.tls ?? {};
    const options: Agent.Options = {
      // PREFECT_API_REQUEST_TIMEOUT bounds connecting, waiting for headers and each wait for body data,
      // like httpx's connect/read timeouts in Prefect; the Agent applies it to every attempt for free.
      connectTimeout: settings.timeoutMs,
      headersTimeout: settings.timeoutMs,
      bodyTimeout: settings.timeoutMs,
      // At most this many sockets per origin (httpx: 100); further requests wait in the pool's queue.
      connections: settings.maxConnections,
      // No `maxResponseSize`: it would bound streamed downloads too. maxResponseBytes bounds buffered
      // bodies where they are read (read-body.ts), which also covers a dispatcher the caller passes in.
      allowH2: settings.http2,
      // A connector of our own, to retry failed connects (connect-retry.ts); it must carry what undici
      // would otherwise build from the options above (timeout, ALPN for HTTP/2, TLS).
      connect: retryingConnector(
        buildConnector({ timeout: settings.timeoutMs, allowH2: settings.http2, ...tls }),
        settings.connectRetries,
        settings.retryBaseDelayMs,
        () => this.#closed,
        onConnectRetry,
      ),
      factory: (origin, options) => {
        // The Agent closes a pool once all its sockets are gone and makes a new one on the next request.
        for (const pool of this.#pools) if (pool.destroyed) this.#pools.delete(pool);
        const pool = new Pool(origin, options);
        this.#pools.add(pool);
        return pool;
      },
    };
    const proxy = settings.proxy;
    this.agent =
      proxy === undefined
        ? new Agent(options)
        : new EnvHttpProxyAgent({
            ...options,
            ...proxy,
            // http:// targets are forwarded with absolute URIs (as httpx and curl do), https:// ones tunnelled with CONNECT.
            proxyTunnel: false,
            requestTls: tls,
          } as EnvHttpProxyAgent.Options);
  }

  /**
   * Closes idle sockets at once; requests in flight get CLOSE_GRACE_MS to finish, then their sockets are
   * destroyed and they fail with ClientClosedError (a silent or drip-feeding server cannot hold us).
   */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#borrowed) return;
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
