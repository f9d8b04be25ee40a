// P4 type-check cost: `tsc --noEmit` (strict, skipLibCheck) of a file making the same 3 calls against
// GitHub's spec through our generated client vs raw openapi-fetch with openapi-typescript's `paths`,
// plus a trivial file as the baseline (tsc start-up and lib.d.ts).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { alternate, assertOk, runNodeStable, type Contender, type Measured } from "./lib/child.js";
import { bin, freshDir, repo, specs } from "./lib/paths.js";
import type { Goal, SectionResult, Table } from "./lib/report.js";
import { formatMiB, formatMs, formatRatio, formatSpread, judged, ratio, summarize } from "./lib/stats.js";

export interface TypecheckOptions {
  runs: number;
}

const tsconfig = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib: ["ES2022", "ESNext.Disposable", "DOM"],
    types: ["node"],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ["src"],
};

const trivial = `export const answer: number = 42;\n`;

const rawCalls = `import createClient from "openapi-fetch";
import type { paths } from "./github/schema.js";

const client = createClient<paths>({ baseUrl: "https://api.github.com" });

export async function main(): Promise<void> {
  const { data: repo } = await client.GET("/repos/{owner}/{repo}", { params: { path: { owner: "octokit", repo: "rest.js" } } });
  console.log(repo?.full_name, repo?.stargazers_count);

  const { data: issues } = await client.GET("/repos/{owner}/{repo}/issues", {
    params: { path: { owner: "octokit", repo: "rest.js" }, query: { state: "open", per_page: 10 } },
  });
  for (const issue of issues ?? []) console.log(issue.number, issue.title);

  const { data: created } = await client.POST("/repos/{owner}/{repo}/issues", {
    params: { path: { owner: "octokit", repo: "rest.js" } },
    body: { title: "Found a bug", labels: ["bug"] },
  });
  console.log(created?.html_url);
}
`;

const oursCalls = `import { GitHubClient } from "./github/index.js";

const client = new GitHubClient({ baseUrl: "https://api.github.com" });

export async function main(): Promise<void> {
  const repo = await client.reposGet("octokit", "rest.js");
  console.log(repo.full_name, repo.stargazers_count);

  const issues = await client.issuesListForRepo("octokit", "rest.js", { query: { state: "open", per_page: 10 } });
  for (const issue of issues) console.log(issue.number, issue.title);

  const created = await client.issuesCreate("octokit", "rest.js", { title: "Found a bug", labels: ["bug"] });
  console.log(created.html_url);
}
`;

function project(name: string, main: string): string {
  const dir = freshDir("p4", name);
  mkdirSync(path.join(dir, "src"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), `{ "type": "module", "private": true }\n`);
  writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  writeFileSync(path.join(dir, "src", "main.ts"), main);
  return dir;
}

/** Parses `--extendedDiagnostics` lines we report: check time, types, instantiations. */
function diagnostics(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [
    "Files",
    "Lines of TypeScript",
    "Lines of Declarations",
    "Types",
    "Instantiations",
    "Check time",
    "Parse time",
    "Bind time",
    "Total time",
  ]) {
    const match = new RegExp(`^${key}:\\s+(.+)$`, "m").exec(stdout);
    if (match) out[key] = match[1]!.trim();
  }
  return out;
}

export async function runTypecheck(options: TypecheckOptions): Promise<SectionResult> {
  const notes: string[] = [];
  const baseline = project("baseline", trivial);
  const raw = project("raw", rawCalls);
  mkdirSync(path.join(raw, "src", "github"), { recursive: true });
  assertOk(
    "openapi-typescript",
    await runNodeStable(bin.openapiTypescript, [specs.github, "-o", path.join(raw, "src", "github", "schema.d.ts")], { cwd: repo }),
  );
  const projects: { name: string; dir: string }[] = [
    { name: "trivial file (baseline)", dir: baseline },
    { name: "raw openapi-fetch + openapi-typescript `paths` (.d.ts)", dir: raw },
  ];
  if (existsSync(bin.ours)) {
    const ours = project("ours", oursCalls);
    assertOk(
      "inject-client generate",
      await runNodeStable(bin.ours, ["generate", "--input", specs.github, "--out", path.join(ours, "src", "github"), "--name", "GitHubClient"], {
        cwd: repo,
      }),
    );
    projects.push({ name: "ours: generated GitHubClient", dir: ours });
  } else {
    notes.push("codegen/dist/cli.js is not built: ours is not measured.");
  }

  // Each project must type-check cleanly, or its time means nothing.
  const extended = new Map<string, Record<string, string>>();
  for (const p of projects) {
    const result = await runNodeStable(bin.tsc, ["-p", p.dir, "--extendedDiagnostics"], { cwd: p.dir });
    if (result.code !== 0) {
      notes.push(
        `${p.name} does not type-check (exit ${result.code}): ${result.stdout
          .split("\n")
          .filter((line) => line.includes("error TS"))
          .slice(0, 3)
          .join(" / ")}`,
      );
    }
    extended.set(p.name, diagnostics(result.stdout));
  }

  const contenders: Contender[] = projects.map((p) => ({
    name: p.name,
    run: async () => assertOk(`tsc -p ${p.dir}`, await runNodeStable(bin.tsc, ["-p", p.dir], { cwd: p.dir })),
  }));
  process.stdout.write(`p4: ${contenders.length} projects x ${options.runs} runs `);
  const results = await alternate(contenders, options.runs, { warmup: 1, onRound: () => process.stdout.write(".") });
  process.stdout.write("\n");

  const time = new Map([...results].map(([name, runs]) => [name, summarize(runs.map((run: Measured) => run.wallMs))]));
  const cpu = new Map([...results].map(([name, runs]) => [name, summarize(runs.map((run: Measured) => run.cpuMs))]));
  const mem = new Map([...results].map(([name, runs]) => [name, summarize(runs.map((run: Measured) => run.peakRssKiB))]));
  const rawName = projects[1]!.name;
  const rows = projects.map((p) => {
    const t = time.get(p.name)!;
    const d = extended.get(p.name) ?? {};
    return [
      p.name,
      formatSpread(t, formatMs),
      formatRatio(ratio(t.median, time.get(rawName)!.median)),
      formatSpread(cpu.get(p.name)!, formatMs),
      formatRatio(ratio(cpu.get(p.name)!.median, cpu.get(rawName)!.median)),
      formatMiB(mem.get(p.name)!.median),
      d["Check time"] ?? "",
      d["Lines of TypeScript"] ?? "",
      d["Types"] ?? "",
      d["Instantiations"] ?? "",
    ];
  });
  const table: Table = {
    headers: [
      "file",
      "tsc --noEmit, median (min–max)",
      "vs openapi-fetch",
      "CPU time, median (min–max)",
      "CPU vs openapi-fetch",
      "peak RSS",
      "check time*",
      "lines of TS*",
      "types*",
      "instantiations*",
    ],
    rows,
  };
  const goals: Goal[] = [];
  const oursName = projects[2]?.name;
  if (oursName) {
    const verdict = judged(time.get(oursName)!.median, time.get(rawName)!.median, cpu.get(oursName)!.median, cpu.get(rawName)!.median);
    const aboveBaseline = ratio(
      cpu.get(oursName)!.median - cpu.get(projects[0]!.name)!.median,
      cpu.get(rawName)!.median - cpu.get(projects[0]!.name)!.median,
    );
    goals.push({ name: "P4 type-check: ours / openapi-fetch", target: "<= 1.10", value: verdict.text, met: verdict.cpu <= 1.1 });
    notes.push(`Above the trivial-file baseline (CPU time), ours costs ${formatRatio(aboveBaseline)} what raw openapi-fetch costs.`);
  }
  notes.push("* from one extra `tsc --extendedDiagnostics` run per file (not timed).");
  return {
    id: "p4",
    title: "type-check cost (GitHub spec, 3 calls)",
    method:
      `\`node node_modules/typescript/bin/tsc -p <dir>\` (TypeScript ${"5.9"}, strict, skipLibCheck, noEmit, NodeNext) of one file making the same 3 calls ` +
      "(GET a repo, list issues with a query, POST an issue): through our generated `GitHubClient` (index.ts, methods.ts, types.ts), through raw openapi-fetch " +
      `with openapi-typescript's \`paths\` .d.ts, and a trivial file as the baseline. ${options.runs} alternated run(s) per file after one warm-up round.`,
    tables: [table],
    goals,
    notes,
  };
}
