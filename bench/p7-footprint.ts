// P7 install footprint and import time: a server's `npm install --omit=dev` of the packed inject-client vs
// openapi-fetch + undici (the HTTP stack inject-client's runtime is built on) installed the same way; then
// the import time of each entry point, each in a fresh `node` process, entries alternated.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { bytesUnder, NPM_ENV, packagesUnder, packTarballs, scratchProject, sh } from "./lib/install.js";
import { freshDir, repo } from "./lib/paths.js";
import type { Goal, SectionResult, Table } from "./lib/report.js";
import { formatMs, formatRatio, formatSpread, ratio, summarize, type Summary } from "./lib/stats.js";

export interface FootprintOptions {
  /** Fresh processes per entry point. */
  runs: number;
}

export interface Footprint {
  label: string;
  /** Apparent size of every file under node_modules. */
  bytes: number;
  /** `du -sk node_modules`: what the files take on disk, in KiB. */
  diskKiB: number;
  packages: string[];
}

interface Entry {
  label: string;
  cwd: string;
  /** Modules imported, in this order, in one fresh process. */
  specifiers: string[];
}

/** MB (10^6 bytes), as npm and du -h --si report. */
export function formatMB(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1e6).toFixed(2)} MB` : "n/a";
}

export function footprintTable(rows: Footprint[], baseline: Footprint): Table {
  return {
    headers: ["install (npm install --omit=dev)", "files (apparent size)", "on disk (du -sk)", "vs openapi-fetch + undici", "packages", "which"],
    rows: rows.map((row) => [
      row.label,
      formatMB(row.bytes),
      formatMB(row.diskKiB * 1024),
      formatRatio(ratio(row.bytes, baseline.bytes)),
      String(row.packages.length),
      [...row.packages].sort().join(", "),
    ]),
  };
}

function measure(dir: string, label: string): Footprint {
  const nodeModules = path.join(dir, "node_modules");
  const diskKiB = Number(execFileSync("du", ["-sk", nodeModules], { encoding: "utf8" }).split("\t")[0]);
  return { label, bytes: bytesUnder(nodeModules), diskKiB, packages: packagesUnder(nodeModules) };
}

/** One fresh process importing `entry`: the in-process import time and the whole process's wall time (start-up included). */
function importOnce(entry: Entry): Promise<{ importMs: number; processMs: number }> {
  const script = `const started = performance.now();
${entry.specifiers.map((specifier) => `await import(${JSON.stringify(specifier)});`).join("\n")}
process.stdout.write(String(performance.now() - started));`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: entry.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`importing ${entry.label} failed (exit ${code}): ${out.trim().split("\n")[0]}`));
      else resolve({ importMs: Number(out), processMs: performance.now() - started });
    });
  });
}

export async function runFootprint(options: FootprintOptions): Promise<SectionResult> {
  const root = freshDir("p7");
  const tarballs = packTarballs(path.join(root, "packs"));
  const runtimeDependencies = (JSON.parse(readFileSync(path.join(repo, "runtime/package.json"), "utf8")) as { dependencies: Record<string, string> })
    .dependencies;
  const peers = `openapi-fetch@${runtimeDependencies["openapi-fetch"]} undici@${runtimeDependencies.undici}`;

  const ours = scratchProject(path.join(root, "inject-client"));
  await sh(`npm install --omit=dev ${tarballs.runtime}`, ours, { env: NPM_ENV });
  const theirs = scratchProject(path.join(root, "openapi-fetch-undici"));
  await sh(`npm install --omit=dev ${peers}`, theirs, { env: NPM_ENV });

  const oursFootprint = measure(ours, "inject-client (packed tarball)");
  const theirsFootprint = measure(theirs, `${peers.replace(" ", " + ")}`);

  const entries: Entry[] = [
    { label: "inject-client/runtime/core", cwd: ours, specifiers: ["inject-client/runtime/core"] },
    { label: "inject-client/runtime", cwd: ours, specifiers: ["inject-client/runtime"] },
    { label: "openapi-fetch", cwd: theirs, specifiers: ["openapi-fetch"] },
    { label: "undici", cwd: theirs, specifiers: ["undici"] },
    { label: "openapi-fetch + undici", cwd: theirs, specifiers: ["openapi-fetch", "undici"] },
  ];
  const samples = new Map(entries.map((entry) => [entry.label, { importMs: [] as number[], processMs: [] as number[] }]));
  await importOnce(entries[0]!); // warm the file cache once, unrecorded
  process.stdout.write(`p7 import time: ${entries.length} entries x ${options.runs} fresh processes `);
  for (let round = 0; round < options.runs; round++) {
    // Alternated, and rotated each round, so no entry always runs first.
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[(i + round) % entries.length]!;
      const result = await importOnce(entry);
      samples.get(entry.label)!.importMs.push(result.importMs);
      samples.get(entry.label)!.processMs.push(result.processMs);
    }
    process.stdout.write(".");
  }
  process.stdout.write("\n");
  const imports = new Map<string, { importMs: Summary; processMs: Summary }>();
  for (const [label, s] of samples) imports.set(label, { importMs: summarize(s.importMs), processMs: summarize(s.processMs) });
  const base = imports.get("openapi-fetch + undici")!;
  const importTable: Table = {
    headers: [
      "import",
      "import time, median (min–max)",
      "vs openapi-fetch + undici",
      "process wall (start-up included)",
      "vs openapi-fetch + undici",
    ],
    rows: entries.map((entry) => {
      const m = imports.get(entry.label)!;
      return [
        entry.label,
        formatSpread(m.importMs, formatMs),
        formatRatio(ratio(m.importMs.median, base.importMs.median)),
        formatSpread(m.processMs, formatMs),
        formatRatio(ratio(m.processMs.median, base.processMs.median)),
      ];
    }),
  };

  const goals: Goal[] = [
    { name: "P7 inject-client --omit=dev on disk", target: "<= 5 MB", value: formatMB(oursFootprint.bytes), met: oursFootprint.bytes <= 5e6 },
    {
      name: "P7 inject-client --omit=dev packages",
      target: "<= 6",
      value: String(oursFootprint.packages.length),
      met: oursFootprint.packages.length <= 6,
    },
  ];
  const core = imports.get("inject-client/runtime/core")!.importMs.median;
  const full = imports.get("inject-client/runtime")!.importMs.median;
  return {
    id: "p7",
    title: "install footprint and import time",
    method:
      `\`npm install --omit=dev\` into fresh projects under .tmp/bench/p7: the \`inject-client\` tarball from .ci/pack.mjs vs \`${peers}\` ` +
      "(the versions inject-client depends on). Size is the apparent size of every file under node_modules (and `du -sk` beside it); packages are the " +
      `directories with a package.json. Import time: \`performance.now()\` around \`await import(…)\` in a fresh \`node --input-type=module -e\` process, ` +
      `${options.runs} processes per entry after one unrecorded warm-up, entries alternated and rotated each round; the process's wall time (start-up included) beside it.`,
    tables: [footprintTable([oursFootprint, theirsFootprint], theirsFootprint), importTable],
    goals,
    notes: [
      `inject-client/runtime/core (resolution only, no HTTP code) imports in ${formatMs(core)}, ${formatRatio(ratio(core, full))} of inject-client/runtime's ${formatMs(full)}.`,
    ],
    headline: `inject-client --omit=dev: ${formatMB(oursFootprint.bytes)} in ${oursFootprint.packages.length} packages; import of inject-client/runtime ${formatMs(full)} (openapi-fetch + undici ${formatMs(base.importMs.median)})`,
  };
}
