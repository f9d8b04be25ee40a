// Lint, format-check and type-check as part of `npm test` (and so of `.ci/run`): a lint error or a type error in any
// source, test or bench file fails the suite, with the tool's own report as the failure message.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;

function run(script: string): { status: number | null; output: string } {
  const result = spawnSync("npm", ["run", "--silent", script], { cwd: root, encoding: "utf8", timeout: 240_000 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe("static checks", () => {
  it("npm run lint: oxlint (type-aware: floating promises are errors) reports nothing", () => {
    const { status, output } = run("lint");
    expect(output).toMatch(/Found 0 warnings and 0 errors/);
    expect(status, output).toBe(0);
  }, 300_000);

  it("npm run format:check: oxfmt finds every file already formatted (run `npm run format` to fix)", () => {
    const { status, output } = run("format:check");
    expect(output).toMatch(/All matched files use the correct format/);
    expect(status, output).toBe(0);
  }, 300_000);

  it("npm run typecheck: tsc over sources, tests and bench reports nothing", () => {
    const { status, output } = run("typecheck");
    expect(output.trim(), output).toBe("");
    expect(status, output).toBe(0);
  }, 300_000);
});
