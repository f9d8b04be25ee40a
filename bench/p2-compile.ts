// P2 compile overhead: a generated project of >= 1,000 files where 5% of the functions are tagged,
// compiled (with emit) by `tspc` with inject-client/transformer vs plain `tsc` of the same TypeScript
// (5.9, the one ts-patch patches), plus `tspc` without the plugin to separate ts-patch's own cost.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { alternate, assertOk, runNodeStable, type Contender, type Measured } from "./lib/child.js";
import { benchCompilerOptions, bin, ensureDir, freshDir, repo, TRANSFORMER_NOT_BUILT } from "./lib/paths.js";
import type { Goal, SectionResult, Table } from "./lib/report.js";
import { formatMiB, formatMs, formatRatio, formatSpread, judged, ratio, summarize } from "./lib/stats.js";

export interface CompileOptions {
  runs: number;
  files: number;
}

/** Every `TAG_EVERY`-th file tags one of its 4 functions: 5% of the functions. */
const FUNCTIONS_PER_FILE = 4;
const TAG_EVERY = 5;
const TARGET = 1.03;
const INSTALLED = "tsc patched by `ts-patch install` + inject-client/transformer";

const clientFile = `import type { ManagedClient } from "inject-client/runtime";

export class DemoClient implements ManagedClient {
  closed = false;
  async open(): Promise<void> {}
  async get(path: string): Promise<{ path: string; value: number }> {
    return { path, value: path.length };
  }
  async [Symbol.asyncDispose](): Promise<void> {
    this.closed = true;
  }
}
`;

function sourceFile(i: number): string {
  const tagged = i % TAG_EVERY === 0;
  const previous = i > 0 ? i - 1 : undefined;
  const lines: string[] = [];
  if (tagged) lines.push(`import { injected } from "inject-client/runtime";`);
  lines.push(`import type { DemoClient } from "./client.js";`);
  if (previous !== undefined) lines.push(`import { make${previous}, type Item${previous} } from "./m${previous}.js";`);
  lines.push("");
  lines.push(`export interface Item${i} {`);
  lines.push(`  id: number;`);
  lines.push(`  name: string;`);
  lines.push(`  tags: readonly string[];`);
  lines.push(`  score: number;`);
  if (previous !== undefined) lines.push(`  parent?: Item${previous};`);
  lines.push(`}`);
  lines.push("");
  lines.push(`export type Item${i}Patch = Partial<Omit<Item${i}, "id">>;`);
  lines.push("");
  lines.push(`/** Builds an item with defaults. */`);
  lines.push(`export function make${i}(id: number, patch: Item${i}Patch = {}): Item${i} {`);
  lines.push(`  const item: Item${i} = { id, name: \`item-\${id}\`, tags: [], score: 0, ...patch };`);
  if (previous !== undefined) lines.push(`  if (id > 1) item.parent = make${previous}(id - 1);`);
  lines.push(`  return item;`);
  lines.push(`}`);
  lines.push("");
  lines.push(`export function rank${i}(items: readonly Item${i}[], minScore = 0): Item${i}[] {`);
  lines.push(`  return items.filter((item) => item.score >= minScore).sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));`);
  lines.push(`}`);
  lines.push("");
  lines.push(`export function summarize${i}(items: readonly Item${i}[]): { count: number; total: number; tags: Map<string, number> } {`);
  lines.push(`  const tags = new Map<string, number>();`);
  lines.push(`  let total = 0;`);
  lines.push(`  for (const item of items) {`);
  lines.push(`    total += item.score;`);
  lines.push(`    for (const tag of item.tags) tags.set(tag, (tags.get(tag) ?? 0) + 1);`);
  lines.push(`  }`);
  lines.push(`  return { count: items.length, total, tags };`);
  lines.push(`}`);
  lines.push("");
  if (tagged) {
    lines.push(`/** @injectClient */`);
    lines.push(`export async function load${i}(id: number, client: DemoClient = injected()): Promise<Item${i}> {`);
  } else {
    lines.push(`export async function load${i}(id: number, client: DemoClient): Promise<Item${i}> {`);
  }
  lines.push(`  const data = await client.get(\`/items/${i}/\${id}\`);`);
  lines.push(`  if (data.value < 0) return make${i}(id);`);
  lines.push(`  return make${i}(id, { score: data.value, tags: [data.path] });`);
  lines.push(`}`);
  lines.push("");
  lines.push(`export class Store${i} {`);
  lines.push(`  readonly #items = new Map<number, Item${i}>();`);
  lines.push(`  add(item: Item${i}): this {`);
  lines.push(`    this.#items.set(item.id, item);`);
  lines.push(`    return this;`);
  lines.push(`  }`);
  lines.push(`  get(id: number): Item${i} | undefined {`);
  lines.push(`    return this.#items.get(id);`);
  lines.push(`  }`);
  lines.push(`  top(count: number): Item${i}[] {`);
  lines.push(`    return rank${i}([...this.#items.values()]).slice(0, count);`);
  lines.push(`  }`);
  lines.push(`}`);
  lines.push("");
  return lines.join("\n");
}

export function generateProject(files: number): { dir: string; tagged: number; functions: number } {
  const dir = freshDir("p2");
  const src = path.join(dir, "src");
  mkdirSync(src, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), `{ "type": "module", "private": true }\n`);
  writeFileSync(path.join(src, "client.ts"), clientFile);
  let tagged = 0;
  for (let i = 0; i < files - 1; i++) {
    writeFileSync(path.join(src, `m${i}.ts`), sourceFile(i));
    if (i % TAG_EVERY === 0) tagged++;
  }
  const config = (outDir: string, plugins?: unknown[]) =>
    `${JSON.stringify({ compilerOptions: { ...benchCompilerOptions, outDir, ...(plugins ? { plugins } : {}) }, include: ["src"] }, null, 2)}\n`;
  writeFileSync(path.join(dir, "tsconfig.tsc.json"), config("out-tsc"));
  writeFileSync(path.join(dir, "tsconfig.tspc.json"), config("out-tspc", [{ transform: "@inject-client/transformer" }]));
  writeFileSync(path.join(dir, "tsconfig.tspc-bare.json"), config("out-tspc-bare"));
  writeFileSync(path.join(dir, "tsconfig.installed.json"), config("out-installed", [{ transform: "@inject-client/transformer" }]));
  return { dir, tagged, functions: (files - 1) * FUNCTIONS_PER_FILE };
}

/**
 * A copy of the project's TypeScript patched for good with `ts-patch install`, as users who do not want
 * tspc's start-up cost set it up; the shared node_modules/typescript is left alone.
 */
function persistentlyPatchedTsc(): string {
  const typescript = path.join(ensureDir("ts-patched", "node_modules"), "typescript");
  rmSync(typescript, { recursive: true, force: true });
  cpSync(path.join(repo, "node_modules/typescript"), typescript, { recursive: true });
  const install = spawnSync(process.execPath, [bin.tsPatch, "install", "--silent", "--dir", typescript], { encoding: "utf8" });
  if (install.status !== 0) throw new Error(`ts-patch install failed: ${install.stdout}${install.stderr}`);
  return path.join(typescript, "bin/tsc");
}

function countTransformed(outDir: string): number {
  let count = 0;
  for (const file of readdirSync(outDir)) {
    if (file.endsWith(".js") && readFileSync(path.join(outDir, file), "utf8").includes("getOrCreateClient(")) count++;
  }
  return count;
}

export async function runCompile(options: CompileOptions): Promise<SectionResult> {
  const base = {
    id: "p2",
    title: "compile overhead (tspc + transformer vs tsc)",
    method:
      `A generated project of ${options.files} files (${options.files - 1} modules, each importing the previous one: an interface, a type alias, ` +
      `${FUNCTIONS_PER_FILE} functions and a class), every ${TAG_EVERY}th module tagging its async function \`/** @injectClient */\` ` +
      "(5% of the functions), compiled with emit (ES2022, NodeNext, strict, skipLibCheck) by `node node_modules/typescript/bin/tsc` (5.9) and by " +
      "`node node_modules/ts-patch/bin/tspc.js` (the same TypeScript, live-patched) with the transformer plugin; `tspc` without the plugin separates " +
      "ts-patch's own cost from the transformer's, and a copy of the same TypeScript patched once with `ts-patch install` (no live patch at start-up) " +
      `runs the plugin the way a persistent setup does. ${options.runs} alternated run(s) each after one warm-up round (fills ts-patch's cache).`,
  };
  if (!existsSync(bin.transformer)) {
    return {
      ...base,
      tables: [],
      goals: [],
      notes: [],
      skipped: TRANSFORMER_NOT_BUILT,
    };
  }
  const { dir, tagged, functions } = generateProject(options.files);
  const compile = (what: string, config: string, script: string, outDir: string): Contender => ({
    name: what,
    run: async () => {
      rmSync(path.join(dir, outDir), { recursive: true, force: true });
      return assertOk(what, await runNodeStable(script, ["-p", path.join(dir, config)], { cwd: dir }));
    },
  });
  const contenders = [
    compile("tsc", "tsconfig.tsc.json", bin.tsc, "out-tsc"),
    compile("tspc + inject-client/transformer", "tsconfig.tspc.json", bin.tspc, "out-tspc"),
    compile("tspc, no plugin", "tsconfig.tspc-bare.json", bin.tspc, "out-tspc-bare"),
    compile(INSTALLED, "tsconfig.installed.json", persistentlyPatchedTsc(), "out-installed"),
  ];
  process.stdout.write(
    `p2: ${options.files} files, ${tagged} tagged of ${functions} functions; ${contenders.length} compilers x ${options.runs} runs `,
  );
  const results = await alternate(contenders, options.runs, { warmup: 1, onRound: () => process.stdout.write(".") });
  process.stdout.write("\n");

  const notes: string[] = [];
  for (const outDir of ["out-tspc", "out-installed"]) {
    const transformed = countTransformed(path.join(dir, outDir));
    if (transformed !== tagged) notes.push(`Expected ${tagged} transformed modules in ${outDir}, found ${transformed}.`);
    else notes.push(`${outDir} has all ${transformed} tagged functions rewritten; tsc's output has none.`);
  }

  const wall = (name: string) => summarize(results.get(name)!.map((run: Measured) => run.wallMs));
  const cpu = (name: string) => summarize(results.get(name)!.map((run: Measured) => run.cpuMs));
  const mem = (name: string) => summarize(results.get(name)!.map((run: Measured) => run.peakRssKiB));
  const rows = contenders.map(({ name }) => [
    name,
    formatSpread(wall(name), formatMs),
    formatRatio(ratio(wall(name).median, wall("tsc").median)),
    formatSpread(cpu(name), formatMs),
    formatRatio(ratio(cpu(name).median, cpu("tsc").median)),
    formatMiB(mem(name).median),
  ]);
  const table: Table = {
    headers: ["compiler", "wall time, median (min–max)", "vs tsc", "CPU time (user+sys), median (min–max)", "CPU vs tsc", "peak RSS"],
    rows,
  };
  const plugin = "tspc + inject-client/transformer";
  const verdict = judged(wall(plugin).median, wall("tsc").median, cpu(plugin).median, cpu("tsc").median);
  const value = verdict.cpu;
  const installed = judged(wall(INSTALLED).median, wall("tsc").median, cpu(INSTALLED).median, cpu("tsc").median);
  const goals: Goal[] = [
    { name: "P2 compile: tspc + transformer / tsc", target: `<= ${TARGET.toFixed(2)}`, value: verdict.text, met: value <= TARGET },
    {
      name: "P2 compile: tsc patched by `ts-patch install` + transformer / tsc",
      target: `<= ${TARGET.toFixed(2)}`,
      value: installed.text,
      met: installed.cpu <= TARGET,
    },
  ];
  const own = ratio(wall(plugin).median, wall("tspc, no plugin").median);
  notes.push(
    `The transformer's own share (tspc with / without the plugin): ${formatRatio(own)} wall, ${formatRatio(ratio(cpu(plugin).median, cpu("tspc, no plugin").median))} CPU; ` +
      `ts-patch alone (tspc without plugin / tsc): ${formatRatio(ratio(wall("tspc, no plugin").median, wall("tsc").median))} wall.`,
  );
  return {
    ...base,
    tables: [table],
    goals,
    notes,
    headline: `P2 tspc + transformer / tsc: ${formatRatio(value)}; ts-patch install + transformer / tsc: ${formatRatio(installed.cpu)}`,
  };
}
