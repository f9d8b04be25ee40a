// P5 per-request overhead on 127.0.0.1 with keep-alive: our generated method vs raw openapi-fetch vs
// plain fetch vs raw `undici.request` (the floor: undici's Dispatcher API with nothing on top), all on
// undici 7 (the package) with an Agent of the same timeouts, against a minimal node:http server in its
// own process answering a small JSON body.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import createClient from "openapi-fetch";
import { Agent, fetch as undiciFetch, request as undiciRequest, Request as UndiciRequest } from "undici";
import { assertOk, runNodeStable } from "./lib/child.js";
import { bin, freshDir, repo, specs } from "./lib/paths.js";
import type { Goal, SectionResult, Table } from "./lib/report.js";
import { formatRatio, formatSpread, judged, ratio, summarize } from "./lib/stats.js";

export interface RequestOptions {
  rounds: number;
  quick: boolean;
}

const FLOW_ID = "0b3e5c1a-9a7e-4d7b-8c1e-2f7a9d3c5e11";
/** Prefect's default request timeout; our client gives its Agent these three timeouts. */
const TIMEOUT_MS = 60_000;

type Call = () => Promise<unknown>;

/** The floor row issue 13 names: `undici.request(url)`, which parses the URL string on every call. */
const FLOOR_NAME = "raw undici.request(url) + body.json()";
/** Below it: the Dispatcher API itself (`agent.request({ origin, path })`), nothing on top, no URL parsing. */
const DISPATCHER_NAME = "raw agent.request({ origin, path }) + body.json()";

async function startServer(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(repo, "bench/lib/json-server.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`json server exited with ${code}`)));
    child.stdout!.setEncoding("utf8").once("data", (line: string) => resolve(Number(line.trim())));
  });
  return { port, child };
}

interface PerRequest {
  /** Mean wall µs per request. */
  wall: number;
  /** Mean CPU µs (user + system) of this process per request: the client's own cost, not the server's. */
  cpu: number;
}

async function timed(requests: number, body: () => Promise<void>): Promise<PerRequest> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await body();
  const used = process.cpuUsage(cpu);
  return { wall: ((performance.now() - started) * 1000) / requests, cpu: (used.user + used.system) / requests };
}

/** Sequential calls. */
function sequential(call: Call, requests: number): Promise<PerRequest> {
  return timed(requests, async () => {
    for (let i = 0; i < requests; i++) await call();
  });
}

/** `concurrency` callers in parallel (wall: inverse throughput). */
function concurrent(call: Call, requests: number, concurrency: number): Promise<PerRequest> {
  const perWorker = Math.ceil(requests / concurrency);
  return timed(perWorker * concurrency, async () => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = 0; i < perWorker; i++) await call();
      }),
    );
  });
}

export async function runRequestOverhead(options: RequestOptions): Promise<SectionResult> {
  const requests = options.quick ? 1000 : 3000;
  const concurrency = 16;
  const notes: string[] = [];

  // Our client, generated now from Prefect's spec (GET /flows/{id} -> readFlow).
  let ours: { readFlow(id: string): Promise<unknown>; [Symbol.asyncDispose](): Promise<void> } | undefined;
  let oursCtor: (new (settings: { baseUrl: string; timeoutMs: number }) => typeof ours) | undefined;
  if (existsSync(bin.ours)) {
    const out = freshDir("p5", "prefect");
    assertOk(
      "inject-client generate",
      await runNodeStable(bin.ours, ["generate", "--input", specs.prefect, "--out", out, "--name", "PrefectClient"], { cwd: repo }),
    );
    const module = (await import(pathToFileURL(path.join(out, "index.ts")).href)) as { PrefectClient: typeof oursCtor };
    oursCtor = module.PrefectClient;
  } else {
    notes.push("codegen/dist/cli.js is not built: ours is not measured.");
  }

  const { port, child } = await startServer();
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const agentOptions = { connectTimeout: TIMEOUT_MS, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS };
    const rawAgent = new Agent(agentOptions);
    const plainAgent = new Agent(agentOptions);
    const floorAgent = new Agent(agentOptions);
    const dispatcherAgent = new Agent(agentOptions);
    // openapi-fetch builds a Request and hands it to `fetch`: undici's own Request, so undici's fetch accepts it.
    const raw = createClient<Record<string, never>>({
      baseUrl,
      Request: UndiciRequest as unknown as typeof Request,
      fetch: ((request: Request) => undiciFetch(request as never, { dispatcher: rawAgent })) as unknown as typeof fetch,
    });
    const untypedRaw = raw as unknown as { GET(path: string, init: unknown): Promise<{ data?: unknown; error?: unknown }> };

    const contenders: { name: string; call: Call }[] = [];
    if (oursCtor) {
      ours = new oursCtor({ baseUrl, timeoutMs: TIMEOUT_MS });
      const client = ours!;
      contenders.push({ name: "ours: client.readFlow(id)", call: () => client.readFlow(FLOW_ID) });
    }
    contenders.push({
      name: "raw openapi-fetch: GET('/flows/{id}')",
      call: async () => {
        const { data, error } = await untypedRaw.GET("/flows/{id}", { params: { path: { id: FLOW_ID } } });
        if (error !== undefined) throw new Error("unexpected error");
        return data;
      },
    });
    contenders.push({
      name: "plain undici fetch + json()",
      call: async () => {
        const response = await undiciFetch(`${baseUrl}/flows/${encodeURIComponent(FLOW_ID)}`, { dispatcher: plainAgent });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      },
    });
    contenders.push({
      name: FLOOR_NAME,
      call: async () => {
        const { statusCode, body } = await undiciRequest(`${baseUrl}/flows/${encodeURIComponent(FLOW_ID)}`, { dispatcher: floorAgent });
        if (statusCode !== 200) {
          await body.dump();
          throw new Error(`HTTP ${statusCode}`);
        }
        return body.json();
      },
    });
    contenders.push({
      name: DISPATCHER_NAME,
      call: async () => {
        const { statusCode, body } = await dispatcherAgent.request({ origin: baseUrl, path: `/flows/${encodeURIComponent(FLOW_ID)}`, method: "GET" });
        if (statusCode !== 200) {
          await body.dump();
          throw new Error(`HTTP ${statusCode}`);
        }
        return body.json();
      },
    });

    // Sanity: every contender returns the body.
    for (const contender of contenders) {
      const data = (await contender.call()) as { name?: string };
      if (data?.name !== "bench-flow") throw new Error(`${contender.name} returned ${JSON.stringify(data)}`);
    }
    // Warm-up: JIT and connection pools.
    for (const contender of contenders) await sequential(contender.call, options.quick ? 300 : 1000);

    const seq = new Map<string, PerRequest[]>(contenders.map((c) => [c.name, []]));
    const par = new Map<string, PerRequest[]>(contenders.map((c) => [c.name, []]));
    process.stdout.write(`p5: ${contenders.length} clients x ${options.rounds} rounds x ${requests} requests `);
    for (let round = 0; round < options.rounds; round++) {
      // Alternate, and reverse the order every other round so no one always runs first.
      const order = round % 2 === 0 ? contenders : [...contenders].reverse();
      for (const contender of order) seq.get(contender.name)!.push(await sequential(contender.call, requests));
      for (const contender of order) par.get(contender.name)!.push(await concurrent(contender.call, requests, concurrency));
      process.stdout.write(".");
    }
    process.stdout.write("\n");

    const baselineName = contenders.find((c) => c.name.startsWith("raw openapi-fetch"))!.name;
    const floorName = FLOOR_NAME;
    const micro = (value: number) => `${value.toFixed(1)} µs`;
    const rows: string[][] = [];
    const goals: Goal[] = [];
    for (const [label, map] of [
      ["sequential (1 in flight)", seq],
      [`${concurrency} in flight`, par],
    ] as const) {
      const wallOf = (name: string) => summarize(map.get(name)!.map((m) => m.wall));
      const cpuOf = (name: string) => summarize(map.get(name)!.map((m) => m.cpu));
      for (const contender of contenders) {
        const wall = wallOf(contender.name);
        const cpu = cpuOf(contender.name);
        rows.push([
          label,
          contender.name,
          formatSpread(wall, micro),
          formatRatio(ratio(wall.median, wallOf(baselineName).median)),
          formatSpread(cpu, micro),
          formatRatio(ratio(cpu.median, cpuOf(baselineName).median)),
          formatRatio(ratio(cpu.median, cpuOf(floorName).median)),
          formatRatio(ratio(cpu.median, cpuOf(DISPATCHER_NAME).median)),
        ]);
        if (contender.name.startsWith("ours")) {
          // Issue 13: at most half of openapi-fetch's client CPU, and within 1.2x of undici.request.
          const verdict = judged(wall.median, wallOf(baselineName).median, cpu.median, cpuOf(baselineName).median);
          goals.push({ name: `P5 ${label}: ours / openapi-fetch`, target: "<= 0.5", value: verdict.text, met: verdict.cpu <= 0.5 });
          const floor = judged(wall.median, wallOf(floorName).median, cpu.median, cpuOf(floorName).median);
          goals.push({ name: `P5 ${label}: ours / raw undici.request`, target: "<= 1.2", value: floor.text, met: floor.cpu <= 1.2 });
        }
      }
    }
    const table: Table = {
      headers: [
        "load",
        "client",
        "wall µs per request, median (min–max) of rounds",
        "vs openapi-fetch",
        "client CPU µs per request",
        "CPU vs openapi-fetch",
        "CPU vs raw undici.request",
        "CPU vs raw agent.request",
      ],
      rows,
    };
    const oursSeq = contenders[0]?.name.startsWith("ours") ? summarize(seq.get(contenders[0].name)!.map((m) => m.wall)).median : Number.NaN;
    return {
      id: "p5",
      title: "per-request overhead (127.0.0.1, keep-alive)",
      method:
        `A node:http server in its own process answers every request with a ${"~190-byte"} JSON body. In the bench process, each client makes ` +
        `${requests} GET /flows/{id} calls one after another (latency) and then with ${concurrency} in flight (throughput), per round; ` +
        `${options.rounds} round(s), clients alternated (order reversed every other round), after a warm-up. Each uses the undici package ` +
        `with an Agent of the same timeouts (ours: the Agent its base class creates; openapi-fetch: \`Request: undici.Request\`, \`fetch: undici.fetch(..., { dispatcher })\`; ` +
        "plain fetch: `undici.fetch`; the floor issue 13 names: `undici.request(url, { dispatcher })` + `body.json()`; below it, the Dispatcher API " +
        "alone: `agent.request({ origin, path, method })` + `body.json()`, which skips `undici.request`'s parsing of the URL string on every call). " +
        "Figures are the mean µs per request of each round: wall time, and the bench process's CPU time (user + system; the server's is not counted), which other load on the machine disturbs less.",
      tables: [table],
      goals,
      notes,
      headline: Number.isFinite(oursSeq) ? `P5: ours ${goals[0]?.value} openapi-fetch per sequential request` : undefined,
    };
  } finally {
    await ours?.[Symbol.asyncDispose]();
    child.kill("SIGTERM");
  }
}
