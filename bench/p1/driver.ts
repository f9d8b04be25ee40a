// Runs in its own `node` process, compiled by tspc with the rest of this folder: measures each
// variant in each client scenario with mitata and prints one JSON line per measurement.
// argv: <rounds> <quick 0|1>
import { measure } from "mitata";
import { ClientContext, setClientFactory } from "inject-client/runtime";
import { handWrittenCopy } from "./hand-written-copy.js";
import { handWrittenUnkeyed } from "./hand-written-unkeyed.js";
import { handWritten } from "./hand-written.js";
import { NoopClient } from "./noop-client.js";
import { tagged } from "./tagged.js";
import { prefectStyle, wrapped } from "./wrapped.js";

const rounds = Number(process.argv[2] ?? 3);
const quick = process.argv[3] === "1";

type Call = (x: number, client: NoopClient | undefined) => Promise<number>;
const variants: Record<string, Call> = {
  "hand-written inline": (x, client) => handWritten(x, client),
  "tagged, compiled by tspc": (x, client) => tagged(x, client),
  "hand-written, identical copy (noise floor)": (x, client) => handWrittenCopy(x, client),
  "hand-written, unkeyed (resolution before keys)": (x, client) => handWrittenUnkeyed(x, client),
  "runtime injectClient wrapper": (x, client) => wrapped(x, client ? { client } : undefined),
  "Prefect-style wrapper closure": (x, client) => prefectStyle(x, client ? { client } : undefined),
};

let created = 0;
const factory = () => {
  created++;
  return new NoopClient();
};
// NoopClient's own factory for the keyed variants; the unkeyed fallback for the unkeyed one.
setClientFactory(NoopClient, factory);
setClientFactory(factory);

const passed = new NoopClient();
const inContext = new NoopClient();
const scenarios: Record<string, { client: NoopClient | undefined; run: <T>(fn: () => Promise<T>) => Promise<T> }> = {
  "passed client": { client: passed, run: (fn) => fn() },
  "context client": { client: undefined, run: (fn) => ClientContext.run({ client: inContext }, fn) },
  "created client": { client: undefined, run: (fn) => fn() },
};

// Correctness first: a benchmark of code that does the wrong thing measures nothing.
for (const [scenario, { client, run }] of Object.entries(scenarios)) {
  for (const [name, call] of Object.entries(variants)) {
    const before = created;
    const value = await run(() => call(41, client));
    if (value !== 42) throw new Error(`${name} / ${scenario}: returned ${value}`);
    const made = created - before;
    if (made !== (scenario === "created client" ? 1 : 0)) throw new Error(`${name} / ${scenario}: created ${made} clients`);
  }
}

// Warm-up beyond mitata's own: every variant in every scenario, so that the JIT has seen all the
// shapes (passed, context, created) before the first measurement, whichever runs first.
const warmupCalls = quick ? 20_000 : 100_000;
for (const { client, run } of Object.values(scenarios)) {
  for (const call of Object.values(variants)) {
    await run(async () => {
      for (let i = 0; i < warmupCalls; i++) await call(41, client);
    });
  }
}

// A full GC before each measurement (node --expose-gc), so no variant pays for the previous one's garbage.
const collect = (globalThis as { gc?: () => void }).gc ?? false;
const options = { gc: collect, ...(quick ? { min_cpu_time: 100e6, max_samples: 1e5 } : { min_cpu_time: 400e6, max_samples: 1e6 }) };
let sink = 0;
for (let round = 0; round < rounds; round++) {
  for (const [scenario, { client, run }] of Object.entries(scenarios)) {
    const names = Object.keys(variants);
    // Alternate the order every round so no variant always runs first.
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const call = variants[name]!;
      const stats = await run(() =>
        measure(async () => {
          sink += await call(41, client);
        }, options),
      );
      process.stdout.write(
        `${JSON.stringify({ round, scenario, variant: name, p50: stats.p50, avg: stats.avg, p25: stats.p25, p75: stats.p75, samples: stats.samples.length })}\n`,
      );
    }
  }
}
// Paired comparison, robust to other load on the machine: short chunks of each variant and of the
// hand-written baseline, back to back (which goes first alternates), many times over; the median of
// the per-pair ratios cancels the slow swings of a shared machine that separate measurements see.
const pairs = quick ? 60 : 200;
// Chunks of ~5 ms of the baseline, so that timer resolution and the GC before each chunk stay small
// next to the chunk itself (calibrated per scenario).
let chunk = 1000;
const fullGc = (globalThis as { gc?: () => void }).gc;
async function chunkTime(call: Call, client: NoopClient | undefined): Promise<number> {
  // Each chunk starts on a collected heap, so that a collection the previous chunk's garbage (created
  // clients, promises) triggers does not land in this one.
  fullGc?.();
  const started = performance.now();
  for (let i = 0; i < chunk; i++) sink += await call(41, client);
  return performance.now() - started;
}
for (const [scenario, { client, run }] of Object.entries(scenarios)) {
  for (const [name, call] of Object.entries(variants)) {
    if (name === "hand-written inline") continue;
    const baseline = variants["hand-written inline"]!;
    const ratios = await run(async () => {
      chunk = 1000;
      const probe = await chunkTime(baseline, client);
      chunk = Math.max(1000, Math.round((1000 * 5) / Math.max(probe, 0.05)));
      const out: number[] = [];
      for (let pair = 0; pair < pairs; pair++) {
        if (pair % 2 === 0) {
          const b = await chunkTime(baseline, client);
          out.push((await chunkTime(call, client)) / b);
        } else {
          const v = await chunkTime(call, client);
          out.push(v / (await chunkTime(baseline, client)));
        }
      }
      return out.sort((x, y) => x - y);
    });
    const at = (q: number) => ratios[Math.round((ratios.length - 1) * q)]!;
    process.stdout.write(`${JSON.stringify({ paired: true, scenario, variant: name, median: at(0.5), q1: at(0.25), q3: at(0.75), pairs, chunk })}\n`);
  }
}
if (sink === 0) console.error("sink");
