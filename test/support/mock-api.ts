// A local stand-in for an OpenAPI service (by default the Prefect API): a node:http server on 127.0.0.1
// that validates every request against the spec with openapi-backend, records it, and answers with a
// handler's response or a schema-valid mock.
//
//   const api = await startMockApi({ spec: PREFECT_SPEC_PATH, prefix: "/api", handlers: { read_flow_flows__id__get: () => ({ status: 404, body: { detail: "Flow not found" } }) } });
//   ... api.url ... api.requests ... api.invalidRequests() ... api.connections() ...
//   await api.close();
//
// As a script: tsx test/support/mock-api.ts [--spec <file>] [--port N] [--prefix /api]  (prints its URL)
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { fileURLToPath } from "node:url";
import addFormats from "ajv-formats";
import { OpenAPIBackend } from "openapi-backend";

/** Prefect's spec, outside the repo (never copied into it). */
export const PREFECT_SPEC_PATH = fileURLToPath(new URL("../../../shared/openapi/prefect-v3.json", import.meta.url));

export interface MockRequest {
  method: string;
  /** The path without the mock's prefix, e.g. `/flows/0b5c...`. */
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-case names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the body is JSON, the text otherwise, `undefined` when empty. */
  body: unknown;
  rawBody: string;
  /** The matched operation, `undefined` when no operation matches. */
  operationId: string | undefined;
  /** Path parameters of the matched operation. */
  params: Record<string, string>;
  valid: boolean;
  /** openapi-backend's (ajv's) validation errors, or a routing error. */
  errors: unknown[];
}

export interface MockResponse {
  status: number;
  /** Objects and arrays are sent as JSON; strings as they are (text/plain unless `headers` says otherwise). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
  /** Destroy the connection instead of answering (connection resets). */
  reset?: boolean;
}

/** Returns the answer, or `undefined` to answer with the schema mock (e.g. to special-case some inputs only). */
export type MockHandler = (request: MockRequest) => MockResponse | undefined | Promise<MockResponse | undefined>;

export interface MockApiOptions {
  /** A path to a JSON spec or the parsed spec. */
  spec: string | object;
  /**
   * By operationId; operations without a handler get openapi-backend's schema-valid mock, except
   * Prefect's GET /csrf-token, which gets `prefectHandlers()`'s unexpired tokens (the schema mock
   * expires in 1970).
   */
  handlers?: Record<string, MockHandler>;
  /** Served under this path prefix, e.g. "/api" like PREFECT_API_URL. */
  prefix?: string;
  port?: number;
  /** Answer requests that fail validation with 400 (default) or pass them to the handler anyway. */
  rejectInvalid?: boolean;
}

export interface MockApi {
  /** Base URL including the prefix, without a trailing slash. */
  url: string;
  requests: MockRequest[];
  /** Recorded requests that failed validation: tests assert there are none. */
  invalidRequests(): MockRequest[];
  /** Sets or replaces a handler while running. */
  handle(operationId: string, handler: MockHandler | undefined): void;
  /** Open client connections (sockets) right now. */
  connections(): number;
  /** Connections accepted since start. */
  connectionsAccepted(): number;
  close(): Promise<void>;
}

type Backend = OpenAPIBackend;

function loadSpec(spec: string | object): object {
  return typeof spec === "string" ? (JSON.parse(readFileSync(spec, "utf8")) as object) : structuredClone(spec);
}

async function createBackend(definition: object): Promise<Backend> {
  const backend = new OpenAPIBackend({
    definition: definition as never,
    quick: true, // compile validators lazily: a 400-schema spec starts in milliseconds
    validate: true,
    // Paths are matched exactly: the client must send "/flows/" where the spec says "/flows/".
    ignoreTrailingSlashes: false,
    customizeAjv: (ajv) => {
      addFormats.default(ajv);
      // Formats FastAPI emits that JSON Schema does not define: accept any string.
      for (const format of ["path", "time-delta", "binary"]) ajv.addFormat(format, true);
      return ajv;
    },
  });
  await backend.init();
  return backend;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseQuery(search: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of search) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

function send(res: http.ServerResponse, answer: MockResponse): void {
  const headers: Record<string, string> = { ...answer.headers };
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
  let payload: string | undefined;
  if (answer.body !== undefined && answer.status !== 204) {
    if (typeof answer.body === "string") {
      payload = answer.body;
      if (!hasType) headers["content-type"] = "text/plain; charset=utf-8";
    } else {
      payload = JSON.stringify(answer.body);
      if (!hasType) headers["content-type"] = "application/json";
    }
  }
  if (payload !== undefined) headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(answer.status, headers);
  res.end(payload);
}

/**
 * Backends by spec (path or object): validators are compiled lazily per operation and are the slow
 * part, so mocks started from the same spec share one backend. It holds no per-mock state.
 */
const backends = new Map<string | object, Promise<Backend>>();

function backendFor(spec: string | object): Promise<Backend> {
  let backend = backends.get(spec);
  if (backend === undefined) {
    backend = createBackend(loadSpec(spec));
    backends.set(spec, backend);
    backend.catch(() => backends.delete(spec));
  }
  return backend;
}

export async function startMockApi(options: MockApiOptions): Promise<MockApi> {
  const backend = await backendFor(options.spec);
  const handlers = new Map(Object.entries({ ...prefectHandlers(), ...options.handlers }));
  const prefix = (options.prefix ?? "").replace(/\/+$/, "");
  const rejectInvalid = options.rejectInvalid ?? true;
  const requests: MockRequest[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;

  async function answer(req: http.IncomingMessage): Promise<MockResponse> {
    const url = new URL(req.url ?? "/", "http://mock");
    const rawBody = await readBody(req);
    let body: unknown = rawBody === "" ? undefined : rawBody;
    if (rawBody !== "" && String(req.headers["content-type"] ?? "").includes("json")) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        // left as text: validation reports it
      }
    }
    const method = (req.method ?? "GET").toLowerCase();
    const underPrefix = prefix === "" || url.pathname === prefix || url.pathname.startsWith(`${prefix}/`);
    const path = underPrefix ? url.pathname.slice(prefix.length) || "/" : url.pathname;
    const query = parseQuery(url.searchParams);
    const backendRequest = { method, path, query, headers: req.headers as Record<string, string | string[]>, body };
    const operation = underPrefix ? backend.matchOperation(backendRequest) : undefined;

    const recorded: MockRequest = {
      method: method.toUpperCase(),
      path,
      query,
      headers: req.headers,
      body,
      rawBody,
      operationId: operation?.operationId,
      params: {},
      valid: false,
      errors: [],
    };
    requests.push(recorded);

    if (!operation) {
      recorded.errors = [`no operation in the spec matches ${recorded.method} ${url.pathname}${prefix ? ` (prefix ${prefix})` : ""}`];
      return { status: 404, body: { detail: "Not Found" } };
    }
    const validation = backend.validateRequest(backendRequest, operation);
    recorded.valid = validation.valid;
    recorded.errors = validation.errors ?? [];
    recorded.params = (backend.router.parseRequest(backendRequest, operation).params ?? {}) as Record<string, string>;
    if (!validation.valid && rejectInvalid) {
      return { status: 400, body: { detail: "Request does not match the OpenAPI spec", errors: validation.errors } };
    }
    const handler = handlers.get(operation.operationId ?? "");
    const handled = handler ? await handler(recorded) : undefined;
    if (handled) return handled;
    const { status, mock } = backend.mockResponseForOperation(operation.operationId!);
    return { status, body: status === 204 ? undefined : mock };
  }

  const server = http.createServer((req, res) => {
    answer(req).then(
      async (result) => {
        if (result.delayMs) await new Promise((resolve) => setTimeout(resolve, result.delayMs));
        if (result.reset) {
          req.socket.destroy();
          return;
        }
        if (!res.destroyed) send(res, result);
      },
      (error: unknown) => {
        if (!res.headersSent) send(res, { status: 500, body: { detail: `mock-api handler failed: ${String(error)}` } });
      },
    );
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    invalidRequests: () => requests.filter((request) => !request.valid),
    handle(operationId, handler) {
      if (handler) handlers.set(operationId, handler);
      else handlers.delete(operationId);
    },
    connections: () => sockets.size,
    connectionsAccepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Handlers that make the mock behave like a Prefect server where the schema mock would not:
 * CSRF tokens that are valid for `csrfTtlMs` (the schema mock's expiration is 1970).
 */
export function prefectHandlers({ csrfTtlMs = 3_600_000 } = {}): Record<string, MockHandler> {
  let counter = 0;
  return {
    create_csrf_token_csrf_token_get: (request) => {
      const now = new Date();
      return {
        status: 200,
        body: {
          id: "00000000-0000-4000-8000-000000000000",
          created: now.toISOString(),
          updated: now.toISOString(),
          token: `csrf-token-${++counter}`,
          client: String(request.query.client),
          expiration: new Date(now.getTime() + csrfTtlMs).toISOString(),
        },
      };
    },
  };
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const api = await startMockApi({
    spec: argument("--spec") ?? PREFECT_SPEC_PATH,
    port: Number(argument("--port") ?? 0),
    prefix: argument("--prefix") ?? "",
  });
  console.log(api.url);
  const stop = () => void api.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
