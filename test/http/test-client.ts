// A test-only client: the generated classes call `this.request(...)` the same way.
import { OpenAPIClient, type CallInput, type CallOptions, type ClientSettings, type HttpMethod } from "../../runtime/http/index.js";

export class TestClient extends OpenAPIClient<any> {
  call<T = unknown>(method: HttpMethod, path: string, input: CallInput = {}, options?: CallOptions): Promise<T> {
    return this.request<T>(method, path, input, options);
  }
}

/** Settings that keep retries instant and record every back-off instead of sleeping. */
export function fastSettings(baseUrl: string, overrides: Partial<ClientSettings> = {}): ClientSettings & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    baseUrl,
    retryBaseDelayMs: 1,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
    warn: () => undefined,
    sleeps,
    ...overrides,
  };
}

export const FLOW_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

export function flow(name = "etl") {
  const now = new Date().toISOString();
  return { id: FLOW_ID, created: now, updated: now, name, tags: [], labels: {} };
}
