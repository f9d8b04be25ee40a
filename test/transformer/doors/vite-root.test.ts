// The Vite door borrows the oxc of the Rolldown the build runs, resolved from the project's root as Vite
// knows it (`root`), not from the folder the build was started in: `vite build packages/app` from a
// monorepo's top, or a script that builds another folder, must not load oxc-parser's own native binding
// (a second 3 MB oxc) for its tagged modules. Real builds in fresh processes, the packed packages.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { linkPackedPackages } from "../../support/installed-packages.js";
import { REPO } from "../support/project.js";

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `inject-client-${name}-`));
  made.push(dir);
  return dir;
}

/** A project with Vite (from the repo's node_modules, third-party) and our packed packages, one tagged module. */
function viteProject(): string {
  const project = scratch("vite-root");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "vite-root", private: true, type: "module" }));
  mkdirSync(join(project, "node_modules"));
  symlinkSync(realpathSync(join(REPO, "node_modules/vite")), join(project, "node_modules/vite"), "dir");
  linkPackedPackages(project, ["inject-client", "@inject-client/transformer"]);
  mkdirSync(join(project, "src"));
  writeFileSync(
    join(project, "src/main.ts"),
    `import { injected, type ManagedClient } from "inject-client/runtime";
export class Api implements ManagedClient { async [Symbol.asyncDispose]() {} }
/** @injectClient */
export async function run(client: Api = injected(Api)): Promise<Api> {
  return client;
}
`,
  );
  return project;
}

/** `vite build` of `project` started in `cwd`; the native modules the process loaded, and the output. */
function buildFrom(project: string, cwd: string): { natives: string[]; output: string } {
  const script = `
const { build } = await import(${JSON.stringify(join(project, "node_modules/vite/dist/node/index.js"))});
const { injectClient } = await import(${JSON.stringify(join(project, "node_modules/@inject-client/transformer/dist/vite.js"))});
await build({ root: ${JSON.stringify(project)}, configFile: false, logLevel: "silent", plugins: [injectClient()],
  ssr: { external: true }, build: { ssr: "src/main.ts", outDir: "out", minify: false, emptyOutDir: true } });
console.log(JSON.stringify(process.report.getReport().sharedObjects.filter((file) => file.endsWith(".node"))));`;
  const printed = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd, encoding: "utf8", timeout: 120_000 });
  return { natives: JSON.parse(printed.trim().split("\n").at(-1)!) as string[], output: readFileSync(join(project, "out/main.js"), "utf8") };
}

describe("the Vite door's parser, for a build started outside the project", () => {
  it("is the running Rolldown's, found from Vite's root, not oxc-parser's binding", () => {
    const project = viteProject();
    const elsewhere = scratch("vite-root-cwd"); // no Vite, no Rolldown reachable from here
    const { natives, output } = buildFrom(project, elsewhere);
    expect(output).toContain("getOrCreateClient(client");
    expect(natives.some((file) => file.includes("rolldown-binding"))).toBe(true);
    expect(natives.filter((file) => /[/\\]parser\.[^/\\]*\.node$/.test(file))).toEqual([]);
  }, 240_000);
});
