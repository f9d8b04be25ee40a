// The packed tarballs (what `npm run pack` writes and users install), checked by the two tools the
// ecosystem uses for it: publint (package.json against the files shipped) and arethetypeswrong (types
// and JavaScript resolved under node10, node16 from CJS and ESM, and bundler). And no source map ships:
// a map would point at .ts sources the packages do not contain.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sh } from "../../bench/lib/install.js";
import { REPO } from "../codegen/support.js";

const BIN = path.join(REPO, "node_modules/.bin");
let scratch: string;
let tarballs: string[];

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "inject-client-package-checks-"));
  // The build already ran (pretest); the pack script packs without running it again.
  tarballs = execFileSync(process.execPath, [path.join(REPO, ".ci/pack.mjs"), scratch], { encoding: "utf8" })
    .trim()
    .split("\n");
  expect(tarballs.map((file) => path.basename(file).replace(/-\d+\.\d+\.\d+.*\.tgz$/, ""))).toEqual([
    "inject-client",
    "inject-client-codegen",
    "inject-client-transformer",
  ]);
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(command: string, args: string[]): Promise<{ status: number; output: string }> {
  return promisify(execFile)(path.join(BIN, command), args, {
    cwd: scratch,
    timeout: 60_000,
    maxBuffer: 16 << 20,
    env: { ...process.env, NO_COLOR: "1" },
  }).then(
    ({ stdout, stderr }) => ({ status: 0, output: `${stdout}${stderr}` }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      status: typeof error.code === "number" ? error.code : 1,
      output: `${error.stdout ?? ""}${error.stderr ?? ""}`,
    }),
  );
}

/** A tarball unpacked into its own directory; returns the package directory (npm pack's `package/`). */
function unpack(tarball: string): string {
  const dir = mkdtempSync(path.join(scratch, "unpacked-"));
  execFileSync("tar", ["-xzf", tarball, "-C", dir]);
  return path.join(dir, "package");
}

describe.concurrent("the packed tarballs", () => {
  for (const name of ["inject-client", "inject-client-codegen", "inject-client-transformer"]) {
    const tarball = () =>
      tarballs.find((file) => path.basename(file).startsWith(`${name}-`) && /^[\d.]+\.tgz$/.test(path.basename(file).slice(name.length + 1)))!;

    it(`${name}: publint finds nothing, warnings and suggestions included`, async () => {
      const result = await run("publint", ["run", tarball(), "--strict", "--level", "suggestion"]);
      expect(result.output).toContain("All good!");
      expect(result.status, result.output).toBe(0);
    });

    it(`${name}: arethetypeswrong resolves every entry point's types under node10, node16 (CJS and ESM) and bundler`, async () => {
      // CJSResolvesToESM is the design, not a problem: the packages are ES modules, and `require()` of one
      // works on the Node they declare (>= 20.19) and is typed by TypeScript >= 5.8 (README, "Module settings").
      // JSON, not the console report: its layout (table or list) depends on the terminal's width.
      const result = await run("attw", [tarball(), "--ignore-rules", "cjs-resolves-to-esm", "--format", "json"]);
      expect(result.status, result.output).toBe(0);
      const report = JSON.parse(result.output) as {
        problems: Record<string, unknown[]>;
        analysis: { types: unknown; entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName?: string } }> }> };
      };
      expect(
        Object.keys(report.problems).filter((kind) => kind !== "CJSResolvesToESM"),
        result.output,
      ).toEqual([]);
      if (name === "inject-client-codegen") return; // a command, with no entry point to type
      const entrypoints = Object.entries(report.analysis.entrypoints).filter(([subpath]) => subpath !== "./package.json");
      expect(entrypoints.length).toBeGreaterThan(0);
      for (const [subpath, { resolutions }] of entrypoints) {
        for (const kind of ["node10", "node16-cjs", "node16-esm", "bundler"]) {
          expect(resolutions[kind]?.resolution?.fileName, `${subpath} under ${kind}`).toMatch(/\.d\.[cm]?ts$/);
        }
      }
    }, 60_000);

    it(`${name}: ships no source map and no reference to one`, () => {
      const dir = unpack(tarball());
      const files = (readdirSync(dir, { recursive: true }) as string[]).map((file) => file.split(path.sep).join("/"));
      expect(files.filter((file) => file.endsWith(".map"))).toEqual([]);
      const scripts = files.filter((file) => file.endsWith(".js"));
      expect(scripts.length).toBeGreaterThan(0);
      // tsc's last line, `//# sourceMappingURL=<file>.js.map` (the transformer's code also writes such comments, in strings).
      const mapped = scripts.filter((file) => /\n\/\/# sourceMappingURL=\S+\s*$/.test(readFileSync(path.join(dir, file), "utf8")));
      expect(mapped).toEqual([]);
    });
  }
});

/** The version of a package as this repository has it installed (so the scratch install comes from npm's cache). */
const installedVersion = (name: string) =>
  (JSON.parse(readFileSync(path.join(REPO, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;

describe("@inject-client/transformer's types in a project that checks library declarations", () => {
  it("every door type-checks with skipLibCheck: false next to the bundlers' own types (no unplugin types reached)", async () => {
    const project = mkdtempSync(path.join(scratch, "strict-types-"));
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "strict-types", private: true, type: "module" }));
    const tarball = (name: string) => tarballs.find((file) => new RegExp(`/${name}-[\\d.]+\\.tgz$`).test(file))!;
    const peers = ["vite", "esbuild", "webpack", "typescript", "@types/node"].map((name) => `${name}@${installedVersion(name)}`);
    await sh(`npm install --no-audit --no-fund ${tarball("inject-client")} ${tarball("inject-client-transformer")} ${peers.join(" ")}`, project, {
      timeoutMs: 240_000,
    });
    writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          types: ["node"],
        },
        include: ["use.ts"],
      }),
    );
    writeFileSync(
      path.join(project, "use.ts"),
      `import { defineConfig } from "vite";
import { build } from "esbuild";
import type { Configuration } from "webpack";
import { injectClient as vite } from "@inject-client/transformer/vite";
import { injectClient as esbuild } from "@inject-client/transformer/esbuild";
import { injectClient as webpack } from "@inject-client/transformer/webpack";
import { injectClient as rollup } from "@inject-client/transformer/rollup";
import { injectClient as rolldown } from "@inject-client/transformer/rolldown";
import { injectClient as rspack } from "@inject-client/transformer/rspack";
import bun from "@inject-client/transformer/bun";
export default defineConfig({ plugins: [vite(), rolldown({ exclude: /generated/ })] });
export const webpackConfig: Configuration = { plugins: [webpack()] };
export const built = () => build({ plugins: [esbuild()] });
export const others = [rollup(), rspack(), bun];
`,
    );
    const tsc = spawnTsc(project);
    expect(tsc.output.trim(), tsc.output).toBe("");
    expect(tsc.status).toBe(0);
    // Control: the same project with a type error in the plugin options fails, so the check did run.
    writeFileSync(
      path.join(project, "use.ts"),
      'import { injectClient } from "@inject-client/transformer/vite";\nexport const p = injectClient({ include: 42 });\n',
    );
    expect(spawnTsc(project).output).toMatch(/use\.ts\(2,\d+\): error TS2322/);
  }, 300_000);
});

function spawnTsc(project: string): { status: number | null; output: string } {
  try {
    const output = execFileSync(process.execPath, [path.join(project, "node_modules/typescript/bin/tsc"), "-p", project], {
      encoding: "utf8",
      timeout: 120_000,
    });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number | null; stdout?: string; stderr?: string };
    return { status: failed.status, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}
