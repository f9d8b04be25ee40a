// Servers on 127.0.0.1 that misbehave on purpose (huge or endless bodies, silence, garbage, redirects),
// each counting its sockets so tests can assert what the client opened and that it closed them.
import http from "node:http";
import net, { type AddressInfo, type Socket } from "node:net";

export interface Recorded {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Tracked {
  /** Base URL with the `/api` prefix the clients use, no trailing slash. */
  url: string;
  origin: string;
  /** Sockets accepted since start. */
  accepted(): number;
  /** Sockets open right now. */
  open(): number;
  /** Resolves once every accepted socket is closed; rejects after `ms`. */
  allClosed(ms?: number): Promise<void>;
  close(): Promise<void>;
}

export interface HttpServer extends Tracked {
  requests: Recorded[];
}

function track(server: net.Server, prefix: string): Tracked {
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on("connection", (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined); // the client resets sockets on purpose
  });
  const origin = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get url() {
      return `${origin()}${prefix}`;
    },
    get origin() {
      return origin();
    },
    accepted: () => accepted,
    open: () => sockets.size,
    async allClosed(ms = 2000) {
      const deadline = Date.now() + ms;
      while (sockets.size > 0) {
        if (Date.now() > deadline) throw new Error(`${sockets.size} socket(s) still open after ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function listen(server: net.Server): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
}

/** A node:http server whose handler gets each request with its body already read (and recorded). */
export async function startHttpServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, recorded: Recorded) => void,
): Promise<HttpServer> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(recorded);
      handler(req, res, recorded);
    });
  });
  server.keepAliveTimeout = 30_000;
  const tracked = track(server, "/api");
  await listen(server);
  return Object.assign(tracked, { requests });
}

/**
 * A TCP server that answers each request head with raw bytes (for responses node:http cannot send,
 * such as a malformed status line). `answer` gets the request number (0-based) and the head.
 */
export async function startRawServer(answer: (index: number, head: string) => string): Promise<Tracked & { heads: string[] }> {
  const heads: string[] = [];
  const server = net.createServer((socket) => {
    let buffered = "";
    socket.on("data", (data) => {
      buffered += data.toString("latin1");
      let end: number;
      while ((end = buffered.indexOf("\r\n\r\n")) !== -1) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        heads.push(head);
        socket.write(answer(heads.length - 1, head));
      }
    });
  });
  const tracked = track(server, "/api");
  await listen(server);
  return Object.assign(tracked, { heads });
}

/** Sends a body without end: `chunk` every millisecond until the client goes away. */
export function streamForever(res: http.ServerResponse, status = 200, chunk = "x".repeat(16 * 1024)): void {
  res.writeHead(status, { "content-type": "application/json" });
  const timer = setInterval(() => {
    if (res.destroyed) clearInterval(timer);
    else res.write(chunk);
  }, 1);
  res.on("close", () => clearInterval(timer));
}

/** Sends the headers and then one byte every `everyMs`, forever: the body-idle timeout never fires. */
export function dripForever(res: http.ServerResponse, everyMs = 50): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.write("[");
  const timer = setInterval(() => {
    if (res.destroyed) clearInterval(timer);
    else res.write(" ");
  }, everyMs);
  res.on("close", () => clearInterval(timer));
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)), ...headers });
  res.end(payload);
}

/** Rejects if `promise` has not settled within `ms`: a hang fails the test quickly instead of at the test timeout. */
export async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The settled outcome of a promise, for asserting on errors without try/catch. */
export function outcome<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}
