// Every door without TypeScript's compiler API runs the e2e fixture (every tagged form, both client
// forms, keyed and keyless, nested tagged functions, returns) and the program's own checks: a passed
// client used untouched, a factory client opened and closed once, a context client of another class
// skipped, fn.name/fn.length kept, stack traces on the user's lines. Doors: esbuild, Rolldown and Rollup
// (the unplugin entries), webpack and Rspack (the same plugin, each with its own type stripping), Node 22's
// type stripping with the register hook, tsx with it (the tsx CLI on Node 20 and 22, and both orders of
// `node --import`), and TypeScript 7's tsc followed by the post-emit CLI (with its failure modes), or
// tsc --noEmit next to a Vite build.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cachedTool, installedTransformer, installPackedPackages } from "../support/installed.js";
import { expectEveryForm, FORMS } from "../support/e2e-forms.js";
import { FIXTURES, makeTempDir, REPO, removeTempDirs } from "../support/project.js";

afterAll(removeTempDirs);

/** The packed tarballs installed once into a scratch project (./support/installed.ts). */
let installed: string;

beforeAll(async () => {
  installed = await installPackedPackages("doors-install");
}, 300_000);

/** A file of the installed @inject-client/transformer package. */
const built = (path: string) => installedTransformer(installed, path);

/** The e2e fixture in a fresh dir, as an ES-module app with `inject-client` installed. */
function e2eProject(name: string, options: { erasable?: boolean; tsExtensions?: boolean } = {}): string {
  const dir = makeTempDir(name);
  cpSync(join(FIXTURES, "e2e/src"), join(dir, "src"), { recursive: true });
  if (options.erasable) cpSync(join(FIXTURES, "doors/erasable/counting-client.ts"), join(dir, "src/counting-client.ts"));
  if (options.tsExtensions) {
    // Node's type stripping runs files as written: relative imports name the .ts file.
    for (const file of readdirSync(join(dir, "src"))) {
      const path = join(dir, "src", file);
      writeFileSync(path, readFileSync(path, "utf8").replace(/(from "\.\/[\w-]+)\.js"/g, '$1.ts"'));
    }
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  mkdirSync(join(dir, "node_modules/@types"), { recursive: true });
  symlinkSync(join(installed, "node_modules/inject-client"), join(dir, "node_modules/inject-client"), "dir");
  symlinkSync(join(REPO, "node_modules/@types/node"), join(dir, "node_modules/@types/node"), "dir");
  return dir;
}

function run(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("bundlers (one unplugin)", () => {
  it("esbuild: the bundle runs every form", async () => {
    const dir = e2eProject("esbuild");
    const { build } = await import("esbuild");
    const { injectClient } = (await import(built("doors/esbuild.js"))) as typeof import("../../../transformer/doors/esbuild.js");
    await build({
      entryPoints: [join(dir, "src/main.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      sourcemap: true,
      outfile: join(dir, "out/main.js"),
      external: ["inject-client/runtime"],
      plugins: [injectClient()],
      logLevel: "silent",
    });
    expect(readFileSync(join(dir, "out/main.js"), "utf8")).toContain("getOrCreateClient(");
    const result = run(process.execPath, ["--enable-source-maps", "out/main.js"], dir);
    expect(result.stderr).toBe("");
    expectEveryForm(result.stdout, { sourceDir: join(dir, "src") });
  });

  it("esbuild: misuse fails the build with file:line:col and the code", async () => {
    const dir = e2eProject("esbuild-misuse");
    writeFileSync(
      join(dir, "src/main.ts"),
      `import { injected } from "inject-client/runtime";\n/** @injectClient */\nexport function sync(client = injected()) {}\n`,
    );
    const { build } = await import("esbuild");
    const { injectClient } = (await import(built("doors/esbuild.js"))) as typeof import("../../../transformer/doors/esbuild.js");
    const failure = build({
      entryPoints: [join(dir, "src/main.ts")],
      bundle: true,
      write: false,
      external: ["inject-client/runtime"],
      plugins: [injectClient()],
      logLevel: "silent",
    });
    await expect(failure).rejects.toThrow(/src\/main\.ts:3:1 - error TS47002: @injectClient: sync is not async/);
  });

  it("Rolldown: the bundle runs every form", async () => {
    const dir = e2eProject("rolldown");
    const { rolldown } = await import("rolldown");
    const { injectClient } = (await import(built("doors/rolldown.js"))) as typeof import("../../../transformer/doors/rolldown.js");
    const bundle = await rolldown({
      input: join(dir, "src/main.ts"),
      platform: "node",
      external: ["inject-client/runtime"],
      plugins: [injectClient() as never],
      logLevel: "silent",
    });
    await bundle.write({ file: join(dir, "out/main.js"), format: "esm", sourcemap: true });
    await bundle.close();
    const result = run(process.execPath, ["--enable-source-maps", "out/main.js"], dir);
    expect(result.stderr).toBe("");
    expectEveryForm(result.stdout, { sourceDir: join(dir, "src") });
  });
});

describe("Rollup (the same unplugin)", () => {
  /** Rollup reads no TypeScript: relative `.js` imports resolve to the `.ts` file, and esbuild strips the types after the door. */
  const typescriptForRollup = {
    name: "typescript-for-the-test",
    async resolveId(source: string, importer: string | undefined) {
      if (!importer || !source.startsWith(".")) return null;
      const candidate = join(importer, "..", source.replace(/\.js$/, ".ts"));
      return existsSync(candidate) ? candidate : null;
    },
    async transform(code: string, id: string) {
      if (!id.endsWith(".ts")) return null;
      const { transform } = await import("esbuild");
      const out = await transform(code, { loader: "ts", format: "esm", target: "es2022", sourcemap: "external", sourcefile: id });
      return { code: out.code, map: out.map };
    },
  };

  it("rollup@4: the bundle runs every form", async () => {
    const bin = cachedTool("rollup4", "rollup@4.68.5", "rollup");
    const { rollup } = (await import(createRequire(bin).resolve("rollup"))) as { rollup: typeof import("rolldown").rolldown };
    const dir = e2eProject("rollup");
    const { injectClient } = (await import(built("doors/rollup.js"))) as typeof import("../../../transformer/doors/rollup.js");
    const bundle = await rollup({
      input: join(dir, "src/main.ts"),
      external: ["inject-client/runtime"],
      plugins: [injectClient() as never, typescriptForRollup as never],
      logLevel: "silent",
    } as never);
    await bundle.write({ file: join(dir, "out/main.js"), format: "esm", sourcemap: true });
    await bundle.close();
    expect(readFileSync(join(dir, "out/main.js"), "utf8")).toContain("getOrCreateClient(");
    const result = run(process.execPath, ["--enable-source-maps", "out/main.js"], dir);
    expect(result.stderr).toBe("");
    expectEveryForm(result.stdout, { sourceDir: join(dir, "src") });
  }, 60_000);
});

/** The types stripped for webpack (it has no TypeScript of its own): esbuild per module, its map chained onto the one before. */
function stripTypesLoader(dir: string): string {
  const path = join(dir, "strip-types-loader.cjs");
  writeFileSync(
    path,
    `const { transformSync } = require(${JSON.stringify(join(REPO, "node_modules/esbuild"))});
const remapping = require(${JSON.stringify(join(REPO, "node_modules/@jridgewell/remapping"))});
const { dirname, resolve } = require("node:path");
module.exports = function (code, map) {
  const out = transformSync(code, { loader: "ts", format: "esm", target: "es2022", sourcemap: "external", sourcefile: this.resourcePath });
  const chained = map ? remapping([JSON.parse(out.map), map], () => null) : JSON.parse(out.map);
  // The core names its source relative to the file; webpack wants where the file is.
  chained.sources = chained.sources.map((source) => resolve(dirname(this.resourcePath), source));
  this.callback(null, out.code, chained);
};
`,
  );
  return path;
}

type PackBundler = "webpack" | "rspack";

/** A webpack or Rspack build of `src/main.ts` to an ES module (Node runs it), with the door's plugin; resolves to the stats' errors. */
async function pack(bundler: PackBundler, dir: string): Promise<string[]> {
  const { injectClient } = (await import(built(`doors/${bundler}.js`))) as typeof import("../../../transformer/doors/webpack.js");
  const typescript =
    bundler === "webpack"
      ? { loader: stripTypesLoader(dir) }
      : { loader: "builtin:swc-loader", options: { jsc: { parser: { syntax: "typescript" }, target: "es2022" } } };
  const config = {
    mode: "none" as const,
    context: dir,
    entry: join(dir, "src/main.ts"),
    target: "node",
    devtool: "source-map" as const,
    experiments: { outputModule: true },
    output: {
      path: join(dir, "out"),
      filename: "main.js",
      module: true,
      library: { type: "module" },
      devtoolModuleFilenameTemplate: "[absolute-resource-path]",
    },
    externalsType: "module" as const,
    externals: { "inject-client/runtime": "inject-client/runtime" },
    resolve: { extensions: [".ts", ".js"], extensionAlias: { ".js": [".ts", ".js"] } },
    module: { rules: [{ test: /\.ts$/, use: [typescript] }] },
    plugins: [injectClient()],
    infrastructureLogging: { level: "none" as const },
  };
  const { default: compile } = (await import(bundler === "webpack" ? "webpack" : "@rspack/core")) as {
    default: (config: unknown, done: (error: Error | null, stats?: PackStats) => void) => PackCompiler;
  };
  return new Promise((resolve, reject) => {
    const compiler = compile(config, (error, stats) => {
      compiler.close(() => (error ? reject(error) : resolve(stats!.toJson({ all: false, errors: true }).errors!.map((entry) => entry.message))));
    });
  });
}
interface PackStats {
  toJson(options: object): { errors?: Array<{ message: string }> };
}
interface PackCompiler {
  close(done: () => void): void;
}

describe.each<PackBundler>(["webpack", "rspack"])("%s (the same unplugin)", (bundler) => {
  it(`${bundler}: the bundle runs every form`, async () => {
    const dir = e2eProject(bundler);
    expect(await pack(bundler, dir)).toEqual([]);
    expect(readFileSync(join(dir, "out/main.js"), "utf8")).toContain("getOrCreateClient(");
    const result = run(process.execPath, ["--enable-source-maps", "out/main.js"], dir);
    expect(result.stderr).toBe("");
    // swc's map has no name where these functions start, so Node names their frames after the caller's
    // identifier in main.ts (`at expression`, `at Service`, `at api`): the frame names are Rspack's, not
    // the transform's. fn.name is still checked, and every frame's file:line.
    const anyName = Object.fromEntries(Object.keys(FORMS).map((form) => [form, /^at [\w.]+ \(/]));
    expectEveryForm(result.stdout, { sourceDir: join(dir, "src"), frames: bundler === "rspack" ? anyName : {} });
  }, 30_000);

  it(`${bundler}: misuse fails the build with file:line:col and the code`, async () => {
    const dir = e2eProject(`${bundler}-misuse`);
    writeFileSync(
      join(dir, "src/main.ts"),
      `import { injected } from "inject-client/runtime";\n/** @injectClient */\nexport function sync(client = injected()) {}\n`,
    );
    const errors = await pack(bundler, dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/src\/main\.ts:3:1 - error TS47002: @injectClient: sync is not async/);
  }, 30_000);
});

describe("Node's loaders", () => {
  it("node@22 --import …/register runs the TypeScript as written, with type stripping", () => {
    const node = cachedTool("node22", "node@22", "node");
    expect(run(node, ["--version"], REPO).stdout).toMatch(/^v22\.(1[89]|[2-9]\d)\./);
    const dir = e2eProject("node22", { erasable: true, tsExtensions: true });
    const result = run(node, ["--enable-source-maps", "--import", built("doors/register.js"), "src/main.ts"], dir);
    expect(result.stderr).toBe("");
    expectEveryForm(result.stdout, { sourceDir: join(dir, "src") });
  });

  it("node@22 without the hook: the same program fails (the hook is what makes it work)", () => {
    const node = cachedTool("node22", "node@22", "node");
    const dir = e2eProject("node22-plain", { erasable: true, tsExtensions: true });
    const result = run(node, ["src/main.ts"], dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/InjectedNotTransformedError|was not transformed/);
  });

  it("node@22 --import …/register fails the import of a misused file with file:line:col", () => {
    const node = cachedTool("node22", "node@22", "node");
    const dir = e2eProject("node22-misuse", { erasable: true, tsExtensions: true });
    writeFileSync(
      join(dir, "src/main.ts"),
      `import { injected } from "inject-client/runtime";\n\n/** @injectClient */\nexport async function none(other: string) {}\n`,
    );
    const result = run(node, ["--import", built("doors/register.js"), "src/main.ts"], dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`${join(dir, "src/main.ts")}:4:1 - error TS47003: @injectClient: none has no client to inject`);
  });

  it("tsx, with the hook registered before it (node --import …/register --import tsx)", () => {
    const dir = e2eProject("tsx");
    symlinkSync(join(REPO, "node_modules/tsx"), join(dir, "node_modules/tsx"), "dir");
    const result = run(process.execPath, ["--enable-source-maps", "--import", built("doors/register.js"), "--import", "tsx", "src/main.ts"], dir);
    expect(result.stderr).toBe("");
    expectEveryForm(result.stdout, { sourceDir: join(dir, "src") });
  });

  // The tsx CLI registers its hooks before ours. On Node 20 they are `module.register` hooks, which run
  // after ours: tsx compiles first (comments gone), so our hook hands tsx the rewritten file itself. On
  // Node ≥ 22.15 tsx uses in-thread `registerHooks`, and our hook sees the file as written.
  it.each([
    ["Node 20 (this node)", () => process.execPath],
    ["node@22", () => cachedTool("node22", "node@22", "node")],
  ])("tsx --import …/register app.ts (the tsx CLI) runs every form, %s", (_label, node) => {
    const dir = e2eProject("tsx-cli");
    const tsx = join(REPO, "node_modules/tsx/dist/cli.mjs");
    const result = run(node(), ["--enable-source-maps", tsx, "--import", built("doors/register.js"), "src/main.ts"], dir);
    expect(result.stderr).toBe("");
    expectEveryForm(result.stdout, { sourceDir: join(dir, "src") });
  });

  it("node --import tsx --import …/register (tsx first, by hand) runs every form too", () => {
    const dir = e2eProject("tsx-first");
    symlinkSync(join(REPO, "node_modules/tsx"), join(dir, "node_modules/tsx"), "dir");
    const result = run(process.execPath, ["--enable-source-maps", "--import", "tsx", "--import", built("doors/register.js"), "src/main.ts"], dir);
    expect(result.stderr).toBe("");
    expectEveryForm(result.stdout, { sourceDir: join(dir, "src") });
  });

  it("another compiler that ran first and dropped the tags fails the import with how to order them, never silently", () => {
    const dir = e2eProject("compiled-first");
    // A stand-in for a loader that is not tsx and compiles before our hook: it drops the JSDoc comments, tags included.
    writeFileSync(
      join(dir, "drop-comments.mjs"),
      String.raw`export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  return url.endsWith("forms.ts") ? { ...loaded, source: String(loaded.source).replace(/\/\*\*[\s\S]*?\*\//g, "") } : loaded;
}
`,
    );
    writeFileSync(
      join(dir, "register-drop-comments.mjs"),
      `import { register } from "node:module";\nregister("./drop-comments.mjs", import.meta.url);\n`,
    );
    symlinkSync(join(REPO, "node_modules/tsx"), join(dir, "node_modules/tsx"), "dir");
    // Order: tsx (outermost), inject-client, the comment-dropper (innermost, so it runs before our hook sees the file).
    const result = run(
      process.execPath,
      ["--import", "./register-drop-comments.mjs", "--import", built("doors/register.js"), "--import", "tsx", "src/main.ts"],
      dir,
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(
      `${join(dir, "src/forms.ts")}: another loader compiled this file before inject-client's hook saw it, and its /** @injectClient */ tags are gone. Register inject-client first: node --import @inject-client/transformer/register --import tsx app.ts`,
    );
  });
});

describe("TypeScript 7: tsc, then inject-client-transform", () => {
  let tsc: string;
  const tsconfig = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2022", "ESNext.Disposable"],
        types: ["node"],
        strict: true,
        skipLibCheck: true,
        rootDir: "src",
        outDir: "dist",
        sourceMap: true,
        ...extra,
      },
      include: ["src"],
    });
  const cli = (dir: string) => run(process.execPath, [built("doors/transform-cli.js"), "dist"], dir);
  beforeAll(() => {
    tsc = cachedTool("typescript7", "typescript@7.0.2", "tsc");
  });

  it("type-checks and emits with tsc 7.0.2; the CLI rewrites the emit, and node runs every form", () => {
    expect(run(tsc, ["--version"], REPO).stdout).toContain("Version 7.0.2");
    const dir = e2eProject("ts7");
    writeFileSync(join(dir, "tsconfig.json"), tsconfig());
    const compiled = run(tsc, ["-p", "."], dir);
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.status).toBe(0);
    // Untransformed, the emit throws InjectedNotTransformedError.
    expect(run(process.execPath, ["dist/main.js"], dir).status).not.toBe(0);
    const untagged = readFileSync(join(dir, "dist/counting-client.js"));
    const transformed = cli(dir);
    expect([transformed.status, transformed.stderr]).toEqual([0, ""]);
    expect(transformed.stdout).toBe("inject-client-transform: 1 file rewritten in dist\n");
    expect(readFileSync(join(dir, "dist/counting-client.js")).equals(untagged)).toBe(true);
    const result = run(process.execPath, ["--enable-source-maps", "dist/main.js"], dir);
    expect(result.stderr).toBe("");
    // The chained map still points at src/forms.ts, line by line.
    expectEveryForm(result.stdout, { sourceDir: join(dir, "src") });
  });

  it("an incremental rebuild that emits nothing new: the CLI run again rewrites nothing, and every form still runs", () => {
    const dir = e2eProject("ts7-incremental");
    writeFileSync(join(dir, "tsconfig.json"), tsconfig({ incremental: true }));
    expect(run(tsc, ["-p", "."], dir).status).toBe(0);
    expect(cli(dir).stdout).toBe("inject-client-transform: 1 file rewritten in dist\n");
    const rewritten = readFileSync(join(dir, "dist/forms.js"));
    // Nothing changed in src/: tsc emits nothing, and dist/forms.js is still the rewritten file.
    expect(run(tsc, ["-p", "."], dir).status).toBe(0);
    expect(readFileSync(join(dir, "dist/forms.js")).equals(rewritten)).toBe(true);
    const again = cli(dir);
    expect([again.status, again.stderr, again.stdout]).toEqual([0, "", "inject-client-transform: 0 files rewritten in dist\n"]);
    expect(readFileSync(join(dir, "dist/forms.js")).equals(rewritten)).toBe(true);
    const result = run(process.execPath, ["--enable-source-maps", "dist/main.js"], dir);
    expect(result.stderr).toBe("");
    expectEveryForm(result.stdout, { sourceDir: join(dir, "src") });
  });

  it("type-checks with tsc 7.0.2 --noEmit, builds with Vite (SSR, @inject-client/transformer/vite), and node runs every form", async () => {
    const dir = e2eProject("ts7-vite");
    writeFileSync(join(dir, "tsconfig.json"), tsconfig());
    const checked = run(tsc, ["-p", ".", "--noEmit"], dir);
    expect([checked.status, checked.stdout + checked.stderr]).toEqual([0, ""]);
    expect(existsSync(join(dir, "dist"))).toBe(false);
    const { build } = await import("vite");
    const { injectClient } = (await import(built("vite.js"))) as typeof import("../../../transformer/vite.js");
    await build({
      root: dir,
      configFile: false,
      logLevel: "silent",
      plugins: [injectClient()],
      ssr: { external: ["inject-client"] },
      build: {
        ssr: join(dir, "src/main.ts"),
        outDir: join(dir, "out"),
        sourcemap: true,
        minify: false,
        rolldownOptions: { output: { entryFileNames: "main.js" } },
      },
    });
    expect(readFileSync(join(dir, "out/main.js"), "utf8")).toContain("getOrCreateClient(");
    const result = run(process.execPath, ["--enable-source-maps", "out/main.js"], dir);
    expect(result.stderr).toBe("");
    expectEveryForm(result.stdout, { sourceDir: join(dir, "src") });
  }, 30_000);

  it("a tag lost to removeComments is an error naming the emitted file and line, and nothing is written", () => {
    const dir = e2eProject("ts7-lost-tag");
    writeFileSync(join(dir, "tsconfig.json"), tsconfig({ removeComments: true }));
    expect(run(tsc, ["-p", "."], dir).status).toBe(0);
    const before = readFileSync(join(dir, "dist/forms.js"), "utf8");
    const transformed = cli(dir);
    expect(transformed.status).toBe(1);
    const lines = transformed.stderr.trim().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    // Paths as tsc prints them: relative to where the command runs.
    for (const line of lines) expect(line).toMatch(/^dist\/forms\.js:\d+:\d+ - error TS47004: @injectClient: injected\(\) only works as the default/);
    expect(readFileSync(join(dir, "dist/forms.js"), "utf8")).toBe(before);
  });

  it("misuse in the source is reported at the .ts line (tspc's diagnostic), exit 1", () => {
    const dir = e2eProject("ts7-misuse");
    writeFileSync(join(dir, "tsconfig.json"), tsconfig());
    writeFileSync(
      join(dir, "src/main.ts"),
      `import { injected, type ManagedClient } from "inject-client/runtime";\ninterface Shaped extends ManagedClient { name: string }\n/** @injectClient */\nexport async function f(client: Shaped = injected()) { return client.name; }\n`,
    );
    expect(run(tsc, ["-p", "."], dir).status).toBe(0);
    const transformed = cli(dir);
    expect(transformed.status).toBe(1);
    expect(transformed.stderr).toBe(
      `${join(dir, "src/main.ts")}:4:42 - error TS47007: @injectClient: in f, cannot tell which client class \`client\` is: \`Shaped\` is an interface, not a class. Name the class in the placeholder: write \`injected(TheClass)\`, e.g. \`client: PrefectClient = injected(PrefectClient)\`.\n`,
    );
  });

  it("usage errors exit 2 with one line", () => {
    const dir = makeTempDir("ts7-usage");
    expect(run(process.execPath, [built("doors/transform-cli.js")], dir)).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^usage: inject-client-transform <outDir>/),
    });
    expect(run(process.execPath, [built("doors/transform-cli.js"), "missing"], dir)).toEqual({
      status: 2,
      stdout: "",
      stderr: "inject-client-transform: missing is not a directory\n",
    });
  });
});
