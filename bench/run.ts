// `npm run bench` [-- --only p1,p3] [--runs N] [--quick]
// Runs the figures of issue 6, prints each table as it finishes and writes bench/RESULTS.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { describeMachine, loadAverage } from "./lib/machine.js";
import { sectionsDirFor } from "./lib/paths.js";
import { printSection, renderResults, type SectionResult } from "./lib/report.js";
import { explainMissed } from "./lib/why.js";

const ALL = ["p1", "p2", "p3", "p4", "p5", "p7", "p8"] as const; // p6 is measured with p3
type Figure = (typeof ALL)[number];

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    runs: { type: "string" },
    quick: { type: "boolean", default: false },
    out: { type: "string" },
    merge: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm run bench -- [--only p1,p2,p3,p4,p5,p7,p8] [--runs N] [--quick] [--out FILE]
  --only   figures to run (p6, peak memory, comes with p3); default: all
  --runs   runs per tool (P2, P3, P4) / rounds (P5) / fresh processes per import (P7); default 3 (P4, P5: 5; P7: 15), --quick: 1 (P7: 3)
  --quick  one run each, shorter micro-benchmarks; figures are indicative only
  --out    where to write the report (default bench/RESULTS.md)
  --merge  take the figures not run now from the last run that measured them for the same report (kept in
           .tmp/bench/sections/, or a folder of its own per --out file);
           each such section says when it was measured. On whenever --only is given (\`--only none\` re-renders
           the report from the stored sections), so running one figure never drops the others from the report`);
  process.exit(0);
}

const only = new Set(
  (values.only ?? ALL.join(","))
    .split(",")
    .map((item) => item.trim().toLowerCase())
    .map((item) => (item === "p6" ? "p3" : item))
    .filter(Boolean),
);
only.delete("none"); // `--only none --merge`: re-render bench/RESULTS.md from the stored sections
for (const item of only) {
  if (!(ALL as readonly string[]).includes(item)) {
    console.error(`unknown figure "${item}": expected some of ${ALL.join(", ")} (p6 comes with p3)`);
    process.exit(2);
  }
}
const quick = values.quick;
const runsFlag = values.runs === undefined ? undefined : Number(values.runs);
if (runsFlag !== undefined && (!Number.isInteger(runsFlag) || runsFlag < 1)) {
  console.error(`--runs must be a positive integer, got "${values.runs}"`);
  process.exit(2);
}
const runs = (fallback: number) => runsFlag ?? (quick ? 1 : fallback);

const machine = describeMachine();
console.log(`inject-client benchmarks — ${machine.cpu}, ${machine.cores} cores, ${machine.memory}, Node ${machine.node}${quick ? " (quick)" : ""}`);

const sections: SectionResult[] = [];
const started = performance.now();
const outFile = path.resolve(values.out ?? new URL("./RESULTS.md", import.meta.url).pathname);
const sectionsDir = sectionsDirFor(values.out);

async function section(figure: Figure, load: () => Promise<SectionResult | SectionResult[]>): Promise<void> {
  if (!only.has(figure)) return;
  const figureStarted = performance.now();
  let results: SectionResult[];
  try {
    const result = await load();
    results = Array.isArray(result) ? result : [result];
  } catch (error) {
    results = [
      { id: figure, title: "(failed)", method: "", tables: [], goals: [], notes: [], skipped: `failed: ${(error as Error).stack ?? error}` },
    ];
  }
  mkdirSync(sectionsDir, { recursive: true });
  for (const result of results) {
    result.measuredAt = new Date(figureStarted - performance.now() + Date.now()).toISOString();
    result.loadAtStart = machine.loadAtStart;
    printSection(result);
    sections.push(result);
    if (!result.skipped) writeFileSync(path.join(sectionsDir, `${result.id}.json`), JSON.stringify(result));
  }
  console.log(`(${figure} took ${((performance.now() - figureStarted) / 1000).toFixed(1)} s)`);
}

await section("p1", async () => (await import("./p1-call-overhead.js")).runCallOverhead({ quick }));
await section("p2", async () => (await import("./p2-compile.js")).runCompile({ runs: runs(3), files: 1000 }));
await section("p3", async () => (await import("./p3-codegen.js")).runCodegen({ runs: runs(3), warmup: 0 }));
await section("p4", async () => (await import("./p4-typecheck.js")).runTypecheck({ runs: runs(5) }));
await section("p5", async () => (await import("./p5-request.js")).runRequestOverhead({ rounds: runs(5), quick }));
await section("p7", async () => (await import("./p7-footprint.js")).runFootprint({ runs: runsFlag ?? (quick ? 3 : 15) }));
await section("p8", async () => (await import("./p8-transform-core.js")).runTransformCore({ runs: runs(5), quick, files: 1000 }));

// A run of some figures keeps the others in the report: without this, `--only p4` would rewrite RESULTS.md with P4 alone.
if (values.merge || values.only !== undefined) {
  for (const id of ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"]) {
    const file = path.join(sectionsDir, `${id}.json`);
    if (!sections.some((s) => s.id === id) && existsSync(file)) sections.push(JSON.parse(readFileSync(file, "utf8")) as SectionResult);
  }
}
const order = ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"];
sections.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
explainMissed(sections);
if (only.size === 0) machine.loadAtStart = "n/a (re-rendered from stored sections: see each section's own line)";
else machine.loadAtEnd = loadAverage();
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
writeFileSync(outFile, renderResults(machine, sections, command));
console.log(`\nwrote ${outFile} (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
