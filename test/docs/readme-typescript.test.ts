// Every ```ts block of the READMEs compiles as pasted: each block is a module of a scratch project with the
// quick start's tsconfig.json (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess,
// verbatimModuleSyntax, NodeNext), the packed packages (inject-client, @inject-client/transformer, installed
// from their tarballs: test/support/installed-packages.ts), Vitest,
// and the clients the README imports, generated: PrefectClient (src/generated/prefect) and PetClient
// (src/generated/pets). A block that is deliberately not standalone says so right before its fence, with
// `<!-- not-checked: <reason> -->`; there are few, and each gives a reason.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateInto, makeProject, PREFECT_SPEC, REPO, SPECS, tempDir, typeCheck, removeTempDirs, type Diagnostic } from "../codegen/support.js";
import { linkPackedPackages } from "../support/installed-packages.js";

afterAll(removeTempDirs);

const READMES = ["README.md", "examples/prefect-quickstart/README.md"];
const NOT_CHECKED = /^<!-- not-checked: (.+?) -->$/;

interface Block {
  readme: string;
  /** 1-based line of the block's first line of code in the README. */
  line: number;
  code: string;
  /** The reason given by a `<!-- not-checked: … -->` right before the fence. */
  notChecked: string | undefined;
}

function tsBlocks(readme: string): Block[] {
  const lines = readFileSync(path.join(REPO, readme), "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "```ts") continue;
    const end = lines.indexOf("```", i + 1);
    if (end < 0) throw new Error(`${readme}:${i + 1}: unclosed \`\`\`ts block`);
    const before = i > 0 ? NOT_CHECKED.exec(lines[i - 1]!) : null;
    blocks.push({ readme, line: i + 2, code: lines.slice(i + 1, end).join("\n"), notChecked: before?.[1] });
    i = end;
  }
  return blocks;
}

/**
 * Where a block goes in the project: the file its first line names (`// src/runs.ts`, `// vitest.config.ts
 * (or vite.config.ts)`; a test file beside src/, in test/), else a file of its own in src/.
 */
function fileFor(block: Block, index: number): string {
  const named = /^\/\/ ((?:src\/)?[\w.-]+\.ts)\b/.exec(block.code)?.[1];
  if (!named) return `src/readme-${index}.ts`;
  if (named.endsWith(".test.ts") && !named.includes("/")) return `test/${named}`;
  return named;
}

const blocks = READMES.flatMap(tsBlocks);
const checked = blocks.filter((block) => !block.notChecked);
let dir: string;
const placed = new Map<string, Block>();

beforeAll(async () => {
  dir = tempDir("readme-typescript");
  makeProject(dir);
  linkPackedPackages(dir, ["@inject-client/transformer"]);
  // Third-party tools from the repo's node_modules (ours come packed, above).
  for (const name of ["vitest", "@vitest", "typescript"]) {
    try {
      symlinkSync(path.join(REPO, "node_modules", name), path.join(dir, "node_modules", name), "dir");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  await Promise.all([
    generateInto(path.join(dir, "src/generated/prefect"), { input: PREFECT_SPEC, className: "PrefectClient" }),
    generateInto(path.join(dir, "src/generated/pets"), { input: path.join(SPECS, "petstore.yaml"), className: "PetClient" }),
  ]);
  checked.forEach((block, index) => {
    const file = fileFor(block, index);
    if (placed.has(file)) throw new Error(`${block.readme}:${block.line}: a second block names ${file}`);
    placed.set(file, block);
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    // `export {}` makes every block a module (top-level await; no names shared between blocks).
    writeFileSync(path.join(dir, file), `${block.code}\nexport {};\n`);
  });
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  const quickStart = readme.slice(readme.indexOf("## Using it in your project\n"));
  const tsconfig = JSON.parse(/```json\n([\s\S]*?)```/.exec(quickStart)![1]!) as { compilerOptions: Record<string, unknown> };
  delete tsconfig.compilerOptions.plugins; // a type check: tsc, not tspc
  const compilerOptions = { ...tsconfig.compilerOptions, rootDir: ".", noEmit: true };
  writeFileSync(path.join(dir, "tsconfig.nodenext.json"), JSON.stringify({ compilerOptions, include: [...new Set(placed.keys())] }, null, 2));
}, 120_000);

describe("the READMEs' TypeScript blocks", () => {
  it("are found, and the few not checked each say why", () => {
    expect(checked.length).toBeGreaterThanOrEqual(8);
    const skipped = blocks.filter((block) => block.notChecked);
    for (const block of skipped) expect(block.notChecked!.length, `${block.readme}:${block.line}`).toBeGreaterThan(10);
    expect(skipped.length, skipped.map((block) => `${block.readme}:${block.line}`).join(", ")).toBeLessThanOrEqual(Math.floor(blocks.length / 4));
  });

  it("compile as pasted, under the quick start's strict tsconfig.json", () => {
    const { diagnostics, output } = typeCheck(dir, "nodenext");
    const where = (d: Diagnostic) => {
      const block = placed.get(d.file);
      return block ? `${block.readme}:${block.line + d.line - 1}` : d.file;
    };
    expect(
      diagnostics.map((d) => `${where(d)}: ${d.code} ${d.message}`),
      output,
    ).toEqual([]);
  }, 180_000);
});
