// The bench's own arithmetic and tables: figures in bench/RESULTS.md are only as good as these.
// (Speed itself is measured by `npm run bench`, never by a timed test.)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { describeMachine } from "../../bench/lib/machine.js";
import { repo, sectionsDirFor } from "../../bench/lib/paths.js";
import { markdownTable, type SectionResult } from "../../bench/lib/report.js";
import { footprintTable, formatMB } from "../../bench/p7-footprint.js";
import { ratio, summarize } from "../../bench/lib/stats.js";

describe("bench statistics", () => {
  it("summarises samples by median and quartiles, ignoring failed (non-finite) runs", () => {
    expect(summarize([5, 1, 3, Number.NaN, 4, 2])).toEqual({ n: 5, median: 3, min: 1, max: 5, q1: 2, q3: 4 });
    expect(summarize([10, 20]).median).toBe(15);
  });

  it("reports ratios to a baseline, and none against a zero baseline", () => {
    expect(ratio(102, 100)).toBeCloseTo(1.02);
    expect(ratio(1, 0)).toBeNaN();
  });

  it("renders a markdown table row per result", () => {
    const text = markdownTable({
      headers: ["tool", "time"],
      rows: [
        ["ours", "1.0 s"],
        ["peer", "2.0 s"],
      ],
    } as never);
    expect(text.split("\n")).toEqual(["| tool | time |", "|---|---|", "| ours | 1.0 s |", "| peer | 2.0 s |"]);
  });

  it("P7's footprint table: MB, ratio to the baseline install and the package count", () => {
    const baseline = { label: "openapi-fetch + undici", bytes: 2_000_000, diskKiB: 2600, packages: ["undici", "openapi-fetch"] };
    const ours = { label: "inject-client", bytes: 2_500_000, diskKiB: 3000, packages: ["undici", "inject-client", "openapi-fetch"] };
    const table = footprintTable([ours, baseline], baseline);
    expect(table.rows[0]).toEqual(["inject-client", "2.50 MB", "3.07 MB", "1.25x", "3", "inject-client, openapi-fetch, undici"]);
    expect(table.rows[1]!.slice(3, 5)).toEqual(["1.00x", "2"]);
    expect(formatMB(Number.NaN)).toBe("n/a");
  });

  it("describes the machine it ran on", () => {
    const machine = describeMachine();
    expect(machine.node).toBe(process.version);
    expect(JSON.stringify(machine)).toMatch(/cores|cpu/i);
  });

  it("`--only none --out FILE` re-renders FILE from the sections stored for FILE, not from bench/RESULTS.md's", () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "bench-out-")), "trial.md");
    const stored = sectionsDirFor(out);
    mkdirSync(stored, { recursive: true });
    const section: SectionResult = { id: "p4", title: "a trial figure", method: "seeded by the test", tables: [], goals: [], notes: [] };
    writeFileSync(path.join(stored, "p4.json"), JSON.stringify(section));
    try {
      const result = spawnSync(process.execPath, ["--import", "tsx", "bench/run.ts", "--only", "none", "--out", out], {
        cwd: repo,
        encoding: "utf8",
      });
      expect(result.status, result.stderr).toBe(0);
      const report = readFileSync(out, "utf8");
      expect(report).toContain("a trial figure");
      // Only the seeded figure: none of the default report's stored sections.
      expect(report.match(/^## P\d/gm)).toEqual(["## P4"]);
      expect(sectionsDirFor(undefined)).not.toBe(stored);
    } finally {
      rmSync(stored, { recursive: true, force: true });
    }
  });

  it("npm run bench -- --help explains its flags without running anything", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "bench/run.ts", "--help"], { cwd: repo, encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--only/);
    expect(result.stdout).toMatch(/--runs/);
  });
});
