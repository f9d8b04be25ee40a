// The corpus's wire phase: for each spec our generator generated, wire-spec.ts (a child process with a
// hard limit) calls a sample of its operations with our client and with raw openapi-fetch against the
// faithful server. This file runs that step and turns the results into figures, groups and markdown.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { CorpusSpec } from "./specs.js";
import { firstLine, normaliseCause, ROOT, runNode } from "./tools.js";
import type { WireCall, WireSpecResult } from "./wire-spec.js";

const WIRE_SCRIPT = path.join(ROOT, "bench/corpus/wire-spec.ts");

export interface WireOptions {
  /** Operations called per spec at most (spread evenly over the spec). */
  maxOperations: number;
  /** Hard limit of the child per spec; its own budget for calls is 15 s less. */
  timeoutMs: number;
}

export interface WireStep {
  ok: boolean;
  failure?: "error" | "crash" | "timeout" | "skipped";
  error?: string;
  result?: WireSpecResult;
  ms: number;
}

/** The wire phase for one spec whose client is in `clientDir`. Never rejects. */
export async function runWire(specFile: string, clientDir: string, outFile: string, options: WireOptions): Promise<WireStep> {
  const budgetMs = Math.max(options.timeoutMs - 15_000, Math.floor(options.timeoutMs / 2));
  const child = await runNode(
    [
      "--import",
      "tsx",
      WIRE_SCRIPT,
      specFile,
      clientDir,
      outFile,
      "--max-operations",
      String(options.maxOperations),
      "--budget-ms",
      String(budgetMs),
    ],
    { timeoutMs: options.timeoutMs },
  );
  if (child.timedOut) return { ok: false, failure: "timeout", error: `the wire phase timed out after ${options.timeoutMs} ms`, ms: child.ms };
  if (child.code === 0 && existsSync(outFile)) {
    try {
      return { ok: true, result: JSON.parse(await readFile(outFile, "utf8")) as WireSpecResult, ms: child.ms };
    } catch (error) {
      return { ok: false, failure: "crash", error: `unreadable results: ${(error as Error).message}`, ms: child.ms };
    }
  }
  const line = child.stderr.split("\n").find((text) => text.startsWith("wire: error: "));
  if (child.code === 1 && line) return { ok: false, failure: "error", error: line.replace(/^wire: error: /, ""), ms: child.ms };
  return {
    ok: false,
    failure: "crash",
    error: `the wire phase exited with ${child.signal ?? child.code}: ${firstLine(child.stderr) || "no message"}`,
    ms: child.ms,
  };
}

type Client = "ours" | "openapiFetch";

/** Accepted with the call's values: what "validated" counts (reading the answer is counted apart). */
export function validated(call: WireCall, client: Client): boolean {
  const verdict = call[client].verdict;
  return verdict === "ok" || verdict === "answer failed" || verdict === "answer changed";
}

interface SpecWire {
  spec: CorpusSpec;
  wire?: WireStep;
}

export interface WireFigures {
  specs: number;
  /** Specs whose wire step ran and made at least one call. */
  specsCalled: number;
  calls: number;
  validated: Record<Client, number>;
  ok: Record<Client, number>;
  /** Specs (with calls) whose every call validated. */
  allValidated: Record<Client, number>;
  skippedOperations: number;
  stepFailures: number;
  /** Specs left out because the phase's total budget (--wire-total-ms) was spent. */
  specsOverBudget: number;
}

export function wireFigures(results: readonly SpecWire[]): WireFigures {
  const f: WireFigures = {
    specs: results.length,
    specsCalled: 0,
    calls: 0,
    validated: { ours: 0, openapiFetch: 0 },
    ok: { ours: 0, openapiFetch: 0 },
    allValidated: { ours: 0, openapiFetch: 0 },
    skippedOperations: 0,
    stepFailures: 0,
    specsOverBudget: 0,
  };
  for (const { wire } of results) {
    if (!wire) continue;
    if (!wire.ok) {
      if (wire.failure === "skipped") f.specsOverBudget++;
      else f.stepFailures++;
      continue;
    }
    const calls = wire.result!.calls;
    f.skippedOperations += wire.result!.skipped.length;
    if (calls.length === 0) continue;
    f.specsCalled++;
    f.calls += calls.length;
    for (const client of ["ours", "openapiFetch"] as const) {
      const good = calls.filter((call) => validated(call, client)).length;
      f.validated[client] += good;
      f.ok[client] += calls.filter((call) => call[client].verdict === "ok").length;
      if (good === calls.length) f.allValidated[client]++;
    }
  }
  return f;
}

interface CauseGroup {
  key: string;
  requests: number;
  specs: Set<string>;
  example: string;
}

function group(entries: Array<{ key: string; spec: string; example: string }>): CauseGroup[] {
  const groups = new Map<string, CauseGroup>();
  for (const entry of entries) {
    const found = groups.get(entry.key) ?? { key: entry.key, requests: 0, specs: new Set<string>(), example: entry.example };
    found.requests++;
    found.specs.add(entry.spec);
    groups.set(entry.key, found);
  }
  return [...groups.values()].sort((a, b) => b.requests - a.requests || (a.key < b.key ? -1 : 1));
}

function failures(results: readonly SpecWire[], client: Client): CauseGroup[] {
  const entries: Array<{ key: string; spec: string; example: string }> = [];
  for (const { spec, wire } of results) {
    for (const call of wire?.result?.calls ?? []) {
      const { verdict, detail } = call[client];
      if (verdict === "ok") continue;
      entries.push({ key: `${verdict}: ${normaliseCause(detail)}`, spec: spec.id, example: `\`${spec.id}\` ${call.route}: ${detail}` });
    }
  }
  return group(entries);
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "n/a" : `${((100 * part) / whole).toFixed(1)}%`;
}

export function wireSummaryLines(results: readonly SpecWire[]): string[] {
  const f = wireFigures(results);
  if (f.specsCalled === 0 && f.stepFailures === 0) return [];
  return [
    `wire: ${f.calls} requests over ${f.specsCalled} specs; validated by the faithful server: ours ${f.validated.ours} (${percent(f.validated.ours, f.calls)}), openapi-fetch ${f.validated.openapiFetch} (${percent(f.validated.openapiFetch, f.calls)})`,
    `      specs with every request validated: ours ${f.allValidated.ours}/${f.specsCalled}, openapi-fetch ${f.allValidated.openapiFetch}/${f.specsCalled}; ${f.skippedOperations} operations skipped (no valid sample), ${f.stepFailures} specs where the phase failed`,
  ];
}

function escape(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function groupTable(groups: CauseGroup[], limit = 25, counted = "requests"): string[] {
  if (groups.length === 0) return ["None.", ""];
  const lines = [`| ${counted} | specs | cause | example |`, "|---:|---:|---|---|"];
  for (const g of groups.slice(0, limit)) lines.push(`| ${g.requests} | ${g.specs.size} | ${escape(g.key)} | ${escape(g.example.slice(0, 300))} |`);
  if (groups.length > limit) lines.push(`| … | | ${groups.length - limit} more causes | |`);
  return [...lines, ""];
}

export function wireMarkdown(results: readonly SpecWire[], options: WireOptions | undefined): string[] {
  const ran = results.filter((result) => result.wire !== undefined);
  if (ran.length === 0) return [];
  const f = wireFigures(results);
  const lines = [
    "## Wire: requests a spec-faithful server validates",
    "",
    "For each spec our generator generated, a child process (bench/corpus/wire-spec.ts, hard limit" +
      `${options ? ` ${options.timeoutMs} ms` : ""}) starts the faithful server of test/wire/faithful-server.ts on the spec (routing by path key, strict`,
    "style/explode decoding of every parameter, the spec's Content-Type and media-type decoding of bodies, then openapi-backend's",
    `schema validators on the decoded values), synthesizes arguments for ${options ? `up to ${options.maxOperations}` : "a sample of"} operations spread over the spec`,
    "(bench/corpus/sample-value.ts; a sample the spec's own validators reject is skipped, not counted), and calls each with our",
    "generated client and with raw openapi-fetch (its defaults, the spec's path keys, the same values). *Validated*: accepted with the",
    "call's values decoded back exactly; *ok*: also the answer read as its media type says.",
    "",
    "| | requests validated | ok (answer read too) | specs with every request validated |",
    "|---|---:|---:|---:|",
    `| ours (inject-client) | ${f.validated.ours} / ${f.calls} (${percent(f.validated.ours, f.calls)}) | ${f.ok.ours} / ${f.calls} | ${f.allValidated.ours} / ${f.specsCalled} |`,
    `| raw openapi-fetch | ${f.validated.openapiFetch} / ${f.calls} (${percent(f.validated.openapiFetch, f.calls)}) | ${f.ok.openapiFetch} / ${f.calls} | ${f.allValidated.openapiFetch} / ${f.specsCalled} |`,
    "",
    `${f.specsCalled} specs made calls; ${f.skippedOperations} operations were skipped (no sample the spec accepts, or over a spec's time budget); ` +
      `the phase itself failed on ${f.stepFailures} spec${f.stepFailures === 1 ? "" : "s"} (below)` +
      (f.specsOverBudget > 0 ? `; ${f.specsOverBudget} specs were left out once the phase's total budget was spent.` : "."),
    "",
    "### Ours: requests not ok, by cause",
    "",
    ...groupTable(failures(results, "ours")),
    "### openapi-fetch: requests not ok, by cause",
    "",
    ...groupTable(failures(results, "openapiFetch")),
    "### Operations skipped, by reason",
    "",
    ...groupTable(
      group(
        results.flatMap(({ spec, wire }) =>
          (wire?.result?.skipped ?? []).map((skip) => ({
            key: normaliseCause(skip.reason),
            spec: spec.id,
            example: `\`${spec.id}\` ${skip.operation}: ${skip.reason}`,
          })),
        ),
      ),
      10,
      "operations",
    ),
    "### Specs where the phase failed",
    "",
    ...groupTable(
      group(
        ran
          .filter(({ wire }) => wire && !wire.ok && wire.failure !== "skipped")
          .map(({ spec, wire }) => ({
            key: `${wire!.failure}: ${normaliseCause(wire!.error ?? "")}`,
            spec: spec.id,
            example: `\`${spec.id}\`: ${wire!.error ?? ""}`,
          })),
      ),
      10,
      "specs",
    ),
    "<details><summary>Per spec: requests validated, ours / openapi-fetch</summary>",
    "",
    "| spec | operations | called | ours | openapi-fetch | skipped |",
    "|---|---:|---:|---:|---:|---:|",
  ];
  for (const { spec, wire } of ran) {
    if (!wire!.ok) {
      lines.push(`| \`${spec.id}\` | | | ${wire!.failure} | ${wire!.failure} | |`);
      continue;
    }
    const { calls, skipped, operations } = wire!.result!;
    const count = (client: Client) => calls.filter((call) => validated(call, client)).length;
    lines.push(`| \`${spec.id}\` | ${operations} | ${calls.length} | ${count("ours")} | ${count("openapiFetch")} | ${skipped.length} |`);
  }
  lines.push("", "</details>", "");
  return lines;
}
