// Running the jobs of a `generate` run: every output checked first, then each spec generated and written
// (or compared, with --check), one line per spec and a summary line.
import path from "node:path";
import type { Job } from "./cli-jobs.js";
import { CodegenError } from "./errors.js";
import { isUrl, redactUrl } from "./load-url.js";
import { checkOutputDir, OutputDirError, type ProtectedDir } from "./output-dir.js";
import { checkOwnership, staleFiles, writeOutput } from "./write.js";

export interface Output {
  print(line: string): void;
  fail(line: string): void;
}

export interface RunOptions {
  check: boolean;
  force: boolean;
}

/**
 * Every output directory is checked before anything is generated, let alone written: one refused means none
 * is touched. The write checks ownership again, under its lock. Returns one line per refused job.
 */
export async function refusedOutputs(jobs: Job[], options: RunOptions): Promise<string[]> {
  const refusals: string[] = [];
  for (const job of jobs) {
    const protect: ProtectedDir[] = [];
    if (!isUrl(job.input)) protect.push({ dir: path.dirname(path.resolve(job.cwd, job.input)), what: `the folder of the input spec (${job.input})` });
    if (job.name !== undefined) protect.push({ dir: job.cwd, what: "the project root" });
    try {
      checkOutputDir(job.out, { display: job.outDisplay, protect });
      if (!options.check) await checkOwnership(job.out, { display: job.outDisplay });
    } catch (error) {
      const line = error instanceof CodegenError ? error.describe() : `cannot use --out ${job.outDisplay}: ${(error as Error).message}`;
      refusals.push(`${prefixFor(job)}${line}`);
    }
  }
  return refusals;
}

interface Tally {
  failures: number;
  refused: number;
  operations: number;
  files: number;
  written: number;
  stale: string[];
}

/** Generates every job; returns the exit code (0 done, 1 a spec failed or --check found stale files, 2 an output refused). */
export async function runJobs(jobs: Job[], options: RunOptions, out: Output): Promise<number> {
  // Loaded only now: openapi-typescript, Redocly and ts-morph take a while to import.
  const { generateClient } = await import("./generate.js");
  const started = performance.now();
  const tally: Tally = { failures: 0, refused: 0, operations: 0, files: 0, written: 0, stale: [] };
  for (const job of jobs) {
    try {
      const result = await generateClient({
        input: job.input,
        cwd: job.cwd,
        className: job.className,
        profile: job.profile,
        allowExternalRefs: job.allowExternalRefs,
        regenerateWith: job.regenerateWith,
      });
      tally.operations += result.operations;
      tally.files += result.files.size;
      if (options.check) {
        const outdated = await staleFiles(job.out, result.files);
        tally.stale.push(...outdated);
        out.print(`${job.name ?? job.outDisplay}: ${outdated.length === 0 ? "current" : `stale (${outdated.map(relative).join(", ")})`}`);
      } else {
        const { changed, kept } = await writeOutput(job.out, result.files, { force: options.force, display: job.outDisplay });
        if (changed) tally.written += result.files.size;
        const source = job.name ?? (isUrl(job.input) ? redactUrl(job.input) : job.input);
        out.print(
          `${source}: ${result.className} (${result.operations} operations, profile ${result.profile}) -> ${job.outDisplay} ${changed ? "written" : "unchanged"}${keptNote(kept)}`,
        );
      }
    } catch (error) {
      tally.failures += 1;
      if (error instanceof OutputDirError) tally.refused += 1;
      if (error instanceof CodegenError) out.fail(`${prefixFor(job)}${error.describe()}`);
      else out.fail(`${prefixFor(job)}unexpected failure: ${(error as Error).stack ?? String(error)}`);
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  out.print(summaryLine(jobs.length, tally, options.check, seconds));
  if (options.check) return tally.failures > 0 || tally.stale.length > 0 ? 1 : 0;
  return tally.refused > 0 ? 2 : tally.failures > 0 ? 1 : 0;
}

function summaryLine(jobCount: number, tally: Tally, check: boolean, seconds: string): string {
  const specs = `${jobCount} spec${jobCount === 1 ? "" : "s"}`;
  if (check) {
    const verdict =
      tally.failures > 0
        ? `${tally.failures} failed`
        : tally.stale.length === 0
          ? "all current"
          : `${tally.stale.length} stale; run \`inject-client generate\` (npm run codegen)`;
    return `inject-client: checked ${specs}, ${tally.operations} operations, ${tally.files} files in ${seconds} s: ${verdict}`;
  }
  const failed = tally.failures > 0 ? `, ${tally.failures} failed` : "";
  return `inject-client: ${specs}, ${tally.operations} operations, ${tally.written} of ${tally.files} files written in ${seconds} s${failed}`;
}

function keptNote(kept: string[]): string {
  if (kept.length === 0) return "";
  const listed = `${kept.slice(0, 5).join(", ")}${kept.length > 5 ? ", ..." : ""}`;
  return ` (kept ${kept.length} ${kept.length === 1 ? "entry" : "entries"} inject-client did not write: ${listed})`;
}

function prefixFor(job: Job): string {
  return job.name === undefined ? "" : `${job.name}: `;
}

function relative(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") ? rel : file;
}
