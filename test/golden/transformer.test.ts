// Golden files of the transformer: the oxc core's output (`@inject-client/transformer/core`, what every
// bundler and loader door runs) for each tagged form of the parity and e2e fixtures, with ESM and with
// CommonJS imports; and the README's compiled example ("What the compiled code does"), which is what the
// tspc plugin emits for the README's `latestRuns` under the quick start's tsconfig.json. The README block
// must equal that golden file. A meant change: `npx vitest run test/golden -u` rewrites the golden files
// and the README block with them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import injectClientPlugin from "@inject-client/transformer";
import { transformCode, type ModuleFormat } from "@inject-client/transformer/core";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../codegen/support.js";

const README = path.join(REPO, "README.md");
const FIXTURES = [
  { name: "parity-tagged", file: "test/fixtures/transformer/parity/src/tagged.ts" },
  { name: "e2e-forms", file: "test/fixtures/transformer/e2e/src/forms.ts" },
];
const FORMATS: ModuleFormat[] = ["esm", "cjs"];

describe("the transform core's output for each tagged form", () => {
  for (const { name, file } of FIXTURES) {
    for (const moduleFormat of FORMATS) {
      it(`${file}, ${moduleFormat}`, async () => {
        const code = readFileSync(path.join(REPO, file), "utf8");
        const result = transformCode(code, path.basename(file), { moduleFormat });
        expect(result?.diagnostics).toEqual([]);
        // Really rewritten: no placeholder is left to throw at run time, and the runtime is imported the asked way.
        expect(result!.code).not.toMatch(/=\s*injected\(/);
        expect(result!.code).toContain(moduleFormat === "cjs" ? '= require("inject-client/runtime")' : 'import * as inject_client_runtime from "inject-client/runtime"');
        await expect(result!.code).toMatchFileSnapshot(`transformer/${name}.${moduleFormat}.ts.golden`);
      });
    }
  }
});

/** A fenced block of the README: the first one with `lang` after `heading`, and where its text starts and ends. */
function readmeBlock(readme: string, heading: string, lang: string): { text: string; start: number; end: number } {
  const section = readme.indexOf(`${heading}\n`);
  if (section < 0) throw new Error(`README.md has no "${heading}"`);
  const fence = readme.indexOf(`\`\`\`${lang}\n`, section);
  if (fence < 0) throw new Error(`README.md has no \`\`\`${lang} block after "${heading}"`);
  const start = fence + lang.length + 4;
  const end = readme.indexOf("```", start);
  return { text: readme.slice(start, end), start, end };
}

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/**
 * What `npx tspc` emits for src/runs.ts holding the README's `latestRuns` (the first function of "What you
 * write"), with the compiler options of the quick start's tsconfig.json: a TypeScript program and the tspc
 * plugin called as ts-patch calls it, in this process. The generated client is a stand-in class: the emit of
 * runs.ts depends only on PrefectClient being a class.
 */
function compileReadmeExample(readme: string): { js: string; diagnostics: string[] } {
  const written = readmeBlock(readme, "### What you write", "ts").text;
  const second = written.indexOf("/** @injectClient */", written.indexOf("/** @injectClient */") + 1);
  const source = `${written.slice(0, second < 0 ? undefined : second).trimEnd()}\n`;
  const tsconfig = JSON.parse(readmeBlock(readme, "## Using it in your project", "json").text) as { compilerOptions: Record<string, unknown> };
  delete tsconfig.compilerOptions.plugins;

  mkdirSync(path.join(REPO, ".tmp"), { recursive: true });
  const dir = mkdtempSync(path.join(REPO, ".tmp/golden-readme-"));
  scratch.push(dir);
  mkdirSync(path.join(dir, "src/generated/prefect"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(path.join(dir, "src/runs.ts"), source);
  writeFileSync(
    path.join(dir, "src/generated/prefect/index.ts"),
    "export class PrefectClient {\n  closed = false;\n  async [Symbol.asyncDispose](): Promise<void> {}\n  async readFlowRuns(_filter: unknown): Promise<unknown[]> {\n    return [];\n  }\n}\n",
  );
  const { options, errors } = ts.parseJsonConfigFileContent(tsconfig, ts.sys, dir);
  expect(errors).toEqual([]);
  const program = ts.createProgram([path.join(dir, "src/runs.ts")], options);
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  let js: string | undefined;
  const plugin = injectClientPlugin(program, {}, { ts, addDiagnostic: (d) => diagnostics.push(ts.flattenDiagnosticMessageText(d.messageText, "\n")) });
  program.emit(program.getSourceFile(path.join(dir, "src/runs.ts")), (name, text) => void (name.endsWith("runs.js") && (js = text)), undefined, false, { before: [plugin] });
  if (js === undefined) throw new Error("tsc emitted no runs.js");
  return { js, diagnostics };
}

describe("the README's compiled example", () => {
  it("is what the tspc plugin emits for the README's latestRuns, and the README shows exactly that", async () => {
    const readme = readFileSync(README, "utf8");
    const { js, diagnostics } = compileReadmeExample(readme);
    expect(diagnostics).toEqual([]);
    expect(js).toContain("getOrCreateClient(client, PrefectClient)");
    await expect(js).toMatchFileSnapshot("transformer/readme-latest-runs.js.golden");

    const block = readmeBlock(readme, "### What the compiled code does", "js");
    if (block.text !== js && expect.getState().snapshotState.snapshotUpdateState === "all") {
      // `vitest -u`: the README follows the golden file it was just told to accept.
      writeFileSync(README, `${readme.slice(0, block.start)}${js}${readme.slice(block.end)}`);
      return;
    }
    expect(block.text).toBe(js);
  });
});
