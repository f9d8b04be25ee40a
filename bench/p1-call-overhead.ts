// P1 call overhead: a function tagged `/** @injectClient */` and compiled by the real tspc with
// inject-client/transformer, vs the same logic hand-written inline, vs the runtime `injectClient`
// wrapper, vs a Prefect-style wrapper closure; no-op client; passed, context and created client.
// The fixture (bench/p1/*.ts) is compiled by tspc into .tmp/bench/p1 and measured with mitata in a
// fresh `node` process (bench/p1/driver.ts), so every variant goes through the same compiler and runs
// without tsx.
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { assertOk, runNodeStable } from "./lib/child.js";
import { benchCompilerOptions, bin, freshDir, repo, TRANSFORMER_NOT_BUILT } from "./lib/paths.js";
import type { Goal, SectionResult, Table } from "./lib/report.js";
import { formatNs, formatRatio, formatSpread, ratio, summarize } from "./lib/stats.js";

export interface CallOverheadOptions {
  quick: boolean;
  rounds?: number;
}

interface Paired {
  paired: true;
  scenario: string;
  variant: string;
  median: number;
  q1: number;
  q3: number;
  pairs: number;
}

interface Line {
  round: number;
  scenario: string;
  variant: string;
  p50: number;
  avg: number;
}

const HAND = "hand-written inline";
const TAGGED = "tagged, compiled by tspc";
const FLOOR = "hand-written, identical copy (noise floor)";
const UNKEYED = "hand-written, unkeyed (resolution before keys)";
/** Goal: transformed / hand-written <= 1.02. */
const TARGET = 1.02;

export const fixtureDir = path.join(repo, "bench", "p1");

/** Compiles the fixture with tspc + the transformer; returns the output directory. */
export async function compileFixture(): Promise<string> {
  const dir = freshDir("p1");
  const src = path.join(dir, "src");
  mkdirSync(src, { recursive: true });
  for (const file of readdirSync(fixtureDir)) if (file.endsWith(".ts")) copyFileSync(path.join(fixtureDir, file), path.join(src, file));
  writeFileSync(path.join(dir, "package.json"), `{ "type": "module", "private": true }\n`);
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          ...benchCompilerOptions,
          outDir: "dist",
          plugins: [{ transform: "@inject-client/transformer" }],
        },
        include: ["src"],
      },
      null,
      2,
    ),
  );
  assertOk("tspc (P1 fixture)", await runNodeStable(bin.tspc, ["-p", dir], { cwd: dir }));
  const tagged = readFileSync(path.join(dir, "dist", "tagged.js"), "utf8");
  if (!tagged.includes("getOrCreateClient")) throw new Error(`tspc did not transform the tagged fixture:\n${tagged}`);
  return dir;
}

export async function runCallOverhead(options: CallOverheadOptions): Promise<SectionResult> {
  const base: Omit<SectionResult, "tables" | "goals" | "notes"> = {
    id: "p1",
    title: "call overhead of an injected function (no-op client)",
    method:
      "bench/p1/*.ts compiled by the real `tspc` with `inject-client/transformer` (ES2022, NodeNext), then run in a fresh `node` process: " +
      "mitata `measure` (warm-up included; 0.4 s of CPU per measurement, 0.1 s with --quick) of `await f(41, client)` for each variant, " +
      "in three scenarios: client passed, client from `ClientContext`, client created by the factory (opened and closed per call). " +
      "Variants: `tagged` (`/** @injectClient */` with `injected(NoopClient)`, rewritten by the transformer), `handWritten` (the same resolution inline: `getOrCreateClient(client, NoopClient)`, " +
      "open/close only when created, await only when owned), a byte-for-byte copy of `handWritten` under another name (what no difference at all measures: the noise floor), `handWritten` unkeyed (`getOrCreateClient(client)`, the resolution before keys), the runtime `injectClient` wrapper (with `{ key }`), and a Prefect-style closure (pops `client` from an " +
      "options object, resolves, try/finally close if created, `return await fn(...)`). Each round measures every variant (order reversed every " +
      "other round); figures are the median over rounds of each measurement's median time per call (p50). " +
      "The goal is judged on the paired ratio: chunks of calls (~5 ms of the baseline, at least 1,000 calls) of a variant and of the hand-written baseline timed back to back " +
      "(which goes first alternates, a full GC before each chunk), 200 pairs per variant and scenario (60 with --quick), median of the per-pair ratios — it cancels the swings " +
      "of a machine shared with other work, which separate measurements do not.",
  };
  if (!existsSync(bin.transformer) || !existsSync(bin.tspc)) {
    return {
      ...base,
      tables: [],
      goals: [],
      notes: [],
      skipped: TRANSFORMER_NOT_BUILT,
    };
  }
  const rounds = options.rounds ?? (options.quick ? 1 : 5);
  const dir = await compileFixture();
  process.stdout.write(`p1: 3 scenarios x 6 variants x ${rounds} rounds (mitata) ...\n`);
  const result = assertOk(
    "P1 driver",
    await runNodeStable(path.join(dir, "dist", "driver.js"), [String(rounds), options.quick ? "1" : "0"], { cwd: dir, nodeArgs: ["--expose-gc"] }),
  );
  const parsed = result.stdout
    .trim()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Line | Paired);
  const lines = parsed.filter((line): line is Line => !("paired" in line));
  const paired = parsed.filter((line): line is Paired => "paired" in line);

  const scenarios = [...new Set(lines.map((line) => line.scenario))];
  const variants = [...new Set(lines.map((line) => line.variant))];
  const rows: string[][] = [];
  const goals: Goal[] = [];
  const notes: string[] = [];
  const headline: string[] = [];
  for (const scenario of scenarios) {
    const of = (variant: string) => summarize(lines.filter((l) => l.scenario === scenario && l.variant === variant).map((l) => l.p50));
    const hand = of(HAND).median;
    const pairedOf = (variant: string) => paired.find((p) => p.scenario === scenario && p.variant === variant);
    for (const variant of [HAND, TAGGED, ...variants.filter((v) => v !== HAND && v !== TAGGED)]) {
      const summary = of(variant);
      const pair = pairedOf(variant);
      rows.push([
        scenario,
        variant,
        formatSpread(summary, formatNs),
        formatRatio(ratio(summary.median, hand)),
        pair ? `${pair.median.toFixed(3)} (IQR ${pair.q1.toFixed(3)}–${pair.q3.toFixed(3)})` : "1 (baseline)",
      ]);
    }
    const taggedPair = pairedOf(TAGGED)!;
    const taggedRatio = taggedPair.median;
    const floor = pairedOf(FLOOR);
    goals.push({
      name: `P1 ${scenario}: tagged / hand-written`,
      target: `<= ${TARGET.toFixed(2)}`,
      value:
        `${taggedRatio.toFixed(3)}x paired (mitata medians: ${formatRatio(ratio(of(TAGGED).median, hand))})` +
        (floor ? `; an identical copy of hand-written: ${floor.median.toFixed(3)}x (IQR ${floor.q1.toFixed(3)}–${floor.q3.toFixed(3)})` : ""),
      met: taggedRatio <= TARGET,
    });
    headline.push(`${scenario} ${taggedRatio.toFixed(2)}x`);
    const unkeyed = pairedOf(UNKEYED);
    if (unkeyed) {
      // The pair is unkeyed / keyed; its inverse is what resolving by class costs over the old resolution.
      notes.push(
        `${scenario}: keyed hand-written resolution / unkeyed (before keys), paired: ${(1 / unkeyed.median).toFixed(3)}x (IQR ${(1 / unkeyed.q3).toFixed(3)}–${(1 / unkeyed.q1).toFixed(3)}).`,
      );
    }
  }
  const table: Table = {
    headers: [
      "scenario",
      "variant",
      "mitata: time per call, median (min–max) over rounds",
      "vs hand-written",
      "paired ratio to hand-written, median (IQR)",
    ],
    rows,
  };
  if (rounds < 3) notes.push("One round (--quick): ratios within a few percent of 1 are noise.");
  notes.push(
    "The wrappers' cost (injectClient, Prefect-style) is the rest-args array, the options copy and the extra async frame: ~2.5–3x a resolved call with a passed or context client, and lost in the noise once a client is created, opened and closed.",
  );
  return { ...base, tables: [table], goals, notes, headline: `P1 tagged / hand-written: ${headline.join(", ")}` };
}
