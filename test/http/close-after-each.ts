// What a test of the HTTP client opens (servers, clients, overrides), undone after it, last first.
import { afterEach } from "vitest";
import { startHttpServer, type HttpServer } from "./hostile-servers.js";
import { TestClient, type fastSettings } from "./test-client.js";

type Cleanup = () => Promise<void> | void;

/** Call once at the top of a test file: registers the `afterEach` and returns what to open through it. */
export function closeAfterEach(): {
  defer(cleanup: Cleanup): void;
  server(handler: Parameters<typeof startHttpServer>[0]): Promise<HttpServer>;
  client(settings: ReturnType<typeof fastSettings>): TestClient;
} {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const defer = (cleanup: Cleanup): void => {
    cleanups.push(cleanup);
  };
  return {
    defer,
    async server(handler) {
      const started = await startHttpServer(handler);
      defer(() => started.close());
      return started;
    },
    client(settings) {
      const created = new TestClient(settings);
      defer(() => created[Symbol.asyncDispose]());
      return created;
    },
  };
}
