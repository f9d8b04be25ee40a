// Issue 13, end to end: a client generated (in-process) from wire-classes.json calls every operation
// with typed arguments against the faithful server; each request must be accepted and decode to the
// values the client was called with, and each answer must come back as its media type says (bytes,
// text, a stream larger than maxResponseBytes). tsc checks the typed calls first (strict): required
// headers and cookies are required, file fields take bytes. openapi-fetch's results on the same cases
// are in bench/WIRE.md (bench/wire/run.ts), not asserted here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { typeCheck, type Diagnostic } from "../codegen/support.js";
import type { FaithfulServer, WireRecord } from "./faithful-server.js";
import { BINARY_BODY, CSV_BODY, largeByte, startWireFixtureServer } from "./fixture-server.js";
import { generateFixtureProject, type FixtureProject } from "./generated-fixture.js";

/** The shape of test/fixtures/wire/calls.ts, which lives in the generated project (its types need the client). */
interface WireCase {
  name: string;
  operation: string;
  ours(client: unknown): Promise<unknown>;
  decoded: Record<string, unknown>;
  result: unknown;
}
interface StreamedResponse {
  status: number;
  headers: Headers;
  url: string;
  body: ReadableStream<Uint8Array>;
}
interface Calls {
  cases: WireCase[];
  BINARY_BODY: Uint8Array;
  CSV_BODY: string;
  streamLarge(client: unknown, size: number): Promise<StreamedResponse>;
  bufferLarge(client: unknown, size: number): Promise<unknown>;
}
type ClientClass = new (settings: Record<string, unknown>) => { [Symbol.asyncDispose](): Promise<void> };

/** The client's limit on buffered bodies; the large download is several times larger. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
const LARGE_SIZE = 5 * 1024 * 1024 + 3;

// Generated and imported at collection time, so that each case is a test of its own.
const project: FixtureProject = await generateFixtureProject("wire-classes");
let calls: Calls;
let Client: ClientClass;
try {
  calls = (await import(project.callsUrl)) as Calls;
  Client = ((await import(project.callsUrl.replace(/calls\.ts$/, "client/index.ts"))) as { WireClassesClient: ClientClass }).WireClassesClient;
} catch (error) {
  project.remove(); // no afterAll runs when collection fails
  throw error;
}

let server: FaithfulServer;
let client: InstanceType<ClientClass>;

beforeAll(async () => {
  server = await startWireFixtureServer();
  client = new Client({ baseUrl: server.url, maxResponseBytes: MAX_RESPONSE_BYTES, maxRetries: 0, trustEnv: false });
});

afterAll(async () => {
  await client?.[Symbol.asyncDispose]();
  await server?.close();
  project.remove();
});

it("the typed calls compile against the generated client (strict), and its types refuse what the spec refuses", () => {
  const { diagnostics } = typeCheck(project.dir);
  expect(diagnostics.map((d: Diagnostic) => `${d.file}:${d.line} ${d.code} ${d.message}`)).toEqual([]);
}, 120_000);

it("calls.ts expects the bytes the fixture server sends", () => {
  expect(calls.BINARY_BODY).toEqual(BINARY_BODY);
  expect(calls.CSV_BODY).toBe(CSV_BODY);
});

/** The one request a call made, or why there is none. */
async function callOnce(call: () => Promise<unknown>): Promise<{ result: unknown; records: WireRecord[] }> {
  const before = server.records.length;
  const result = await call();
  return { result, records: server.records.slice(before) };
}

describe("every operation, called with typed arguments, is accepted and round-trips its values", () => {
  it.each(calls.cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const { result, records } = await callOnce(() => c.ours(client));
    expect(records, "exactly one request").toHaveLength(1);
    const [record] = records as [WireRecord];
    expect(record.problems, `${record.method} ${record.url}`).toEqual([]);
    expect(record.accepted).toBe(true);
    expect(record.operation).toBe(c.operation);
    expect(record.decoded).toMatchObject(c.decoded);
    expect(result).toEqual(c.result);
  });
});

describe("a download larger than maxResponseBytes", () => {
  it("streams whole with client.stream.<method>(), outside the limit", async () => {
    const response = await calls.streamLarge(client, LARGE_SIZE);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.url).toBe(`${server.url}/responses/large?size=${LARGE_SIZE}`);
    let received = 0;
    let mismatches = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (let i = 0; i < value.length; i++) if (value[i] !== largeByte(received + i)) mismatches++;
      received += value.length;
    }
    expect(received).toBe(LARGE_SIZE);
    expect(mismatches).toBe(0);
    expect(server.last("downloadLarge")?.accepted).toBe(true);
  });

  it("rejects buffered with ResponseTooLargeError", async () => {
    await expect(calls.bufferLarge(client, LARGE_SIZE)).rejects.toMatchObject({ name: "ResponseTooLargeError", limit: MAX_RESPONSE_BYTES });
  });
});
