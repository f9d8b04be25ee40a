// Differential: untagged TypeScript compiles byte-identically with the transformer (tspc) and
// without it (plain tsc). The code base: this package's runtime and transformer sources (which
// mention "@injectClient" and "inject-client/runtime" in comments and strings, so they take the
// full analysis path, not just the text pre-check) and ajv's TypeScript sources from node_modules.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { isAbsolute, join, parse, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkPackedPackages } from "../support/installed-packages.js";
import { makeTempDir, REPO, removeTempDirs, TSPC } from "./support/project.js";

afterAll(removeTempDirs);

/** The file system's root: the one folder above both the repo and the scratch dir (os.tmpdir()). */
const ROOT = parse(REPO).root;
const isInside = (parent: string, file: string) => {
  const rel = relative(parent, file);
  return !rel.startsWith("..") && !isAbsolute(rel);
};

const SOURCES = ["runtime/**/*.ts", "transformer/**/*.ts", "node_modules/ajv/lib/**/*.ts"];

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe("untagged code under the transformer", () => {
  let dir: string;
  const compile = (compiler: string, outDir: string, withPlugin: boolean) => {
    const tsconfig = {
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2022", "ESNext.Disposable"],
        types: ["node"],
        strict: true,
        skipLibCheck: true,
        // Emit is what is compared; type-checking ajv under our settings is not the point.
        noCheck: true,
        declaration: true,
        sourceMap: true,
        // The repo's sources and the control (in a scratch dir outside the repo) share only the root.
        rootDir: ROOT,
        outDir,
        ...(withPlugin ? { plugins: [{ transform: "@inject-client/transformer" }] } : {}),
      },
      include: [...SOURCES.map((pattern) => join(REPO, pattern)), "control/*.ts"],
      exclude: ["**/*.test.ts", join(REPO, "node_modules/ajv/lib/**/*.d.ts")],
    };
    const config = join(dir, `tsconfig.${outDir}.json`);
    writeFileSync(config, JSON.stringify(tsconfig, null, 2));
    // Exit codes are not compared: both runs emit regardless, and that emit is the subject.
    return promisify(execFile)(process.execPath, [compiler, "-p", config, "--pretty", "false"], { cwd: dir, maxBuffer: 64 << 20 }).then(
      ({ stdout }) => stdout,
      (error: { stdout?: string }) => error.stdout ?? "",
    );
  };

  let control: string;
  let patchedOutput: string;
  beforeAll(async () => {
    dir = makeTempDir("differential");
    // The transformer tspc loads, and the runtime the control imports: as installed from their tarballs.
    linkPackedPackages(dir, ["inject-client", "@inject-client/transformer"]);
    symlinkSync(join(REPO, "node_modules/@types"), join(dir, "node_modules/@types"), "dir");
    // The positive control: one tagged file, so a transformer that never ran cannot pass.
    mkdirSync(join(dir, "control"));
    writeFileSync(
      join(dir, "control/tagged.ts"),
      'import { injected, type ManagedClient } from "inject-client/runtime";\n' +
        "class Api implements ManagedClient { closed = false; async [Symbol.asyncDispose]() {} }\n" +
        "/** @injectClient */\nexport async function tagged(client: Api = injected(Api)) {\n  return client;\n}\n",
    );
    control = relative(ROOT, join(dir, "control/tagged"));
    [, patchedOutput] = await Promise.all([compile(join(REPO, "node_modules/typescript/bin/tsc"), "plain", false), compile(TSPC, "patched", true)]);
  });

  it("covers a sizeable code base that reaches the analysis (not only the text pre-check)", () => {
    const files = listFiles(join(dir, "plain")).filter((file) => file.endsWith(".js") && isInside(REPO, join(ROOT, file)));
    expect(files.length).toBeGreaterThan(100);
    const sources = files.map((file) => readFileSync(join(ROOT, file.replace(/\.js$/, ".ts")), "utf8"));
    expect(sources.filter((text) => text.includes("@injectClient")).length).toBeGreaterThan(0);
    expect(sources.filter((text) => text.includes("inject-client/runtime")).length).toBeGreaterThan(0);
  });

  it("reports no misuse in code that only mentions the tag (comments, strings)", () => {
    expect(patchedOutput).not.toMatch(/TS470\d\d/);
  });

  it("emits the same files, byte for byte (JavaScript, declarations, source maps)", () => {
    const plain = listFiles(join(dir, "plain"));
    expect(listFiles(join(dir, "patched"))).toEqual(plain);
    const different = plain.filter((file) => !readFileSync(join(dir, "plain", file)).equals(readFileSync(join(dir, "patched", file))));
    // Only the control's JavaScript (and its map) changed; its declaration did not.
    expect(different).toEqual([`${control}.js`, `${control}.js.map`]);
    expect(readFileSync(join(dir, "patched", `${control}.js`), "utf8")).toContain("getOrCreateClient(client, Api)");
  });
});
