// The Prefect-shaped server every matrix cell calls: POST /api/flow_runs/filter answers [] and counts calls by the
// flow name asked for (each cell asks for its own), /api/admin/version answers as Prefect 3 does.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface CallLog {
  count(flow: string): number;
}

export interface MatrixServer extends CallLog {
  apiUrl: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

export async function startMatrixServer(): Promise<MatrixServer> {
  const calls = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.method === "POST" && request.url === "/api/flow_runs/filter") {
      let body = "";
      request.setEncoding("utf8");
      request.on("data", (chunk: string) => {
        body += chunk;
        if (body.length > MAX_BODY) request.destroy();
      });
      request.on("end", () => {
        try {
          const names = (JSON.parse(body) as { flows?: { name?: { any_?: unknown[] } } }).flows?.name?.any_ ?? [];
          for (const name of names) calls.set(String(name), (calls.get(String(name)) ?? 0) + 1);
          send(200, []);
        } catch {
          send(422, { detail: "body is not JSON" });
        }
      });
    } else if (request.method === "GET" && request.url === "/api/admin/version") send(200, "3.4.11");
    else send(404, { detail: "Not Found" });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    count: (flow) => calls.get(flow) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
