// The register door's CommonJS half (transformer/doors/require-hook.ts), end to end with the packed
// tarballs: tsx compiles CommonJS TypeScript (a .ts in a "type": "commonjs" package, a .cts) in its own
// require hook, which Node's module hooks never see. The e2e fixture as a CommonJS app runs every form
// (frames on the user's lines) under the tsx CLI on Node 20 and 22 and both orders of `node --import`;
// a tagged .cts, misuse (file:line:col), untagged files compiled byte for byte as without the hook, one
// rewrite per file, tsx's own register()/unregister(), node_modules left alone, and Node's own CommonJS
// loader (JavaScript on Node 20, type stripping on Node 22) without tsx.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cachedTool, installedTransformer, installPackedPackages } from "../support/installed.js";
import { expectEveryForm } from "../support/e2e-forms.js";
import { FIXTURES, makeTempDir, REPO, removeTempDirs } from "../support/project.js";

afterAll(removeTempDirs);

/** The packed tarballs installed once into a scratch project (./support/installed.ts). */
let installed: string;

beforeAll(async () => {
  installed = await installPackedPackages("require-hook-install");
}, 300_000);

/** The installed `@inject-client/transformer/register`. */
const register = () => installedTransformer(installed, "doors/register.js");
const TSX_CLI = join(REPO, "node_modules/tsx/dist/cli.mjs");

const node20 = () => process.execPath;
const node22 = () => cachedTool("node22", "node@22", "node");

interface Runner {
  label: string;
  node: () => string;
  /** Node's arguments before the entry, given the register module. */
  args: (registerPath: string) => string[];
}
const tsxCli = (label: string, node: () => string): Runner => ({ label, node, args: (path) => [TSX_CLI, "--import", path] });
const registerFirst = (label: string, node: () => string): Runner => ({ label, node, args: (path) => ["--import", path, "--import", "tsx"] });
const tsxFirst = (label: string, node: () => string): Runner => ({ label, node, args: (path) => ["--import", "tsx", "--import", path] });

const NODE20_RUNNERS = [
  tsxCli("the tsx CLI, Node 20", node20),
  registerFirst("node --import …/register --import tsx, Node 20", node20),
  tsxFirst("node --import tsx --import …/register, Node 20", node20),
];
const NODE22_RUNNERS = [
  tsxCli("the tsx CLI, node@22", node22),
  registerFirst("node@22 --import …/register --import tsx", node22),
  tsxFirst("node@22 --import tsx --import …/register", node22),
];

function run(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runWith(runner: Runner, entry: string, cwd: string, before: string[] = []) {
  return run(runner.node(), ["--enable-source-maps", ...before, ...runner.args(register()), entry], cwd);
}

/** A CommonJS app (`"type": "commonjs"`) with `files`, inject-client and tsx installed. */
function commonJsApp(name: string, files: Record<string, string> = {}): string {
  const dir = makeTempDir(name);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "commonjs" }));
  mkdirSync(join(dir, "node_modules/@types"), { recursive: true });
  symlinkSync(join(installed, "node_modules/inject-client"), join(dir, "node_modules/inject-client"), "dir");
  symlinkSync(join(REPO, "node_modules/tsx"), join(dir, "node_modules/tsx"), "dir");
  symlinkSync(join(REPO, "node_modules/@types/node"), join(dir, "node_modules/@types/node"), "dir");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/**
 * The e2e fixture as a CommonJS app. With `cts`, its entry and counting-client are .cts files (forms.ts
 * keeps its name: the frames are checked against it; in this package it is CommonJS too).
 */
function e2eCommonJs(name: string, { cts = false } = {}): string {
  const dir = commonJsApp(name);
  cpSync(join(FIXTURES, "e2e/src"), join(dir, "src"), { recursive: true });
  if (cts) {
    for (const file of readdirSync(join(dir, "src"))) {
      const path = join(dir, "src", file);
      writeFileSync(path, readFileSync(path, "utf8").replace('from "./counting-client.js"', 'from "./counting-client.cjs"'));
    }
    for (const file of ["main", "counting-client"]) renameSync(join(dir, `src/${file}.ts`), join(dir, `src/${file}.cts`));
  }
  return dir;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The line of `marker` in `file` (1-based). */
function lineOf(file: string, marker: string): number {
  const line =
    readFileSync(file, "utf8")
      .split("\n")
      .findIndex((text) => text.includes(marker)) + 1;
  expect(line).toBeGreaterThan(0);
  return line;
}

/** The top frame of `where` (called on `module.exports`, V8 names it `Object.where`) at the line marked `// stack: <marker>` of `file`. */
function frameIn(dir: string, file: string, marker: string) {
  const line = lineOf(join(dir, file), `// stack: ${marker}`);
  return expect.stringMatching(new RegExp(`^at (Object\\.)?where \\(${escapeRegExp(join(dir, file))}:${line}:\\d+\\)$`));
}

describe("the e2e program as CommonJS TypeScript under tsx", () => {
  it.each([...NODE20_RUNNERS, NODE22_RUNNERS[0]!])('a .ts entry in a "type": "commonjs" package runs every form: $label', (runner) => {
    const dir = e2eCommonJs("cjs-ts");
    const result = runWith(runner, "src/main.ts", dir);
    expect(result.stderr).toBe("");
    expectEveryForm(result.stdout, { sourceDir: join(dir, "src") });
  });

  // On Node 20 tsx runs a .cts entry in Node's ES module loader, where require() of an ES module with
  // imports fails in Node itself (inject-client/runtime is one), with or without inject-client.
  it.each(NODE22_RUNNERS)("a .cts entry requiring a .cts runs every form: $label", (runner) => {
    const dir = e2eCommonJs("cjs-cts", { cts: true });
    const result = runWith(runner, "src/main.cts", dir);
    expect(result.stderr).toBe("");
    expectEveryForm(result.stdout, { sourceDir: join(dir, "src") });
  });

  it("without the hook, the same program fails: the hook is what makes it work", () => {
    const dir = e2eCommonJs("cjs-no-hook");
    const result = run(process.execPath, [TSX_CLI, "src/main.ts"], dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("InjectedNotTransformedError");
  });
});

/** A tagged .cts (the key read from the annotation, which tsx erases) and a .ts entry that requires it. */
const TAGGED_CTS = {
  "src/tagged.cts": `import { injected, setClientFactory, type ManagedClient } from "inject-client/runtime";

export class Api implements ManagedClient {
  closed = false;
  async [Symbol.asyncDispose]() {
    this.closed = true;
  }
}
setClientFactory(Api, () => new Api());

/** @injectClient */
export async function where(client: Api = injected()): Promise<string> {
  return \`\${client.constructor.name} \${new Error().stack!.split("\\n")[1]!.trim()}\`; // stack: where
}
`,
  "src/main.ts": `import { where } from "./tagged.cjs";\nwhere().then((line) => console.log(line));\n`,
};

describe("a tagged .cts file", () => {
  it.each(NODE20_RUNNERS)("required from a .ts entry: rewritten, its frame on its own line: $label", (runner) => {
    const dir = commonJsApp("tagged-cts", TAGGED_CTS);
    const result = runWith(runner, "src/main.ts", dir);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(`Api at where (${join(dir, "src/tagged.cts")}:${lineOf(join(dir, "src/tagged.cts"), "// stack: where")}:40)\n`);
  });

  it("as the entry of the tsx CLI on Node 20: an error that says why and what to do instead, not the ordering one", () => {
    const dir = commonJsApp("tagged-cts-entry", TAGGED_CTS);
    const result = runWith(NODE20_RUNNERS[0]!, "src/tagged.cts", dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(
      `${join(dir, "src/tagged.cts")}: tsx compiles this CommonJS file in Node's ES module loader, from the disk, so inject-client cannot rewrite its /** @injectClient */ functions. On Node 20, require() it from CommonJS instead (e.g. from a .ts entry in a "type": "commonjs" package), or run Node 22.`,
    );
    expect(result.stderr).not.toContain("Register inject-client first");
  });
});

describe("misuse in CommonJS fails the require with file:line:col", () => {
  it("in a .ts entry of a commonjs package (the tsx CLI, Node 20)", () => {
    const dir = commonJsApp("misuse-ts", {
      "src/main.ts": `import { injected } from "inject-client/runtime";\n\n/** @injectClient */\nexport async function none(other: string) {}\n`,
    });
    const result = runWith(NODE20_RUNNERS[0]!, "src/main.ts", dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`${join(dir, "src/main.ts")}:4:1 - error TS47003: @injectClient: none has no client to inject`);
  });

  it("in a .cts a .ts entry requires (node --import …/register --import tsx, Node 20)", () => {
    const dir = commonJsApp("misuse-cts", {
      "src/lib.cts": `import { injected } from "inject-client/runtime";\n/** @injectClient */\nexport function sync(client = injected()) {}\n`,
      "src/main.ts": `import { sync } from "./lib.cjs";\nsync();\n`,
    });
    const result = runWith(NODE20_RUNNERS[1]!, "src/main.ts", dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`${join(dir, "src/lib.cts")}:3:1 - error TS47002: @injectClient: sync is not async`);
  });
});

describe("what the hook leaves as it was", () => {
  /** Saves what each file of src/ is compiled as (the text its handler hands to `_compile`) under `out`. */
  const RECORDER = `const { mkdirSync, writeFileSync } = require("node:fs");
const Module = require("node:module");
const { basename, join } = require("node:path");
const out = process.env.RECORD_TO;
mkdirSync(out, { recursive: true });
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename, ...rest) {
  if (filename.startsWith(join(process.cwd(), "src"))) writeFileSync(join(out, basename(filename)), content);
  return compile.call(this, content, filename, ...rest);
};
`;

  it("untagged files compile byte for byte as without the hook; a tagged one is rewritten once, with two copies of the package too", async () => {
    const dir = e2eCommonJs("untagged");
    writeFileSync(join(dir, "record.cjs"), RECORDER);
    const second = join(installed, "node_modules/@inject-client/transformer-copy");
    if (!existsSync(second)) cpSync(join(installed, "node_modules/@inject-client/transformer"), second, { recursive: true });
    const compiled = (name: string, hooks: string[]) => {
      const out = join(dir, "compiled", name);
      const result = spawnSync(process.execPath, ["--require", "./record.cjs", ...hooks, "--import", "tsx", "src/main.ts"], {
        cwd: dir,
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, RECORD_TO: out },
      });
      return { result, file: (file: string) => readFileSync(join(out, file), "utf8") };
    };
    const without = compiled("without", []);
    const once = compiled("once", ["--import", register()]);
    const twice = compiled("twice", ["--import", register(), "--import", join(second, "dist/doors/register.js")]);
    expect(without.result.stderr).toContain("InjectedNotTransformedError");
    for (const { result } of [once, twice]) {
      expect(result.stderr).toBe("");
      expectEveryForm(result.stdout, { sourceDir: join(dir, "src") });
    }
    for (const file of ["main.ts", "counting-client.ts"]) {
      expect(once.file(file)).toBe(without.file(file));
      expect(twice.file(file)).toBe(without.file(file));
    }
    // One pass of the core over forms.ts: as many getOrCreateClient calls as the core writes once, with one copy or two.
    const core = (await import(
      join(installed, "node_modules/@inject-client/transformer/dist/core/index.js")
    )) as typeof import("../../../transformer/core/index.js");
    const calls = (text: string) => text.split("getOrCreateClient(").length - 1;
    const expected = calls(core.transformCode(readFileSync(join(dir, "src/forms.ts"), "utf8"), join(dir, "src/forms.ts"))!.code);
    expect(expected).toBeGreaterThan(0);
    expect(calls(once.file("forms.ts"))).toBe(expected);
    expect(twice.file("forms.ts")).toBe(once.file("forms.ts"));
  });

  it("tsx's own register() and unregister() (tsx/cjs/api) leave require.extensions as they found it; Node's handler is served after", () => {
    const lib = (name: string) => `const { injected, setClientFactory } = require("inject-client/runtime");
class Api { closed = false; async [Symbol.asyncDispose]() { this.closed = true; } }
setClientFactory(Api, () => new Api());
/** @injectClient */
async function where(client = injected(Api)) {
  return new Error().stack.split("\\n")[1].trim(); // stack: ${name}
}
module.exports = { where };
`;
    const dir = commonJsApp("tsx-api", {
      "src/tagged.cts": TAGGED_CTS["src/tagged.cts"],
      "src/plain.cjs": lib("plain"),
      "src/main.cjs": `const Module = require("node:module");
const handlers = () => Object.keys(Module._extensions).map((key) => [key, Module._extensions[key]]);
const before = handlers();
const unregister = require("tsx/cjs/api").register();
const { where } = require("./tagged.cts");
where().then(async (line) => {
  unregister();
  const after = handlers();
  const same = after.length === before.length && after.every(([key, handler], index) => key === before[index][0] && handler === before[index][1]);
  console.log(JSON.stringify({ line, same, plain: await require("./plain.cjs").where() }));
});
`,
    });
    const result = run(process.execPath, ["--enable-source-maps", "--import", register(), "src/main.cjs"], dir);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      line: `Api at where (${join(dir, "src/tagged.cts")}:${lineOf(join(dir, "src/tagged.cts"), "// stack: where")}:40)`,
      same: true,
      plain: frameIn(dir, "src/plain.cjs", "plain"),
    });
  });

  it("files in node_modules are left alone", () => {
    const tagged = `const { injected } = require("inject-client/runtime");\nclass Api { closed = false; async [Symbol.asyncDispose]() {} }\n/** @injectClient */\nasync function f(client = injected(Api)) { return "rewritten"; }\nmodule.exports = { f };\n`;
    const dir = commonJsApp("node-modules", {
      "node_modules/tagged-lib/package.json": JSON.stringify({ name: "tagged-lib", main: "index.js" }),
      "node_modules/tagged-lib/index.js": tagged,
      "src/main.ts": `const { f } = require("tagged-lib");\nf().then(console.log, (error: Error) => console.log(error.name));\n`,
    });
    const result = runWith(NODE20_RUNNERS[0]!, "src/main.ts", dir);
    expect([result.stderr, result.stdout]).toEqual(["", "InjectedNotTransformedError\n"]);
  });
});

describe("Node's own CommonJS loader, without tsx", () => {
  /** A tagged CommonJS module (JavaScript, or TypeScript Node can strip) whose function reports its top frame. */
  const taggedModule = (marker: string, { typed = false } = {}) => `const { injected, setClientFactory } = require("inject-client/runtime");
class Api { closed = false; async [Symbol.asyncDispose]() { this.closed = true; } }
setClientFactory(Api, () => new Api());
/** @injectClient */
async function where(${typed ? "client: Api = injected()" : "client = injected(Api)"})${typed ? ": Promise<string>" : ""} {
  return new Error().stack${typed ? "!" : ""}.split("\\n")[1]${typed ? "!" : ""}.trim(); // stack: ${marker}
}
module.exports = { where };
`;
  it("Node 20: a tagged .cjs entry (read by the ES module loader first, under --import) and the tagged .cjs it requires", () => {
    const dir = commonJsApp("node-cjs", {
      "src/lib.cjs": taggedModule("lib"),
      "src/main.cjs": taggedModule("entry").replace(
        "module.exports = { where };",
        `Promise.all([where(), require("./lib.cjs").where()]).then((lines) => console.log(JSON.stringify(lines)));`,
      ),
    });
    const result = run(process.execPath, ["--enable-source-maps", "--import", register(), "src/main.cjs"], dir);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual([frameIn(dir, "src/main.cjs", "entry"), frameIn(dir, "src/lib.cjs", "lib")]);
  });

  it("Node 20: text a handler hands over already rewritten, read without fs.readFileSync, is compiled as given, not rewritten again", async () => {
    const corePath = join(installed, "node_modules/@inject-client/transformer/dist/core/index.js");
    const dir = commonJsApp("node-cjs-rewritten", {
      "src/main.cjs": taggedModule("entry").replace("module.exports = { where };", "where().then((line) => console.log(line));"),
      // Stands for a loader that hands Node a file it rewrote itself, from its own read (a cache, say).
      "preload.cjs": `const fs = require("node:fs");
const Module = require("node:module");
const read = fs.readFileSync;
const { transformCode } = require(${JSON.stringify(corePath)});
Module._extensions[".cjs"] = (module, filename) => module._compile(transformCode(read(filename, "utf8"), filename).code, filename);
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename, ...rest) {
  fs.writeFileSync(filename + ".compiled", content);
  return compile.call(this, content, filename, ...rest);
};
`,
    });
    const result = run(process.execPath, ["--require", "./preload.cjs", "--import", register(), "src/main.cjs"], dir);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toEqual(frameIn(dir, "src/main.cjs", "entry"));
    const core = (await import(corePath)) as typeof import("../../../transformer/core/index.js");
    const main = join(dir, "src/main.cjs");
    expect(readFileSync(`${main}.compiled`, "utf8")).toBe(core.transformCode(readFileSync(main, "utf8"), main)!.code);
  });

  it("Node 20: misuse in a .cjs entry fails with file:line:col", () => {
    const dir = commonJsApp("node-cjs-misuse", {
      "src/main.cjs": `const { injected } = require("inject-client/runtime");\n/** @injectClient */\nasync function none(other) {}\n`,
    });
    const result = run(process.execPath, ["--import", register(), "src/main.cjs"], dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`${join(dir, "src/main.cjs")}:3:1 - error TS47003: @injectClient: none has no client to inject`);
  });

  // A CommonJS TypeScript entry under --import is loaded by Node's ES module loader, whose require() of an
  // ES module with imports fails in Node 22 itself (nodejs/node#59963), with any --import: so a .cjs entry.
  it("node@22 type stripping: a tagged .cts and a tagged .ts of a commonjs package, required from a .cjs entry, keys from their annotations", () => {
    const dir = commonJsApp("node22-strip", {
      "src/lib.cts": taggedModule("cts", { typed: true }),
      "src/other.ts": taggedModule("ts", { typed: true }),
      "src/main.cjs": `Promise.all([require("./lib.cts").where(), require("./other.ts").where()]).then((lines) => console.log(JSON.stringify(lines)));\n`,
    });
    const result = run(node22(), ["--enable-source-maps", "--import", register(), "src/main.cjs"], dir);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual([frameIn(dir, "src/lib.cts", "cts"), frameIn(dir, "src/other.ts", "ts")]);
  });
});
