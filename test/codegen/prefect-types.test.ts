// The type-level contract of the generated Prefect client, with the real tsc in a user's project (strict,
// NodeNext and bundler resolution): the must-pass file compiles, and each must-fail line fails with its
// error and nothing else does. The client is generated in process (prefect.test.ts tests what it contains).
import { cpSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateInto, lineOf, makeProject, PREFECT_SPEC, REPO, tempDir, typeCheck, type Diagnostic, removeTempDirs } from "./support.js";

afterAll(removeTempDirs);

const TYPECHECK_FIXTURES = path.join(REPO, "test/fixtures/typecheck/prefect");

let dir: string;

beforeAll(async () => {
  dir = tempDir("prefect-types");
  makeProject(dir);
  await generateInto(path.join(dir, "src/prefect"), { input: PREFECT_SPEC, className: "PrefectClient" });
});

describe("type-level contract of the Prefect client", () => {
  /** Each `// expect TSxxxx <text>` line in the fixture files names the error tsc must report on the next line. */
  function expectedDiagnostics(): Array<{ file: string; line: number; code: string; text: string }> {
    const expected: Array<{ file: string; line: number; code: string; text: string }> = [];
    for (const name of readdirSync(TYPECHECK_FIXTURES).filter((file) => file.startsWith("fail-"))) {
      const lines = readFileSync(path.join(TYPECHECK_FIXTURES, name), "utf8").split("\n");
      lines.forEach((line, index) => {
        const match = /\/\/ expect (TS\d+) (.*)$/.exec(line);
        if (match) expected.push({ file: `src/${name}`, line: index + 2, code: match[1]!, text: match[2]!.trim() });
      });
    }
    return expected;
  }

  function check(resolution: "nodenext" | "bundler"): void {
    cpSync(TYPECHECK_FIXTURES, path.join(dir, "src"), { recursive: true });
    const { diagnostics, output } = typeCheck(dir, resolution);
    const expected = expectedDiagnostics();
    expect(expected.length).toBeGreaterThanOrEqual(12);
    const describe = (d: Diagnostic) => `${d.file}:${d.line} ${d.code} ${d.message}`;
    // The generated client and the must-pass file have no errors at all.
    expect(diagnostics.filter((d) => !d.file.startsWith("src/fail-")).map(describe), output).toEqual([]);
    // Each must-fail line fails with its error, and nothing else fails.
    for (const want of expected) {
      const found = diagnostics.find((d) => d.file === want.file && d.line === want.line);
      expect(found ? describe(found) : `nothing at ${want.file}:${want.line}`).toContain(`${want.code} `);
      expect(found!.message).toContain(want.text);
    }
    const unexpected = diagnostics.filter((d) => !expected.some((want) => want.file === d.file && want.line === d.line));
    expect(unexpected.map(describe)).toEqual([]);
    expect(lineOf(path.join(dir, "src/pass.ts"), "readFlowRuns({ limit: 2 })")).toBeGreaterThan(0);
  }

  it("compiles under strict NodeNext: lenient request bodies, precise responses, wrong types rejected", async () => {
    check("nodenext");
  });

  it("compiles under strict bundler resolution too", async () => {
    check("bundler");
  });
});
