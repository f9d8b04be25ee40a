// Retries of a refused or failed connect, under the request's own retries: Prefect's get_client() builds
// httpx's transport with retries=3, which httpcore spends on connect errors only, waiting 0, 0.5 and 1 s
// (so a server still starting gets ~1.5 s). Done in the connector, so it costs nothing once connected.
// "undici/index.js", not "undici": Bun answers the bare name with its own module, which lacks Agent.request (connection-pool.ts).
import { buildConnector } from "undici/index.js";
import { CONNECT_CODES } from "./retry.js";

export interface ConnectRetryNotice {
  retry: number;
  retries: number;
  delayMs: number;
  cause: Error;
  origin: string;
}

/** httpcore's exponential_backoff(0.5): 0, then 0.5 * 2 ** n units (seconds there, `unitMs` here). */
export function connectRetryDelayMs(retry: number, unitMs: number): number {
  return retry === 1 ? 0 : 0.5 * 2 ** (retry - 2) * unitMs;
}

function retryable(error: Error): boolean {
  const code = (error as { code?: string }).code;
  return code !== undefined && (CONNECT_CODES.has(code) || code === "UND_ERR_CONNECT_TIMEOUT");
}

export function retryingConnector(
  connect: buildConnector.connector,
  retries: number,
  unitMs: number,
  isClosed: () => boolean,
  notify: (notice: ConnectRetryNotice) => void,
): buildConnector.connector {
  if (retries === 0) return connect;
  return (options, callback) => {
    let retry = 0;
    const attempt = () =>
      connect(options, (error, socket) => {
        if (error === null) return callback(null, socket!);
        if (retry >= retries || isClosed() || !retryable(error)) return callback(error, null);
        retry++;
        const delayMs = connectRetryDelayMs(retry, unitMs);
        notify({ retry, retries, delayMs, cause: error, origin: `${options.protocol}//${options.host}` });
        // Bounded (1.5 s by default) and unref'd: a closing client is not held by it.
        setTimeout(attempt, delayMs).unref();
      });
    attempt();
  };
}
