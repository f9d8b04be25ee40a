// Servers for the Prefect-environment tests, all on 127.0.0.1: a recording API server (HTTP, HTTPS or
// HTTP/2 with a self-signed certificate) and a forward proxy (CONNECT tunnels and absolute-URI forwarding).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import https from "node:https";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  httpVersion: string;
}

export type Answer = { status?: number; body?: unknown; headers?: Record<string, string> };
export type Route = (request: SeenRequest) => Answer | undefined;

export interface ApiServer {
  url: string;
  port: number;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export interface Certificate {
  dir: string;
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
  remove(): void;
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl in a scratch directory. */
export function selfSignedCertificate(): Certificate {
  const dir = mkdtempSync(join(tmpdir(), "inject-client-tls-"));
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    { stdio: "ignore", timeout: 10_000 },
  );
  return {
    dir,
    certFile,
    keyFile,
    cert: readFileSync(certFile, "utf8"),
    key: readFileSync(keyFile, "utf8"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("secureConnection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  return sockets;
}

/** Default answers: Prefect 3's version, a healthy /health, JSON 200 for the rest. */
function answer(route: Route | undefined, seen: SeenRequest): Required<Pick<Answer, "status">> & Answer {
  const custom = route?.(seen);
  if (custom !== undefined) return { status: 200, ...custom };
  if (seen.url.endsWith("/admin/version")) return { status: 200, body: "3.4.11" };
  if (seen.url.includes("/csrf-token"))
    return { status: 200, body: { token: "t", client: "c", expiration: new Date(Date.now() + 3_600_000).toISOString() } };
  return { status: 200, body: { ok: true } };
}

type Kind = "http" | "https" | "http2";

/** An API server that records every request; `kind` "http2" speaks HTTP/2 over TLS and HTTP/1.1 to clients without ALPN h2. */
export async function startApi(kind: Kind = "http", route?: Route, cert?: Certificate): Promise<ApiServer> {
  const requests: SeenRequest[] = [];
  const handler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => {
    const seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers as http.IncomingHttpHeaders, httpVersion: req.httpVersion };
    requests.push(seen);
    req.resume();
    req.on("end", () => {
      const { status, body, headers } = answer(route, seen);
      const text = body === undefined ? "" : JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(text);
    });
  };
  const server: net.Server =
    kind === "http"
      ? http.createServer(handler)
      : kind === "https"
        ? https.createServer({ cert: cert!.cert, key: cert!.key }, handler)
        : (http2.createSecureServer({ cert: cert!.cert, key: cert!.key, allowHTTP1: true }, handler as never) as unknown as net.Server);
  const sockets = track(server);
  const port = await listen(server);
  const scheme = kind === "http" ? "http" : "https";
  return { url: `${scheme}://127.0.0.1:${port}/api`, port, requests, close: closer(server, sockets) };
}

export interface ForwardProxy {
  url: string;
  /** "CONNECT 127.0.0.1:1234" for tunnels, "GET http://…" for forwarded requests. */
  seen: string[];
  /** The Proxy-Authorization header of each CONNECT or forwarded request. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** A forward proxy: CONNECT tunnels (https:// targets) and absolute-URI forwarding (http:// targets). */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const seen: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    authorizations.push(req.headers["proxy-authorization"]);
    const target = new URL(req.url!);
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    delete headers["proxy-connection"];
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      res.writeHead(502).end();
    });
    req.pipe(upstream);
  });
  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    authorizations.push(req.headers["proxy-authorization"]);
    const [host, port] = req.url!.split(":");
    const upstream = net.connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.on("close", () => upstream.destroy());
  });
  const sockets = track(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, seen, authorizations, close: closer(server, sockets) };
}

/** A port nothing listens on (yet): bound, read, released. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}
