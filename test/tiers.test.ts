// The unit tier stays in process: none of its files spawns a program (the CLI, tsc, tspc, node, npm) or
// imports a helper that does, so `npm run test:unit` stays fast; the files that do are listed in
// test/tiers.ts and run in the e2e tier. A stale entry there (a renamed file) fails too.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { E2E_FILES } from "./tiers.js";

const REPO = fileURLToPath(new URL("..", import.meta.url));

/** Helpers that run a program, by the module (relative to the repo, no extension) that exports them. */
const SPAWNING_HELPERS: Record<string, string[]> = {
  // makeProject and copyFixture pack the packages (npm) for the project's node_modules.
  "test/codegen/support": ["runCli", "typeCheck", "makeProject"],
  "test/transformer/support/project": ["tspc", "runNode", "TSPC", "copyFixture"],
  "test/support/installed-packages": ["linkPackedPackages", "packedNodeModules"],
  "test/transformer/support/installed": ["installPackedPackages", "cachedTool"],
  "test/wire/generated-fixture": ["generateFixtureProject"],
  "bench/lib/install": ["packTarballs", "sh"],
  "bench/corpus/tools": ["runNode", "runOurs", "runOpenapiTypescript", "typecheck", "OUR_CLI"],
  "bench/matrix/matrix": ["runMatrix"],
};

/** What a test file imports: module specifier -> the names it imports (namespace and default imports as "*"). */
function importsOf(file: string): Array<{ from: string; names: string[] }> {
  const text = readFileSync(path.join(REPO, file), "utf8");
  const found: Array<{ from: string; names: string[] }> = [];
  for (const match of text.matchAll(/\bimport\s+(?:type\s+)?([^;]*?)\s+from\s+["']([^"']+)["']/g)) {
    const clause = match[1]!;
    const named = /\{([^}]*)\}/.exec(clause)?.[1];
    const names = (named ?? "")
      .split(",")
      .map(
        (name) =>
          name
            .trim()
            .replace(/^type\s+/, "")
            .split(/\s+as\s+/)[0]!,
      )
      .filter(Boolean);
    if (/^\s*[\w$]+\s*(,|$)|\*\s+as/.test(clause)) names.push("*");
    found.push({ from: match[2]!, names });
  }
  for (const match of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) found.push({ from: match[1]!, names: ["*"] });
  return found;
}

function spawningImports(file: string): string[] {
  const problems: string[] = [];
  for (const { from, names } of importsOf(file)) {
    if (from === "node:child_process" || from === "child_process") problems.push(`imports ${from}`);
    if (!from.startsWith(".")) continue;
    const target = path.relative(REPO, path.resolve(REPO, path.dirname(file), from)).replace(/\.[cm]?[jt]s$/, "");
    const helpers = SPAWNING_HELPERS[target];
    if (!helpers) continue;
    for (const name of names) if (name === "*" || helpers.includes(name)) problems.push(`imports ${name} from ${from}`);
  }
  return problems;
}

// What the unit project runs: every .test.ts under test/ (ALL_TEST_FILES) outside node_modules, minus the e2e files.
const unitFiles = (readdirSync(path.join(REPO, "test"), { recursive: true }) as string[])
  .map((file) => `test/${file.split(path.sep).join("/")}`)
  .filter((file) => file.endsWith(".test.ts") && !file.includes("/node_modules/") && !E2E_FILES.includes(file))
  .sort();

describe("test tiers", () => {
  it("every e2e entry of test/tiers.ts is a test file", () => {
    expect(E2E_FILES.filter((file) => !existsSync(path.join(REPO, file)))).toEqual([]);
    expect(new Set(E2E_FILES).size).toBe(E2E_FILES.length);
  });

  it("the unit tier is most of the files, and includes the in-process codegen, runtime and transformer-core tests", () => {
    expect(unitFiles).toEqual(
      expect.arrayContaining(["test/codegen/generate.test.ts", "test/runtime/resolution.test.ts", "test/transformer/doors/core.test.ts"]),
    );
    expect(unitFiles.length).toBeGreaterThan(15);
  });

  it("no unit-tier file spawns a program or imports a helper that does (list it in test/tiers.ts instead)", () => {
    const offenders = unitFiles.flatMap((file) => spawningImports(file).map((problem) => `${file} ${problem}`));
    expect(offenders).toEqual([]);
  });

  it("the check sees a spawning import (it would flag the e2e files)", () => {
    expect(spawningImports("test/codegen/cli.test.ts")).toContain("imports runCli from ./support.js");
    expect(spawningImports("test/transformer/parity.test.ts")).toContain("imports tspc from ./support/project.js");
    expect(spawningImports("test/package/pack.test.ts")).toContain("imports node:child_process");
    expect(spawningImports("test/codegen/plain-types.test.ts")).toContain("imports makeProject from ./support.js");
    expect(spawningImports("test/transformer/parity.test.ts")).toContain("imports copyFixture from ./support/project.js");
    expect(spawningImports("test/transformer/differential.test.ts")).toContain("imports linkPackedPackages from ../support/installed-packages.js");
  });
});
