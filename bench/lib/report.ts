// Section results, the console tables and bench/RESULTS.md.
import { machineLines, type Machine } from "./machine.js";

export interface Table {
  caption?: string;
  headers: string[];
  rows: string[][];
}

export interface Goal {
  /** "P1 passed client: transformed / hand-written" */
  name: string;
  /** "<= 1.02" */
  target: string;
  /** The measured figure, formatted. */
  value: string;
  /** null: not measured (skipped). */
  met: boolean | null;
  /** For a missed or skipped goal: why. */
  why?: string;
}

export interface SectionResult {
  id: string;
  title: string;
  /** What is measured and how, one paragraph. */
  method: string;
  tables: Table[];
  goals: Goal[];
  notes: string[];
  /** Set when the section could not run at all. */
  skipped?: string;
  /** Headline for the README: one line. */
  headline?: string;
  /** When it was measured (ISO), and the load average then; set by run.ts. */
  measuredAt?: string;
  loadAtStart?: string;
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - [...text].length));
}

export function consoleTable(table: Table): string {
  const widths = table.headers.map((header, column) => Math.max([...header].length, ...table.rows.map((row) => [...(row[column] ?? "")].length)));
  const line = (cells: string[]) => cells.map((cell, column) => pad(cell, widths[column]!)).join("  ");
  const out = [];
  if (table.caption) out.push(table.caption);
  out.push(line(table.headers), widths.map((width) => "-".repeat(width)).join("  "), ...table.rows.map(line));
  return out.join("\n");
}

export function markdownTable(table: Table): string {
  const escape = (cell: string) => cell.replace(/\|/g, "\\|");
  const out = [];
  if (table.caption) out.push(`${table.caption}\n`);
  out.push(`| ${table.headers.map(escape).join(" | ")} |`);
  out.push(`|${table.headers.map(() => "---").join("|")}|`);
  for (const row of table.rows) out.push(`| ${row.map(escape).join(" | ")} |`);
  return out.join("\n");
}

export function goalStatus(goal: Goal): string {
  return goal.met === null ? "not measured" : goal.met ? "met" : "**missed**";
}

export function printSection(section: SectionResult): void {
  console.log(`\n== ${section.id.toUpperCase()} ${section.title} ==`);
  if (section.skipped) {
    console.log(`skipped: ${section.skipped}`);
    return;
  }
  for (const table of section.tables) console.log(`${consoleTable(table)}\n`);
  for (const goal of section.goals) {
    const status = goal.met === null ? "NOT MEASURED" : goal.met ? "met" : "MISSED";
    console.log(`goal ${goal.name}: ${goal.value} (target ${goal.target}) -> ${status}${goal.why ? ` — ${goal.why}` : ""}`);
  }
  for (const note of section.notes) console.log(`note: ${note}`);
}

export function renderResults(machine: Machine, sections: SectionResult[], command: string): string {
  const out: string[] = [];
  out.push("# Benchmark results");
  out.push("");
  out.push(`Written by \`${command}\` (bench/run.ts). Medians of alternated runs; spreads are min–max unless a table says otherwise.`);
  out.push("Times include process start-up wherever a CLI is measured. Re-run on your machine before comparing.");
  out.push("");
  out.push(
    "Goals on process times (P2-P5) are judged on **CPU time** (user + system of the measured process), shown with the wall-time ratio next to it: " +
      "these tools are single-threaded, and on a machine shared with other work CPU time moves far less than wall time. " +
      "P1 is judged on paired chunk ratios (see P1), shown with mitata's per-call medians; a section measured by an earlier run says so under its heading.",
  );
  out.push("");
  out.push("## Machine");
  out.push("");
  out.push(...machineLines(machine));
  out.push("");
  out.push("## Goals");
  out.push("");
  const goals = sections.flatMap((section) =>
    section.skipped
      ? [{ name: `${section.id.toUpperCase()} ${section.title}`, target: "", value: "", met: null, why: section.skipped } as Goal]
      : section.goals,
  );
  out.push(
    markdownTable({
      headers: ["goal", "target", "measured", "status", "why / notes"],
      rows: goals.map((goal) => [goal.name, goal.target, goal.value, goalStatus(goal), goal.why ?? ""]),
    }),
  );
  for (const section of sections) {
    out.push("");
    out.push(`## ${section.id.toUpperCase()} ${section.title}`);
    out.push("");
    if (section.measuredAt && section.measuredAt.slice(0, 16) !== machine.date.slice(0, 16)) {
      out.push(
        `_Measured ${section.measuredAt} (load average then: ${section.loadAtStart ?? "?"}), by an earlier run of bench/run.ts, merged in with \`--merge\`._`,
      );
      out.push("");
    }
    out.push(section.method);
    out.push("");
    if (section.skipped) {
      out.push(`Skipped: ${section.skipped}`);
      continue;
    }
    for (const table of section.tables) {
      out.push(markdownTable(table));
      out.push("");
    }
    for (const note of section.notes) out.push(`- ${note}`);
  }
  out.push("");
  return out.join("\n");
}
