// The scratch projects the end-to-end tests compile and run (test/codegen/support.ts `makeProject`,
// test/transformer/support/project.ts `copyFixture`) hold our packages as installed from their tarballs:
// a link into the repository would let tsc and node see files the tarballs lack (sources, maps, files
// missing from `files`), so a packaging mistake would pass every test there.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeProject, REPO, removeTempDirs as removeCodegenDirs, tempDir } from "../codegen/support.js";
import { copyFixture, makeTempDir, removeTempDirs as removeTransformerDirs } from "../transformer/support/project.js";

afterAll(() => {
  removeCodegenDirs();
  removeTransformerDirs();
});

const insideRepo = (file: string) => !path.relative(realpathSync(REPO), realpathSync(file)).startsWith("..");

/** Where `name` resolves from `project` (realpath), and the package found there. */
function installed(project: string, name: string): { dir: string; version: string } {
  const dir = realpathSync(path.join(project, "node_modules", name));
  const { name: found, version } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string; version: string };
  expect(found).toBe(name);
  return { dir, version };
}

/** What node, started in `project`, loads for each specifier (realpaths), importing each for real. */
function nodeResolves(project: string, specifiers: string[]): string[] {
  const script = `import { realpathSync } from "node:fs"; import { fileURLToPath } from "node:url";
for (const specifier of ${JSON.stringify(specifiers)}) { await import(specifier); console.log(realpathSync(fileURLToPath(import.meta.resolve(specifier)))); }`;
  return execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: project, encoding: "utf8", timeout: 60_000 })
    .trim()
    .split("\n");
}

const version = (JSON.parse(readFileSync(path.join(REPO, "runtime/package.json"), "utf8")) as { version: string }).version;

describe("scratch projects get the packed packages, never the repository", () => {
  it("makeProject: node_modules/inject-client is an installed tarball outside the repo, and its dependencies resolve there", () => {
    const project = tempDir("scratch-projects");
    makeProject(project);
    const runtime = installed(project, "inject-client");
    expect(insideRepo(runtime.dir), runtime.dir).toBe(false);
    expect(runtime.version).toBe(version);
    // The tarball has the build only: no TypeScript sources beside it.
    expect(existsSync(path.join(runtime.dir, "index.ts"))).toBe(false);
    expect(existsSync(path.join(runtime.dir, "dist/index.js"))).toBe(true);
    expect(insideRepo(installed(project, "openapi-fetch").dir)).toBe(false);
    // Node, run in the project, loads the runtime (and with it undici, openapi-fetch, smol-toml) from outside the repo.
    const loaded = nodeResolves(project, ["inject-client/runtime"]);
    expect(loaded).toEqual([path.join(runtime.dir, "dist/index.js")]);
    const fromRuntime = execFileSync(
      process.execPath,
      ["-e", `for (const name of ["undici", "openapi-fetch", "smol-toml"]) console.log(require("fs").realpathSync(require.resolve(name)))`],
      { cwd: path.join(runtime.dir, "dist"), encoding: "utf8", timeout: 30_000 },
    )
      .trim()
      .split("\n");
    expect(fromRuntime.filter(insideRepo)).toEqual([]);
  }, 240_000);

  it("copyFixture: inject-client and @inject-client/transformer are installed tarballs outside the repo", () => {
    const project = copyFixture("parity");
    const runtime = installed(project, "inject-client");
    const transformer = installed(project, "@inject-client/transformer");
    for (const { dir } of [runtime, transformer]) expect(insideRepo(dir), dir).toBe(false);
    expect(transformer.version).toBe(version);
    expect(existsSync(path.join(transformer.dir, "index.ts"))).toBe(false);
    // The transformer's own dependencies resolve beside it, and its peer is the same runtime the project has.
    const loaded = nodeResolves(project, ["@inject-client/transformer", "@inject-client/transformer/vite", "inject-client/runtime"]);
    expect(loaded.filter(insideRepo)).toEqual([]);
    expect(loaded[2]).toBe(path.join(runtime.dir, "dist/index.js"));
  }, 240_000);

  it("the scratch roots lie outside the repository: what a project does not link itself does not resolve", () => {
    // Inside the repo, anything a project forgot to link would resolve up the tree to the repo's node_modules
    // (our workspaces among them): here, nothing but what the project holds resolves.
    const STRAYS = ["@inject-client/codegen", "vitest", "typescript"];
    const projects = { tempDir: tempDir("scratch-root"), makeTempDir: makeTempDir("scratch-root"), copyFixture: copyFixture("parity") };
    for (const [helper, dir] of Object.entries(projects)) expect(insideRepo(dir), `${helper}: ${dir}`).toBe(false);
    // Found by node's lookup (a package that exports no `require` entry is found all the same).
    const resolvable = (from: string, name: string) => {
      try {
        createRequire(path.join(from, "noop.js")).resolve(name);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === "ERR_PACKAGE_PATH_NOT_EXPORTED";
      }
    };
    for (const [helper, dir] of Object.entries(projects)) {
      const stray = STRAYS.filter((name) => resolvable(dir, name));
      expect(stray, helper).toEqual([]);
    }
    // The probe can tell: from the repo itself, they resolve.
    expect(STRAYS.filter((name) => resolvable(REPO, name))).toHaveLength(3);
  }, 240_000);
});
