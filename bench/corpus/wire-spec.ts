// The corpus's wire phase for one spec, in its own process (the parent gives it a hard time limit):
//   node --import tsx bench/corpus/wire-spec.ts <spec> <generated client dir> <out.json> [--max-operations N] [--budget-ms MS] [--call-timeout-ms MS]
//
// Starts the faithful server (test/wire/faithful-server.ts) on the spec, synthesizes arguments for each
// operation from its schemas (sample-value.ts; kept only when the spec's own validators accept them),
// then makes each call with our generated client and with raw openapi-fetch (its defaults, the spec's
// path keys, the same values), and writes what the server said about each request. Exit 0 when the
// results are written; 1 with one line `wire: error: <message>` when the phase could not run at all.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import createClient from "openapi-fetch";
import { loadSpec } from "../../codegen/load.js";
import { modelOperations } from "../../codegen/model.js";
import type { FaithfulServer } from "../../test/wire/faithful-server.js";
import { startFaithfulServer } from "../../test/wire/faithful-server.js";
import { isJsonMediaType } from "../../test/wire/decode-body.js";
import { judgeCall, type Verdict } from "../../test/wire/outcome.js";
import { isEmptyContainer, sampleValue } from "./sample-value.js";

export interface WireCall {
  operation: string;
  /** `GET /pets/{id}` */
  route: string;
  ours: { verdict: Verdict; detail: string };
  openapiFetch: { verdict: Verdict; detail: string };
}

export interface WireSpecResult {
  operations: number;
  calls: WireCall[];
  /** Operations not called, with why (no sample the spec accepts, over budget, ...). */
  skipped: Array<{ operation: string; reason: string }>;
  ms: number;
}

/** Headers the client owns; OpenAPI says to ignore them as parameters. */
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);

type Untyped = Record<string, (...args: unknown[]) => Promise<unknown>>;

function evenlySpread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]!);
}

async function clientClass(
  clientDir: string,
): Promise<new (settings: Record<string, unknown>) => Untyped & { [Symbol.asyncDispose](): Promise<void> }> {
  const index = path.join(clientDir, "index.ts");
  const source = await readFile(index, "utf8");
  const name = /export class (\w+) extends OpenAPIClient/.exec(source)?.[1];
  if (!name) throw new Error(`no generated client class in ${index}`);
  const module = (await import(pathToFileURL(index).href)) as Record<string, unknown>;
  return module[name] as never;
}

interface Arguments {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  /** By the spec's spelling (what both clients take) ... */
  header: Record<string, unknown>;
  cookie: Record<string, unknown>;
  body?: unknown;
}

/** Arguments for one operation that the spec's validators accept, or why there are none. */
function synthesize(server: FaithfulServer, key: string, mediaType: string | undefined): Arguments | { reason: string } {
  const shape = server.shape(key);
  if (!shape) return { reason: "the faithful server has no such operation" };
  const args: Arguments = { path: {}, query: {}, header: {}, cookie: {} };
  for (const parameter of shape.parameters) {
    if (!(parameter.in in args)) continue;
    if (parameter.in === "header" && IGNORED_HEADERS.has(parameter.name.toLowerCase())) continue;
    const schema = parameter.content ? Object.values(parameter.content)[0]?.schema : parameter.schema;
    const value = sampleValue(schema);
    if (value === undefined || value instanceof Uint8Array || (isEmptyContainer(value) && !parameter.content)) {
      if (parameter.required || parameter.in === "path")
        return { reason: `no sample with a wire form for ${parameter.in} parameter ${parameter.name}` };
      continue;
    }
    args[parameter.in][parameter.name] = value;
  }
  if (mediaType !== undefined) {
    const value = sampleValue(shape.content[mediaType]?.schema, { request: true, bytes: !isJsonMediaType(mediaType) });
    if (value === undefined) return { reason: `no sample for the ${mediaType} body` };
    args.body = value;
  }
  const header = Object.fromEntries(Object.entries(args.header).map(([name, value]) => [name.toLowerCase(), value]));
  const problems = server.schemaProblems(key, mediaType, { path: args.path, query: args.query, header, cookie: args.cookie, body: args.body });
  return problems.length > 0 ? { reason: `the sample breaks the spec's own schema: ${problems[0]}` } : args;
}

function expectedDecoded(args: Arguments, mediaType: string | undefined): Record<string, unknown> {
  const decoded: Record<string, unknown> = {
    path: args.path,
    query: args.query,
    header: Object.fromEntries(Object.entries(args.header).map(([name, value]) => [name.toLowerCase(), value])),
    cookie: args.cookie,
  };
  if (mediaType !== undefined) decoded.body = { mediaType, value: args.body };
  return decoded;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "max-operations": { type: "string", default: "40" },
      "budget-ms": { type: "string", default: "45000" },
      "call-timeout-ms": { type: "string", default: "5000" },
    },
  });
  const [specFile, clientDir, outFile] = positionals;
  if (!specFile || !clientDir || !outFile) {
    process.stderr.write("usage: wire-spec.ts <spec> <client dir> <out.json> [--max-operations N] [--budget-ms MS] [--call-timeout-ms MS]\n");
    return 2;
  }
  const maxOperations = Number(values["max-operations"]);
  const budgetMs = Number(values["budget-ms"]);
  const callTimeoutMs = Number(values["call-timeout-ms"]);
  const started = performance.now();

  // The generator's own loader and naming, so that method names are the generated client's.
  const spec = await loadSpec(specFile, {});
  const models = modelOperations(spec.document, spec.displayName);
  const server = await startFaithfulServer({ spec: spec.document });
  const Client = await clientClass(clientDir);
  const ours = new Client({ baseUrl: server.url, timeoutMs: callTimeoutMs, maxRetries: 0, maxResponseBytes: 4 * 1024 * 1024, trustEnv: false });
  const api = createClient({ baseUrl: server.url }) as unknown as Record<
    string,
    (url: string, init: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>
  >;
  const result: WireSpecResult = { operations: models.length, calls: [], skipped: [], ms: 0 };
  try {
    const byKey = new Map(server.operations.map((operation) => [`${operation.method} ${operation.pathKey}`, operation]));
    for (const model of evenlySpread(models, maxOperations)) {
      const operation = byKey.get(`${model.method} ${model.path}`);
      const label = operation?.key ?? `${model.method.toUpperCase()} ${model.path}`;
      if (performance.now() - started > budgetMs) {
        result.skipped.push({ operation: label, reason: "over the spec's time budget" });
        continue;
      }
      if (!operation) {
        result.skipped.push({ operation: label, reason: "the faithful server does not list it" });
        continue;
      }
      const mediaType = model.body?.mediaType;
      let args: ReturnType<typeof synthesize>;
      try {
        args = synthesize(server, operation.key, mediaType);
      } catch (error) {
        // A schema the sampler or openapi-backend's compiler chokes on: this operation only.
        args = {
          reason: `no sample: ${String((error as Error)?.message ?? error)
            .split("\n")[0]!
            .slice(0, 200)}`,
        };
      }
      if ("reason" in args) {
        result.skipped.push({ operation: label, reason: args.reason });
        continue;
      }
      const expected = { operation: operation.key, decoded: expectedDecoded(args, mediaType), hasResult: false };
      const options: Record<string, unknown> = {};
      if (Object.keys(args.query).length > 0) options.query = args.query;
      if (Object.keys(args.header).length > 0) options.headers = args.header;
      if (Object.keys(args.cookie).length > 0) options.cookies = args.cookie;
      const positional: unknown[] = model.pathParameters.map((parameter) => args.path[parameter.name]);
      if (model.body) positional.push(args.body);
      positional.push(options);
      const method = ours[model.methodName];
      const oursOutcome = await judgeCall(
        server,
        () => (typeof method === "function" ? method.apply(ours, positional) : Promise.reject(new Error(`no method ${model.methodName}`))),
        expected,
      );
      const fetchOutcome = await judgeCall(
        server,
        async () => {
          const init: Record<string, unknown> = {
            params: { path: args.path, query: args.query, header: args.header, cookie: args.cookie },
            signal: AbortSignal.timeout(callTimeoutMs),
          };
          if (model.body) init.body = args.body;
          const { error, response } = await api[model.method.toUpperCase()]!(model.path, init);
          if (error !== undefined || !response.ok) throw new Error(`HTTP ${response.status}`);
        },
        expected,
      );
      // The server's own failure (a schema openapi-backend cannot compile) says nothing about either client.
      const serverFailure = [oursOutcome, fetchOutcome].find((outcome) => outcome.record?.status === 500)?.record?.problems[0];
      if (serverFailure !== undefined) {
        result.skipped.push({ operation: label, reason: serverFailure });
        continue;
      }
      result.calls.push({
        operation: operation.key,
        route: `${model.method.toUpperCase()} ${model.path}`,
        ours: { verdict: oursOutcome.verdict, detail: oursOutcome.detail },
        openapiFetch: { verdict: fetchOutcome.verdict, detail: fetchOutcome.detail },
      });
    }
  } finally {
    await ours[Symbol.asyncDispose]();
    await server.close();
  }
  result.ms = performance.now() - started;
  await writeFile(outFile, `${JSON.stringify(result, null, 1)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `wire: error: ${String((error as Error)?.message ?? error)
        .replace(/\s+/g, " ")
        .slice(0, 500)}\n`,
    );
    process.exit(1);
  },
);
