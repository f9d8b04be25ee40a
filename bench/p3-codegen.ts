// P3 codegen time and P6 peak memory: ours vs openapi-typescript alone vs @hey-api/openapi-ts, on
// GitHub's spec (@octokit/openapi) and Prefect's, each tool a fresh CLI process, runs alternated.
import path from "node:path";
import { existsSync } from "node:fs";
import { alternate, assertOk, runNodeStable, type Contender, type Measured } from "./lib/child.js";
import { bin, freshDir, repo, specs } from "./lib/paths.js";
import type { Goal, SectionResult, Table } from "./lib/report.js";
import { formatMiB, formatMs, formatRatio, formatSpread, judged, ratio, summarize } from "./lib/stats.js";

export interface CodegenOptions {
  runs: number;
  warmup: number;
}

interface SpecCase {
  key: "github" | "prefect";
  label: string;
  input: string;
  className: string;
}

const cases: SpecCase[] = [
  { key: "prefect", label: "Prefect v3 (179 ops)", input: specs.prefect, className: "PrefectClient" },
  { key: "github", label: "GitHub api.github.com (1,223 ops, 13 MB)", input: specs.github, className: "GitHubClient" },
];

function contenders(spec: SpecCase): Contender[] {
  const tools: Contender[] = [
    {
      name: "openapi-typescript 7.13.0 (types only)",
      run: async () => {
        const out = freshDir("p3", spec.key, "openapi-typescript");
        return assertOk(
          "openapi-typescript",
          await runNodeStable(bin.openapiTypescript, [spec.input, "-o", path.join(out, "schema.d.ts")], { cwd: repo }),
        );
      },
    },
    {
      name: "@hey-api/openapi-ts 0.95.0 (types + sdk + fetch client)",
      run: async () => {
        const out = freshDir("p3", spec.key, "hey-api");
        return assertOk(
          "@hey-api/openapi-ts",
          await runNodeStable(bin.heyApi, ["-i", spec.input, "-o", out, "-c", "@hey-api/client-fetch", "-s", "--no-log-file"], { cwd: repo }),
        );
      },
    },
  ];
  if (existsSync(bin.ours)) {
    tools.unshift({
      name: "inject-client (types + client class)",
      run: async () => {
        const out = freshDir("p3", spec.key, "ours");
        return assertOk(
          "inject-client generate",
          await runNodeStable(bin.ours, ["generate", "--input", spec.input, "--out", out, "--name", spec.className], { cwd: repo }),
        );
      },
    });
  }
  return tools;
}

export async function runCodegen(options: CodegenOptions): Promise<SectionResult[]> {
  const timeRows: string[][] = [];
  const memRows: string[][] = [];
  const timeGoals: Goal[] = [];
  const memNotes: string[] = [];
  const notes: string[] = [];
  const haveOurs = existsSync(bin.ours);
  if (!haveOurs) notes.push("codegen/dist/cli.js is not built: ours is not measured (run `npm run build`).");

  for (const spec of cases) {
    // hey-api on GitHub takes ~26 s a run: the GitHub case gets the same run count, no extra warm-up.
    const tools = contenders(spec);
    process.stdout.write(`p3 ${spec.key}: ${tools.length} tools x ${options.runs} runs `);
    const results = await alternate(tools, options.runs, { warmup: options.warmup, onRound: () => process.stdout.write(".") });
    process.stdout.write("\n");
    const time = new Map<string, ReturnType<typeof summarize>>();
    const cpu = new Map<string, ReturnType<typeof summarize>>();
    const mem = new Map<string, ReturnType<typeof summarize>>();
    for (const [name, runs] of results) {
      time.set(name, summarize(runs.map((run: Measured) => run.wallMs)));
      cpu.set(name, summarize(runs.map((run: Measured) => run.cpuMs)));
      mem.set(name, summarize(runs.map((run: Measured) => run.peakRssKiB)));
    }
    const oat = [...time.keys()].find((name) => name.startsWith("openapi-typescript"))!;
    const hey = [...time.keys()].find((name) => name.startsWith("@hey-api"))!;
    for (const name of time.keys()) {
      const t = time.get(name)!;
      const m = mem.get(name)!;
      const c = cpu.get(name)!;
      timeRows.push([
        spec.label,
        name,
        formatSpread(t, formatMs),
        formatRatio(ratio(t.median, time.get(oat)!.median)),
        formatSpread(c, formatMs),
        formatRatio(ratio(c.median, cpu.get(oat)!.median)),
      ]);
      memRows.push([spec.label, name, formatSpread(m, formatMiB), formatRatio(ratio(m.median, mem.get(oat)!.median))]);
    }
    const oursName = [...time.keys()].find((name) => name.startsWith("inject-client"));
    if (oursName) {
      const judge = (other: string) => judged(time.get(oursName)!.median, time.get(other)!.median, cpu.get(oursName)!.median, cpu.get(other)!.median);
      const vsOat = judge(oat);
      const vsHey = judge(hey);
      timeGoals.push({ name: `P3 ${spec.key}: ours / openapi-typescript`, target: "<= 1.20", value: vsOat.text, met: vsOat.cpu <= 1.2 });
      timeGoals.push({ name: `P3 ${spec.key}: ours / hey-api`, target: "< 1.00", value: vsHey.text, met: vsHey.cpu < 1 });
      memNotes.push(
        `${spec.key}: ours peaks at ${formatMiB(mem.get(oursName)!.median)}, ${formatRatio(ratio(mem.get(oursName)!.median, mem.get(oat)!.median))} openapi-typescript's and ${formatRatio(ratio(mem.get(oursName)!.median, mem.get(hey)!.median))} hey-api's.`,
      );
    }
  }

  const timeTable: Table = {
    headers: [
      "spec",
      "tool",
      "wall time, median (min–max)",
      "vs openapi-typescript",
      "CPU time (user+sys), median (min–max)",
      "CPU vs openapi-typescript",
    ],
    rows: timeRows,
  };
  const memTable: Table = { headers: ["spec", "tool", "peak RSS, median (min–max)", "vs openapi-typescript"], rows: memRows };
  return [
    {
      id: "p3",
      title: "codegen time",
      method:
        `Each tool as a fresh CLI process (\`node <bin>\`, start-up included) writing into an empty directory under .tmp/bench; ` +
        `${options.runs} alternated run(s) per tool after ${options.warmup} unrecorded warm-up round(s). Ours is \`node codegen/dist/cli.js generate --input <spec> --out <dir> --name <Class>\`; ` +
        "openapi-typescript is its CLI writing one .d.ts; hey-api is `openapi-ts -c @hey-api/client-fetch` (default plugins: types + sdk).",
      tables: [timeTable],
      goals: timeGoals,
      notes,
    },
    {
      id: "p6",
      title: "codegen peak memory",
      method: "Peak RSS (`process.resourceUsage().maxRSS` at exit, via bench/lib/peak-rss.cjs loaded with NODE_OPTIONS) of the same runs as P3.",
      tables: [memTable],
      goals: [],
      notes: memNotes,
    },
  ];
}
