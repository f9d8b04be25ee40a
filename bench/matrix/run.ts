// `npm run matrix [-- --node 20,22 --ts 7.0.2 --kind codegen,tspc --concurrency 2 --no-readme]`
// Every Node × TypeScript × toolchain cell (bench/matrix/cells.ts), then the table into README.md between its markers.
import path from "node:path";
import { parseArgs } from "node:util";
import { freshDir, repo } from "../lib/paths.js";
import { cellId, KINDS, NODES, TYPESCRIPTS } from "./cells.js";
import { allCells, formatOutcome, matrixTable, runMatrix, writeReadmeTable } from "./matrix.js";

const { values } = parseArgs({
  options: {
    node: { type: "string" },
    ts: { type: "string" },
    kind: { type: "string" },
    concurrency: { type: "string", default: "2" },
    "no-readme": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(`Usage: npm run matrix -- [--node ${NODES.join(",")}] [--ts ${TYPESCRIPTS.join(",")}] [--kind ${KINDS.join(",")}] [--concurrency 2] [--no-readme]
  Writes the table into README.md (between <!-- matrix:start --> and <!-- matrix:end -->) only for a full run, unless --no-readme.`);
  process.exit(0);
}
const pick = (flag: string | undefined, all: readonly string[], name: string) => {
  if (flag === undefined) return new Set(all);
  const chosen = new Set(flag.split(",").map((item) => item.trim()));
  for (const item of chosen) {
    if (!all.includes(item)) {
      console.error(`--${name}: unknown "${item}", expected some of ${all.join(", ")}`);
      process.exit(2);
    }
  }
  return chosen;
};
const nodes = pick(values.node, NODES, "node");
const tss = pick(values.ts, TYPESCRIPTS, "ts");
const kinds = pick(values.kind, KINDS, "kind");
const concurrency = Number(values.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 8) {
  console.error(`--concurrency must be an integer from 1 to 8, got "${values.concurrency}"`);
  process.exit(2);
}
const cells = allCells().filter((cell) => nodes.has(cell.node) && tss.has(cell.ts) && kinds.has(cell.kind));
const full = cells.length === allCells().length;

const started = performance.now();
console.log(`install matrix: ${cells.length} cells, ${concurrency} at a time`);
const results = await runMatrix(cells, {
  root: freshDir("matrix"),
  concurrency,
  onResult: ({ cell, outcome }) => console.log(`${cellId(cell)}: ${formatOutcome(outcome)}`),
});
const minutes = ((performance.now() - started) / 60_000).toFixed(1);
const summary =
  `_Written by \`npm run matrix\` on ${new Date().toISOString().slice(0, 10)}: ${cells.length} cells, ${concurrency} at a time, ${minutes} min on a shared ` +
  `2-core machine. Each cell installs the packed tarballs into a fresh project (npm cache, \`--prefer-offline\`), generates the Prefect client, ` +
  "builds it with that toolchain and runs a tagged `latestRuns` against a local Prefect-shaped server (codegen + tsc passes its own client, as plain tsc does not transform)._";
console.log(`\n${matrixTable(results)}\n\n${summary}`);
if (full && !values["no-readme"]) {
  writeReadmeTable(path.join(repo, "README.md"), results, summary);
  console.log("wrote the table into README.md");
}
process.exitCode = results.some((result) => result.outcome.status === "fails") ? 1 : 0;
