// The install matrix as a library: run cells with bounded concurrency, render the table, put it in the README.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { packTarballs } from "../lib/install.js";
import { cellId, KIND_LABELS, KINDS, NODES, runCell, TYPESCRIPTS, type Cell, type Outcome } from "./cells.js";
import { nodeBinary } from "./nodes.js";
import { startMatrixServer } from "./server.js";

export const START_MARKER = "<!-- matrix:start -->";
export const END_MARKER = "<!-- matrix:end -->";

export interface CellResult {
  cell: Cell;
  outcome: Outcome;
}

export function allCells(): Cell[] {
  return NODES.flatMap((node) => TYPESCRIPTS.flatMap((ts) => KINDS.map((kind) => ({ node, ts, kind }))));
}

/** Runs `cells`, at most `concurrency` at a time, each in its own project under `root`. */
export async function runMatrix(
  cells: Cell[],
  options: { root: string; concurrency: number; onResult?: (result: CellResult) => void },
): Promise<CellResult[]> {
  const tarballs = packTarballs(path.join(options.root, "packs"));
  const binaries = new Map<string, string>();
  for (const node of new Set(cells.map((cell) => cell.node))) binaries.set(node, nodeBinary(node));
  const server = await startMatrixServer();
  const results: CellResult[] = new Array(cells.length);
  let next = 0;
  const worker = async () => {
    while (next < cells.length) {
      const index = next++;
      const cell = cells[index]!;
      const outcome = await runCell(cell, {
        dir: path.join(options.root, "cells", cellId(cell)),
        tarballs,
        nodeBinary: binaries.get(cell.node)!,
        apiUrl: server.apiUrl,
        calls: server,
      });
      results[index] = { cell, outcome };
      options.onResult?.(results[index]);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, cells.length)) }, worker));
  } finally {
    await server.close();
  }
  return results;
}

export function formatOutcome(outcome: Outcome): string {
  if (outcome.status === "ok") return `ok (${(outcome.ms / 1000).toFixed(0)} s)`;
  if (outcome.status === "n/a") return `n/a: use ${outcome.use} (${outcome.reason})`;
  return `**fails**: ${outcome.error}`;
}

/** One row per Node × TypeScript, one column per toolchain. */
export function matrixTable(results: CellResult[]): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const rows = [`| Node | TypeScript | ${KINDS.map((kind) => KIND_LABELS[kind]).join(" | ")} |`, `|---|---|${KINDS.map(() => "---").join("|")}|`];
  for (const node of NODES) {
    for (const ts of TYPESCRIPTS) {
      const row = KINDS.map((kind) => results.find((r) => r.cell.node === node && r.cell.ts === ts && r.cell.kind === kind));
      if (row.every((cell) => !cell)) continue;
      rows.push(`| ${node} | ${ts} | ${row.map((cell) => (cell ? escape(formatOutcome(cell.outcome)) : "not run")).join(" | ")} |`);
    }
  }
  return rows.join("\n");
}

/** `readme` with the text between the markers replaced; throws when the markers are missing or out of order. */
export function replaceBetweenMarkers(readme: string, body: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START_MARKER} … ${END_MARKER} block`);
  return `${readme.slice(0, start + START_MARKER.length)}\n${body}\n${readme.slice(end)}`;
}

export function writeReadmeTable(readmeFile: string, results: CellResult[], summary: string): void {
  writeFileSync(readmeFile, replaceBetweenMarkers(readFileSync(readmeFile, "utf8"), `${matrixTable(results)}\n\n${summary}`));
}
