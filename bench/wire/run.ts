// tsx bench/wire/run.ts [--report FILE]  (default bench/WIRE.md; "-" prints only)
//
// Issue 13's fixture, ours next to raw openapi-fetch: each case of test/fixtures/wire/calls.ts is made
// by a client generated now from wire-classes.json and by openapi-fetch (its defaults, the same
// generated `paths`, the same values) against the faithful server (test/wire/faithful-server.ts), which
// says for each request whether it is what the spec says and why not. The test
// (test/wire/wire-classes.test.ts) asserts ours; this writes both side by side. Needs `npm run build`
// (the generated client imports the runtime's dist).
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import createClient from "openapi-fetch";
import { startWireFixtureServer } from "../../test/wire/fixture-server.js";
import { generateFixtureProject } from "../../test/wire/generated-fixture.js";
import { judgeCall, type Outcome } from "../../test/wire/outcome.js";

interface WireCase {
  name: string;
  operation: string;
  ours(client: unknown): Promise<unknown>;
  openapiFetch(api: unknown): Promise<unknown>;
  decoded: Record<string, unknown>;
  result: unknown;
}
interface Calls {
  cases: WireCase[];
  streamLarge(client: unknown, size: number): Promise<{ body: ReadableStream<Uint8Array> }>;
  openapiFetchStreamLarge(api: unknown, size: number): Promise<ReadableStream<Uint8Array>>;
}
type Disposable = { [Symbol.asyncDispose](): Promise<void> };

const LARGE_SIZE = 8 * 1024 * 1024;
const MAX_RESPONSE_BYTES = 1024 * 1024;
const ROOT = path.resolve(import.meta.dirname, "../..");

async function drain(body: ReadableStream<Uint8Array>): Promise<number> {
  let received = 0;
  for await (const chunk of body) received += chunk.length;
  return received;
}

async function streamOutcome(read: () => Promise<ReadableStream<Uint8Array>>): Promise<Outcome> {
  try {
    const received = await drain(await read());
    return received === LARGE_SIZE ? { verdict: "ok", detail: "" } : { verdict: "answer changed", detail: `read ${received} of ${LARGE_SIZE} bytes` };
  } catch (error) {
    return { verdict: "answer failed", detail: String((error as Error)?.message ?? error).split("\n")[0]! };
  }
}

function cell(outcome: Outcome): string {
  const text = outcome.verdict === "ok" ? "ok" : `**${outcome.verdict}**: ${outcome.detail}`;
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { report: { type: "string", default: "bench/WIRE.md" } } });
  const project = await generateFixtureProject("wire-bench");
  const server = await startWireFixtureServer();
  let ours: Disposable | undefined;
  try {
    const calls = (await import(project.callsUrl)) as Calls;
    // A generated client that does not load (a runtime dist older than the generator) is reported, not fatal:
    // openapi-fetch's column is still worth writing.
    let oursProblem: string | undefined;
    try {
      const { WireClassesClient } = (await import(project.callsUrl.replace(/calls\.ts$/, "client/index.ts"))) as {
        WireClassesClient: new (settings: Record<string, unknown>) => Disposable;
      };
      ours = new WireClassesClient({ baseUrl: server.url, maxResponseBytes: MAX_RESPONSE_BYTES, maxRetries: 0, trustEnv: false });
    } catch (error) {
      oursProblem = `the generated client does not load: ${String((error as Error)?.message ?? error).split("\n")[0]} (run \`npm run build\`)`;
      console.error(`wire: ${oursProblem}`);
    }
    const client = ours;
    const notLoaded = async (): Promise<Outcome> => ({ verdict: "not sent", detail: oursProblem! });
    const api = createClient({ baseUrl: server.url });

    const rows: Array<{ name: string; ours: Outcome; openapiFetch: Outcome }> = [];
    for (const c of calls.cases) {
      rows.push({
        name: c.name,
        ours: client ? await judgeCall(server, () => c.ours(client), c) : await notLoaded(),
        openapiFetch: await judgeCall(server, () => c.openapiFetch(api), c),
      });
    }
    rows.push({
      name: `response streamed: ${LARGE_SIZE / 1024 / 1024} MiB download, maxResponseBytes ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB (ours: \`client.stream.downloadLarge\`; openapi-fetch: \`parseAs: "stream"\`)`,
      ours: client ? await streamOutcome(async () => (await calls.streamLarge(client, LARGE_SIZE)).body) : await notLoaded(),
      openapiFetch: await streamOutcome(() => calls.openapiFetchStreamLarge(api, LARGE_SIZE)),
    });

    const okOurs = rows.filter((row) => row.ours.verdict === "ok").length;
    const okFetch = rows.filter((row) => row.openapiFetch.verdict === "ok").length;
    for (const row of rows) console.log(`${row.ours.verdict.padEnd(15)} ${row.openapiFetch.verdict.padEnd(15)} ${row.name}`);
    console.log(`\nours ${okOurs}/${rows.length} ok, openapi-fetch ${okFetch}/${rows.length} ok`);

    const lines = [
      "# Wire fidelity: issue 13's fixture, ours and openapi-fetch",
      "",
      "Written by `tsx bench/wire/run.ts` (after `npm run build`); asserted for ours by test/wire/wire-classes.test.ts.",
      "",
      `- Run on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.platform()} ${os.arch()}.`,
      "- Spec: test/fixtures/wire/wire-classes.json (OpenAPI 3.1), one operation per class of issue 13 and per request/response media type.",
      "- Calls: test/fixtures/wire/calls.ts, the same values for both. Ours: the client generated now, its typed methods. openapi-fetch:",
      "  `createClient<paths>({ baseUrl })` on the same generated `paths`, its defaults (no per-call `querySerializer`, `bodySerializer`, `parseAs`).",
      "- Server: test/wire/faithful-server.ts on 127.0.0.1. It routes by the path key (fixed queries included), decodes each parameter",
      "  strictly by its `style`/`explode`, requires the spec's Content-Type and decodes the body as that media type (multipart parts",
      "  against `encoding`), then runs openapi-backend's schema validators on the decoded values. `ok` = accepted, the decoded values",
      "  equal the call's, and the call resolved with the answer as the spec types it.",
      ...(oursProblem ? ["", `**Ours was not measured: ${oursProblem}.**`] : []),
      "",
      `**ours ${okOurs} / ${rows.length} ok; openapi-fetch ${okFetch} / ${rows.length} ok.**`,
      "",
      "| case | ours | openapi-fetch |",
      "|---|---|---|",
      ...rows.map((row) => `| ${row.name.replace(/\|/g, "\\|")} | ${cell(row.ours)} | ${cell(row.openapiFetch)} |`),
      "",
    ];
    if (values.report !== "-") {
      const file = path.resolve(ROOT, values.report!);
      await writeFile(file, `${lines.join("\n")}\n`);
      console.log(`report: ${path.relative(ROOT, file)}`);
    }
    return 0;
  } finally {
    await ours?.[Symbol.asyncDispose]();
    await server.close();
    project.remove();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`wire: ${(error as Error)?.stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
