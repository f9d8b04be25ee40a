// The parser the bundler doors use. Under Rolldown (and Vite ≥ 8 on it) the door borrows the host's own
// oxc, `rolldown/utils`' parseSync, found from the project or through its Vite as pnpm lays them out, and
// only for the very version the host runs; anywhere else it loads oxc-parser's. The two must be
// interchangeable: the same edited code, source map and diagnostics on every fixture source, on extra
// shapes (non-ASCII offsets, BigInt and RegExp literals, CommonJS, TSX) and on sources that only mention the tag.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSync as viteParseSync, rolldownVersion } from "vite";
import { afterAll, describe, expect, it } from "vitest";
import { transformCode } from "../../../transformer/core/index.js";
import { oxcParseSync } from "../../../transformer/core/oxc-parse.js";
import { transformWith } from "../../../transformer/core/transform.js";
import { findRolldownUtils, loadParser } from "../../../transformer/doors/unplugin.js";
import { FIXTURES, REPO } from "../support/project.js";

// Outside the repo: resolution from there must not find the repo's node_modules on the way up.
const outside: string[] = [];
afterAll(() => {
  for (const dir of outside.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function projectOutsideRepo(dependencies: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "inject-client-host-parser-"));
  outside.push(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "host-parser-project", private: true }));
  mkdirSync(join(dir, "node_modules"));
  for (const [name, target] of Object.entries(dependencies)) symlinkSync(target, join(dir, "node_modules", name), "dir");
  return dir;
}

const VITE_DIR = realpathSync(join(REPO, "node_modules/vite"));
const ROLLDOWN_UTILS = createRequire(join(VITE_DIR, "package.json")).resolve("rolldown/utils");

describe("finding the host's Rolldown", () => {
  it("resolves rolldown/utils from a project that depends on Rolldown", () => {
    expect(findRolldownUtils(rolldownVersion, REPO)).toBe(ROLLDOWN_UTILS);
    const project = projectOutsideRepo({ rolldown: realpathSync(join(VITE_DIR, "..", "rolldown")) });
    expect(findRolldownUtils(rolldownVersion, project)).toBe(ROLLDOWN_UTILS);
  });

  it("resolves it through the project's Vite where only Vite can reach it (pnpm's layout)", () => {
    const project = projectOutsideRepo({ vite: VITE_DIR });
    // The precondition: the project itself cannot resolve Rolldown.
    expect(() => createRequire(join(project, "package.json")).resolve("rolldown/package.json")).toThrow();
    expect(findRolldownUtils(rolldownVersion, project)).toBe(ROLLDOWN_UTILS);
  });

  it("finds nothing for another version than the host runs, or without Rolldown or Vite", () => {
    expect(findRolldownUtils("0.0.1-not-the-host", REPO)).toBeUndefined();
    expect(findRolldownUtils(rolldownVersion, projectOutsideRepo({}))).toBeUndefined();
  });

  it("gives the host's own parseSync (the module Vite loaded) for the host's version, oxc-parser's otherwise", async () => {
    expect(await loadParser(rolldownVersion)).toBe(viteParseSync);
    expect(await loadParser(undefined)).toBe(oxcParseSync);
    expect(await loadParser("0.0.1-not-the-host")).toBe(oxcParseSync);
  });
});

const SHAPES: Record<string, string> = {
  // Non-ASCII text before the tags: offsets are UTF-16 code units in both parsers or in neither.
  "unicode.ts": `import { injected } from "inject-client/runtime";
import * as rt from "inject-client/runtime";
import { Api } from "./api.js";
// Grüße, 日本語, and an astral 𝒳 before the tags.
const label = "ünïcödé 🎉";
export const big = 12345678901234567890n;
export const pattern = /a+(b|c)?/giu;
/** @injectClient */
export async function first(client: Api = injected()) {
  const 名前 = "値";
  return [名前, label, big, pattern.test("ab")];
}
export const holder = {
  /** @injectClient */
  method: async ({ client }: { client?: Api } = {}) => client,
};
export class Service {
  /** @injectClient */
  async run(id: number, client: Api = rt.injected(Api)) {
    if (id > 0) return (id, client);
    return;
  }
}
export const misused = injected();
`,
  "component.tsx": `import { injected } from "inject-client/runtime";
import { Api } from "./api.js";
/** @injectClient */
export async function render(client: Api = injected(Api)) {
  return <div title="a { b } c">{String(client)} '{"}"}'</div>;
}
`,
  "emitted.js": `"use strict";
const runtime_1 = require("inject-client/runtime");
const api_1 = require("./api.js");
/** @injectClient */
async function load(client = (0, runtime_1.injected)(api_1.Api)) { return client; }
exports.load = load;
`,
};

function fixtureSources(): Array<[string, string]> {
  return readdirSync(FIXTURES).flatMap((fixture) => {
    const src = join(FIXTURES, fixture, "src");
    let files: string[];
    try {
      files = readdirSync(src, { recursive: true, encoding: "utf8" });
    } catch {
      return [];
    }
    return files
      .filter((file) => /\.[cm]?[jt]sx?$/.test(file))
      .map((file): [string, string] => [join(src, file), readFileSync(join(src, file), "utf8")]);
  });
}

/** Sources that mention the tag or the runtime without being tagged: parsed, then left untouched. */
function mentioningSources(): Array<[string, string]> {
  return readdirSync(join(REPO, "transformer"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.startsWith("dist") && !file.endsWith(".d.ts"))
    .map((file): [string, string] => [join(REPO, "transformer", file), readFileSync(join(REPO, "transformer", file), "utf8")])
    .filter(([, code]) => /@injectClient|inject-client\/runtime/.test(code));
}

describe("Rolldown's parser and oxc-parser's give the same transform", () => {
  const sources = [
    ...fixtureSources(),
    ...Object.entries(SHAPES).map(([file, code]): [string, string] => [join(REPO, "virtual", file), code]),
    ...mentioningSources(),
  ];

  it("edited code, map and diagnostics alike, file by file", () => {
    let edited = 0;
    let diagnosed = 0;
    for (const [file, code] of sources) {
      const viaOxcParser = transformCode(code, file);
      expect(transformWith(viteParseSync, code, file), file).toEqual(viaOxcParser);
      if (viaOxcParser?.edited) edited++;
      if (viaOxcParser?.diagnostics.length) diagnosed++;
    }
    // The comparison covers rewrites and misuse, not only files left alone.
    expect(edited).toBeGreaterThan(10);
    expect(diagnosed).toBeGreaterThan(5);
  });

  it("the same CommonJS decision, which reads the module record only for such a file", () => {
    for (const parser of [viteParseSync, oxcParseSync]) {
      const cjs = transformWith(parser, SHAPES["emitted.js"]!, "emitted.js");
      expect(cjs?.code).toContain('const inject_client_runtime = require("inject-client/runtime");');
      const esm = transformWith(parser, `export {};\nconst r = require("x");\n${SHAPES["emitted.js"]!.replace('"use strict";\n', "")}`, "emitted.js");
      expect(esm?.code).toContain('import * as inject_client_runtime from "inject-client/runtime";');
    }
  });

  it("for emitted JavaScript keyed by its TypeScript source", () => {
    const source = {
      fileName: "load.ts",
      code: 'import { injected } from "inject-client/runtime";\nimport { Api } from "./api.js";\n/** @injectClient */\nexport async function load(client: Api = injected()) { return client; }\n',
    };
    const js = source.code.replace("client: Api = ", "client = ");
    const viaOxcParser = transformCode(js, "load.js", { source });
    expect(viaOxcParser?.code).toContain("getOrCreateClient(client, (Api_module.Api ?? ");
    expect(transformWith(viteParseSync, js, "load.js", { source })).toEqual(viaOxcParser);
  });
});
