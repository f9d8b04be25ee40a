// The generator never deletes what it did not write. Real CLI runs in scratch projects full of user files
// (a refused --out leaves every byte and mtime as it was, exit 2, one line); the manifest's rules in-process;
// real processes killed with SIGKILL between the write's steps, and real processes racing into one directory.
import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import * as write from "../../codegen/write.js";
import { CLI, REPO, runCli, snapshot, SPECS, tempDir, removeTempDirs, type RunResult } from "./support.js";

afterAll(removeTempDirs);

const MANIFEST = ".inject-client-manifest.json";
const LOCK = ".inject-client.lock";
const VERSION = (JSON.parse(readFileSync(path.join(REPO, "codegen/package.json"), "utf8")) as { version: string }).version;
const PETSTORE = path.join(SPECS, "petstore.yaml");
const SPLIT = path.join(SPECS, "split/main.yaml");
const GENERATED = ["index.ts", "methods.ts", "types.ts"];

const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

interface Scratch {
  /** Holds project/ and home/; snapshotting it covers everything a run could touch. */
  root: string;
  /** A user's project: package.json, hand-written src/, the spec in specs/ and api/v1/, notes.txt. */
  project: string;
  /** Passed as $HOME to every CLI run, so the real home is never at stake. */
  home: string;
}

function scratchProject(prefix: string): Scratch {
  const root = tempDir(`safety-${prefix}`);
  const project = path.join(root, "project");
  mkdirSync(path.join(project, "src/deep"), { recursive: true });
  mkdirSync(path.join(project, "specs"));
  mkdirSync(path.join(project, "api/v1"), { recursive: true });
  writeFileSync(path.join(project, "package.json"), '{ "name": "mine", "private": true }\n');
  writeFileSync(path.join(project, "src/main.ts"), "export const handWritten = 1;\n");
  // Named like a generated file: only the manifest, never a name, makes a file the generator's.
  writeFileSync(path.join(project, "src/index.ts"), "export * from './main.js';\n");
  writeFileSync(path.join(project, "src/deep/util.ts"), "export {};\n");
  writeFileSync(path.join(project, "notes.txt"), "my notes\n");
  cpSync(PETSTORE, path.join(project, "specs/petstore.yaml"));
  cpSync(PETSTORE, path.join(project, "api/v1/petstore.yaml"));
  const home = path.join(root, "home");
  mkdirSync(path.join(home, ".config"), { recursive: true });
  writeFileSync(path.join(home, ".profile"), "export PATH\n");
  writeFileSync(path.join(home, ".config/app.json"), "{}\n");
  return { root, project, home };
}

/** What `generate --input <input> --out <out>` writes, done in-process (cheaper than a CLI run) to set a scene up. */
async function generateInto(out: string, input: string): Promise<void> {
  const { generateClient } = await import("../../codegen/generate.js");
  const { files } = await generateClient({ input, regenerateWith: `inject-client generate --input ${input} --out ${out}` });
  expect(await write.writeAtomically(out, files)).toBe(true);
}

/** One line on stderr, `inject-client: error: ...`, matching `message`; no stack. */
function expectOneLine(result: RunResult, status: number, message: RegExp): void {
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(status);
  const lines = result.stderr.split("\n").filter((line) => line !== "");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^inject-client: error: /);
  expect(lines[0]).not.toMatch(/unexpected failure/);
  expect(lines[0]).toMatch(message);
}

function entries(dir: string): string[] {
  return readdirSync(dir).sort();
}

describe.concurrent("refused --out: exit 2, one line, every user file as it was", () => {
  const cases: Array<{
    what: string;
    out: (s: Scratch) => string;
    cwd?: (s: Scratch) => string;
    input?: (s: Scratch) => string;
    setup?: (s: Scratch) => void;
    message: RegExp;
  }> = [
    { what: "--out . (the current directory)", out: () => ".", message: /^inject-client: error: refusing --out \.: it is the current directory; / },
    { what: "--out .. (an ancestor of the current directory)", out: () => "..", message: /refusing --out \.\.: it contains the current directory; / },
    {
      what: "an absolute ancestor of the current directory",
      cwd: (s) => path.join(s.project, "src/deep"),
      out: (s) => s.project,
      message: /refusing --out .*project: it contains the current directory; /,
    },
    {
      what: "--out src (a folder of hand-written code)",
      out: () => "src",
      message:
        /refusing --out src: it is not empty and has no \.inject-client-manifest\.json, so inject-client did not write it \(holds deep\/, index\.ts, main\.ts\); pick an empty or new directory, or delete it yourself$/,
    },
    {
      what: "--out specs (the folder of the input spec)",
      out: () => "specs",
      message: /refusing --out specs: it is the folder of the input spec \(.*petstore\.yaml\); /,
    },
    {
      what: "--out api (an ancestor of the input spec's folder)",
      input: (s) => path.join(s.project, "api/v1/petstore.yaml"),
      out: () => "api",
      message: /refusing --out api: it contains the folder of the input spec /,
    },
    { what: "--out $HOME", out: (s) => s.home, message: /refusing --out .*home: it is your home directory; / },
    {
      what: "--out a symlink to $HOME",
      setup: (s) => symlinkSync(s.home, path.join(s.project, "home-link"), "dir"),
      out: () => "home-link",
      message: /refusing --out home-link: it is your home directory; /,
    },
    // The refusal comes before the spec is read (this one does not exist), let alone anything written.
    { what: "--out / (the root)", input: () => "missing.yaml", out: () => "/", message: /refusing --out \/: it is the filesystem root; / },
    { what: "--out an existing file", out: () => "notes.txt", message: /^inject-client: error: --out notes\.txt is a file, not a directory$/ },
    {
      what: "--out below a file",
      out: () => "notes.txt/client",
      message: /^inject-client: error: --out notes\.txt\/client: part of the path is a file, not a directory$/,
    },
  ];
  for (const { what, out, cwd, input, setup, message } of cases) {
    it(what, async () => {
      const scratch = scratchProject("refused");
      setup?.(scratch);
      const before = snapshot(scratch.root);
      const spec = input?.(scratch) ?? path.join(scratch.project, "specs/petstore.yaml");
      const result = await runCli(["generate", "--input", spec, "--out", out(scratch)], {
        cwd: cwd?.(scratch) ?? scratch.project,
        env: { HOME: scratch.home },
      });
      expectOneLine(result, 2, message);
      expect(snapshot(scratch.root)).toEqual(before);
      expect(result.stdout).toBe("");
    });
  }

  it("a config with nested or equal outputs: exit 2, one line, nothing generated", async () => {
    const scratch = scratchProject("nested");
    mkdirSync(path.join(scratch.project, "openapi"));
    const specs = (outs: string[]) => ({ specs: outs.map((out, index) => ({ name: `s${index}`, input: "specs/petstore.yaml", out })) });
    writeFileSync(path.join(scratch.project, "openapi/outer-first.json"), JSON.stringify(specs(["generated", "generated/pets"])));
    writeFileSync(path.join(scratch.project, "openapi/inner-first.json"), JSON.stringify(specs(["generated/pets", "generated/./"])));
    writeFileSync(path.join(scratch.project, "openapi/equal.json"), JSON.stringify(specs(["generated/pets", "generated/pets/"])));
    const before = snapshot(scratch.root);
    for (const [config, message] of [
      ["outer-first", /"generated\/pets" \(s1\) is inside "generated" \(s0\)/],
      ["inner-first", /"generated\/pets" \(s0\) is inside "generated\/\.\/" \(s1\)/],
      ["equal", /two specs write to "generated\/pets\/"/],
    ] as const) {
      const result = await runCli(["generate", "--config", `openapi/${config}.json`], { cwd: scratch.project, env: { HOME: scratch.home } });
      expectOneLine(result, 2, message);
    }
    expect(snapshot(scratch.root)).toEqual(before);
    expect(existsSync(path.join(scratch.project, "generated"))).toBe(false);
  });
});

describe("a directory inject-client wrote", () => {
  it("records its files in a manifest, keeps (and reports) the files the user added, and --check ignores both", async () => {
    const scratch = scratchProject("kept");
    const out = path.join(scratch.project, "src/client");
    expect((await runCli(["generate", "--input", PETSTORE, "--out", out], { cwd: scratch.project })).status).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, MANIFEST), "utf8")) as {
      generator: string;
      version: string;
      complete: boolean;
      files: Record<string, string>;
    };
    expect(manifest).toMatchObject({ generator: "inject-client", version: VERSION, complete: true });
    expect(Object.keys(manifest.files).sort()).toEqual(GENERATED);
    for (const name of GENERATED) expect(manifest.files[name]).toBe(sha256(readFileSync(path.join(out, name))));

    writeFileSync(path.join(out, "helpers.ts"), "export const mine = 1;\n");
    mkdirSync(path.join(out, "extra"));
    writeFileSync(path.join(out, "extra/x.ts"), "export {};\n");
    const result = await runCli(["generate", "--input", SPLIT, "--out", "src/client"], { cwd: scratch.project });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/-> src\/client written \(kept 2 entries inject-client did not write: extra\/, helpers\.ts\)\n/);
    expect(readFileSync(path.join(out, "helpers.ts"), "utf8")).toBe("export const mine = 1;\n");
    expect(readFileSync(path.join(out, "extra/x.ts"), "utf8")).toBe("export {};\n");
    expect(readFileSync(path.join(out, "index.ts"), "utf8")).toContain("class SplitClient");
    expect(entries(out)).toEqual([MANIFEST, "extra", "helpers.ts", ...GENERATED].sort());

    const check = await runCli(["generate", "--check", "--input", SPLIT, "--out", "src/client"], { cwd: scratch.project });
    expect(check.status, check.stdout).toBe(0);
    expect(check.stdout).toContain("src/client: current");
    const again = await runCli(["generate", "--input", SPLIT, "--out", "src/client"], { cwd: scratch.project });
    expect(again.stdout).toMatch(/-> src\/client unchanged \(kept 2 entries/);
    expect(again.stdout).toMatch(/0 of 3 files written/);
  });

  it("refuses to overwrite a hand-edited generated file (exit 2, one line) until --force", async () => {
    const scratch = scratchProject("edited");
    const out = path.join(scratch.project, "client");
    await generateInto(out, PETSTORE);
    writeFileSync(path.join(out, "methods.ts"), `${readFileSync(path.join(out, "methods.ts"), "utf8")}// my edit\n`);
    writeFileSync(path.join(out, "mine.ts"), "export {};\n");
    const before = snapshot(out);
    const refused = await runCli(["generate", "--input", SPLIT, "--out", out]);
    expectOneLine(
      refused,
      2,
      /refusing to overwrite .*client\/methods\.ts: it was edited after inject-client wrote it; move your changes elsewhere, or pass --force to overwrite it$/,
    );
    expect(snapshot(out)).toEqual(before);

    const check = await runCli(["generate", "--check", "--input", PETSTORE, "--out", out]);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/: stale \(.*client\/methods\.ts\)\n/);

    const forced = await runCli(["generate", "--input", SPLIT, "--out", out, "--force"]);
    expect(forced.stderr).toBe("");
    expect(forced.status).toBe(0);
    expect(readFileSync(path.join(out, "methods.ts"), "utf8")).not.toContain("// my edit");
    expect(readFileSync(path.join(out, "mine.ts"), "utf8")).toBe("export {};\n");
  });

  it("adopts an old-style output (only its own files, with its header, no manifest); refuses one with a user file", async () => {
    const scratch = scratchProject("adopt");
    const out = path.join(scratch.project, "generated/prefect");
    await generateInto(out, PETSTORE);
    rmSync(path.join(out, MANIFEST));
    const adopted = await runCli(["generate", "--input", SPLIT, "--out", out]);
    expect(adopted.stderr).toBe("");
    expect(adopted.status).toBe(0);
    expect(entries(out)).toEqual([MANIFEST, ...GENERATED].sort());
    expect(readFileSync(path.join(out, "index.ts"), "utf8")).toContain("class SplitClient");

    rmSync(path.join(out, MANIFEST));
    writeFileSync(path.join(out, "mine.ts"), "export {};\n");
    const before = snapshot(out);
    const refused = await runCli(["generate", "--input", PETSTORE, "--out", out]);
    expectOneLine(
      refused,
      2,
      /it is not empty and has no \.inject-client-manifest\.json, so inject-client did not write it \(holds mine\.ts\); pick an empty or new directory, or delete it yourself$/,
    );
    expect(snapshot(out)).toEqual(before);
  });

  it("a symlinked --out keeps its link: the files go into the target", async () => {
    const scratch = scratchProject("symlink");
    const target = path.join(scratch.root, "target");
    mkdirSync(target);
    symlinkSync(target, path.join(scratch.project, "client"), "dir");
    for (const spec of [PETSTORE, SPLIT]) {
      const result = await runCli(["generate", "--input", spec, "--out", "client"], { cwd: scratch.project });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(lstatSync(path.join(scratch.project, "client")).isSymbolicLink()).toBe(true);
      expect(entries(target)).toEqual([MANIFEST, ...GENERATED].sort());
    }
    expect(readFileSync(path.join(target, "index.ts"), "utf8")).toContain("class SplitClient");
    expect(entries(scratch.project).filter((name) => name.startsWith("."))).toEqual([]);
  });

  const readOnly = readOnlyMethod();
  it.skipIf(!readOnly.make)(`a read-only directory fails in one line and nothing changes (made read-only with ${readOnly.how})`, async () => {
    const scratch = scratchProject("read-only");
    const out = path.join(scratch.project, "client");
    await generateInto(out, PETSTORE);
    writeFileSync(path.join(out, "mine.ts"), "export {};\n");
    const before = snapshot(scratch.root);
    const undo = readOnly.make!(out);
    try {
      const result = await runCli(["generate", "--input", SPLIT, "--out", out]);
      expectOneLine(result, 1, /^inject-client: error: cannot write to .*client: the directory is read-only \(E[A-Z]+\); nothing was changed$/);
    } finally {
      undo();
    }
    expect(snapshot(scratch.root)).toEqual(before);
  });

  it.skipIf(!canMount())("a mount point as --out works: the directory itself is never renamed (unshare -rm, mount --bind)", async () => {
    const scratch = scratchProject("mount");
    const volume = path.join(scratch.root, "volume");
    const mountPoint = path.join(scratch.project, "client");
    mkdirSync(volume);
    mkdirSync(mountPoint);
    for (const spec of [PETSTORE, SPLIT]) {
      const script = 'mount --bind "$1" "$2" && exec "$3" "$4" generate --input "$5" --out "$2"';
      const result = await run("unshare", ["-rm", "sh", "-c", script, "sh", volume, mountPoint, process.execPath, CLI, spec]);
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    }
    expect(entries(volume)).toEqual([MANIFEST, ...GENERATED].sort());
    expect(readFileSync(path.join(volume, "index.ts"), "utf8")).toContain("class SplitClient");
    expect(entries(mountPoint)).toEqual([]);
  });

  it("concurrent CLI runs into one --out: each exits 0 or fails in one line; exactly one run's complete output remains", async () => {
    const scratch = scratchProject("concurrent-cli");
    const out = path.join(scratch.root, "client");
    const runs = [[PETSTORE], [SPLIT], [PETSTORE, "--name", "OtherPetsClient"]].map(([input, ...rest]) => ["--input", input!, "--out", out, ...rest]);
    const results = await Promise.all(runs.map((args) => runCli(["generate", ...args])));
    for (const result of results) {
      if (result.status !== 0) expectOneLine(result, 1, /another inject-client run/);
    }
    expect(results.filter((result) => result.status === 0).length).toBeGreaterThan(0);
    expect(entries(out)).toEqual([MANIFEST, ...GENERATED].sort());
    // All three files carry the same header (which names the run's command), so they come from one run...
    const headers = GENERATED.map((name) => readFileSync(path.join(out, name), "utf8").split("\n").slice(0, 2).join("\n"));
    expect(new Set(headers).size).toBe(1);
    const winner = runs.find((args) => headers[0]!.endsWith(`regenerate with \`inject-client generate ${args.join(" ")}\`.`));
    expect(winner, headers[0]).toBeDefined();
    // ... and they are that run's complete output.
    const check = await runCli(["generate", "--check", ...winner!]);
    expect(check.stdout).toContain(": current\n");
    expect(check.status).toBe(0);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------------
// In-process: the write function's rules, with small in-memory file sets.

/** Three files whose text says which set they belong to (with a header like the generator's). */
function fileSet(tag: string, names: string[] = GENERATED, size = 2_000): Map<string, string> {
  return new Map(names.map((name) => [name, `// Generated by inject-client from ${tag} (${name})\n${`// ${tag}\n`.repeat(size / 10)}`]));
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("writeAtomically / writeOutput", () => {
  it("returns false when nothing changed, leaves no lock or temp file, and never replaces the directory itself", async () => {
    const dir = path.join(tempDir("unchanged"), "client");
    const first = fileSet("a");
    expect(await write.writeAtomically(dir, first)).toBe(true);
    const inode = statSync(dir).ino;
    expect(await write.writeAtomically(dir, fileSet("a"))).toBe(false);
    expect(entries(dir)).toEqual([MANIFEST, ...GENERATED].sort());
    expect(await write.writeAtomically(dir, fileSet("b"))).toBe(true);
    expect(statSync(dir).ino).toBe(inode);
    expect(entries(dir)).toEqual([MANIFEST, ...GENERATED].sort());
    expect(entries(path.dirname(dir))).toEqual(["client"]);
    expect(await write.staleFiles(dir, fileSet("b"))).toEqual([]);
  });

  it("removes a file only when the manifest lists it; the user's files stay and are reported", async () => {
    const dir = path.join(tempDir("listed"), "client");
    await write.writeAtomically(dir, fileSet("a", ["a.ts", "b.ts"]));
    writeFileSync(path.join(dir, "user.ts"), "mine\n");
    const report = await write.writeOutput(dir, fileSet("a", ["a.ts"]));
    expect(report).toMatchObject({ changed: true, kept: ["user.ts"] });
    expect(entries(dir)).toEqual([MANIFEST, "a.ts", "user.ts"]);
    expect(readFileSync(path.join(dir, "user.ts"), "utf8")).toBe("mine\n");
  });

  it("refuses to remove or overwrite a listed file that was edited, unless forced", async () => {
    const dir = path.join(tempDir("edited"), "client");
    await write.writeAtomically(dir, fileSet("a", ["a.ts", "b.ts"]));
    writeFileSync(path.join(dir, "b.ts"), "my edit\n");
    const error = await rejection(write.writeAtomically(dir, fileSet("a", ["a.ts"])));
    expect(error.message).toMatch(/refusing to remove .*b\.ts: it was edited after inject-client wrote it/);
    expect(readFileSync(path.join(dir, "b.ts"), "utf8")).toBe("my edit\n");
    // An edit that is exactly what would be written anyway is no conflict.
    expect(
      await write.writeAtomically(
        dir,
        new Map([
          ["a.ts", "new a\n"],
          ["b.ts", "my edit\n"],
        ]),
      ),
    ).toBe(true);
    writeFileSync(path.join(dir, "b.ts"), "another edit\n");
    expect(await write.writeAtomically(dir, fileSet("c", ["a.ts"]), { force: true })).toBe(true);
    expect(entries(dir)).toEqual([MANIFEST, "a.ts"]);
  });

  it("refuses a non-empty directory without a manifest, even one holding only files named like its own", async () => {
    const dir = tempDir("foreign");
    writeFileSync(path.join(dir, "index.ts"), "export const mine = 1;\n");
    writeFileSync(path.join(dir, ".inject-client-tmp-12345-deadbeef-index.ts"), "not ours to clean here\n");
    const before = snapshot(dir);
    const error = await rejection(write.writeAtomically(dir, fileSet("a")));
    expect(error.message).toMatch(/is not empty and has no \.inject-client-manifest\.json, so inject-client did not write it/);
    expect((error as { exitCode?: number }).exitCode).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  });

  it("a manifest cannot make it touch anything outside the directory, or inside it that it does not list", async () => {
    const parent = tempDir("crafted");
    const dir = path.join(parent, "client");
    mkdirSync(dir);
    writeFileSync(path.join(parent, "victim.txt"), "keep me\n");
    const hash = sha256("keep me\n");
    for (const name of ["../victim.txt", path.join(parent, "victim.txt"), "sub/x.ts", ".hidden"]) {
      writeFileSync(
        path.join(dir, MANIFEST),
        JSON.stringify({ generator: "inject-client", version: VERSION, complete: true, files: { [name]: hash } }),
      );
      const error = await rejection(write.writeAtomically(dir, fileSet("a")));
      expect(error.message, name).toMatch(/\.inject-client-manifest\.json is not a valid manifest/);
    }
    expect(readFileSync(path.join(parent, "victim.txt"), "utf8")).toBe("keep me\n");
    expect(entries(dir)).toEqual([MANIFEST]);
  });

  it("cleans temp files of dead runs (any PID, even its own) in a directory it owns, and stale locks never block", async () => {
    const dir = path.join(tempDir("leftovers"), "client");
    await write.writeAtomically(dir, fileSet("a"));
    writeFileSync(path.join(dir, ".inject-client-tmp-999999-deadbeef-index.ts"), "half");
    writeFileSync(path.join(dir, `.inject-client-tmp-${process.pid}-0badf00d-${MANIFEST}`), "half");
    writeFileSync(path.join(dir, LOCK), JSON.stringify({ pid: deadPid(), hostname: os.hostname(), token: "dead" }));
    let started = Date.now();
    expect(await write.writeAtomically(dir, fileSet("b"))).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(entries(dir)).toEqual([MANIFEST, ...GENERATED].sort());

    // A lock whose PID now belongs to another, live process (1 is always alive) that has not touched it for a minute.
    writeFileSync(path.join(dir, LOCK), JSON.stringify({ pid: 1, hostname: os.hostname(), token: "reused" }));
    utimesSync(path.join(dir, LOCK), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    started = Date.now();
    expect(await write.writeAtomically(dir, fileSet("c"))).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(entries(dir)).toEqual([MANIFEST, ...GENERATED].sort());
  });
});

// ---------------------------------------------------------------------------------------------------
// Real processes: a writer script that calls the built write function (dist/), killed between steps or racing.

const WRITE_MODULE = pathToFileURL(path.join(REPO, "codegen/dist/write.js")).href;
const STEPS = ["locked", "temp-written", "manifest-pending", "renamed-one", "replaced", "manifest-complete"];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: REPO, env: { ...process.env, ...env }, encoding: "utf8", timeout: 30_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ status, signal: (error as { signal?: NodeJS.Signals } | null)?.signal ?? null, stdout, stderr });
    });
  });
}

let writerScript: string | undefined;
/** `node writer.mjs <dir> <set.json>`: writes the set with the built writeOutput (writeAtomically on old builds). */
function runWriter(dir: string, files: Map<string, string>, env: NodeJS.ProcessEnv = {}) {
  const scratch = tempDir("writer");
  if (!writerScript) {
    writerScript = path.join(scratch, "writer.mjs");
    writeFileSync(
      writerScript,
      `import { readFileSync } from "node:fs";
const module = await import(${JSON.stringify(WRITE_MODULE)});
const [dir, set] = process.argv.slice(2);
try {
  await (module.writeOutput ?? module.writeAtomically)(dir, new Map(Object.entries(JSON.parse(readFileSync(set, "utf8")))));
} catch (error) {
  process.stderr.write(\`error: \${error.message}\\n\`);
  process.exitCode = 1;
}
`,
    );
  }
  const set = path.join(scratch, "set.json");
  writeFileSync(set, JSON.stringify(Object.fromEntries(files)));
  return run(process.execPath, [writerScript, dir, set], env);
}

/** Every entry is whole and from one of the sets: the crash left no half-written file. */
function expectWholeFiles(dir: string, sets: Array<Map<string, string>>, userFiles: Record<string, string>): void {
  for (const name of readdirSync(dir)) {
    if (name in userFiles) expect(readFileSync(path.join(dir, name), "utf8")).toBe(userFiles[name]);
    else if (!name.startsWith("."))
      expect(
        sets.map((set) => set.get(name)),
        name,
      ).toContain(readFileSync(path.join(dir, name), "utf8"));
  }
}

describe("SIGKILL between the steps of a write, and concurrent writers", () => {
  const A = fileSet("a", GENERATED);
  const B = fileSet("b", ["index.ts", "types.d.ts", "extra.d.ts"]);
  const C = fileSet("c", GENERATED);

  for (const step of STEPS) {
    it(`killed after "${step}": files stay whole, the user's file survives, the next run repairs and leaves no leftover`, async () => {
      const dir = path.join(tempDir(`crash-${step}`), "client");
      await write.writeAtomically(dir, A);
      writeFileSync(path.join(dir, "mine.ts"), "mine\n");
      const crashed = await runWriter(dir, B, { INJECT_CLIENT_TEST_CRASH_AFTER: step });
      expect(crashed.signal, crashed.stderr).toBe("SIGKILL");
      expectWholeFiles(dir, [A, B], { "mine.ts": "mine\n" });
      const started = Date.now();
      expect(await write.writeAtomically(dir, C)).toBe(true);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(entries(dir)).toEqual([MANIFEST, ...GENERATED, "mine.ts"].sort());
      for (const [name, text] of C) expect(readFileSync(path.join(dir, name), "utf8")).toBe(text);
      expect(await write.staleFiles(dir, C)).toEqual([]);
      expect(entries(path.dirname(dir))).toEqual(["client"]);
    });
  }

  it("two crashes in a row (A -> B killed, -> C killed) still leave a directory the next run owns and completes", async () => {
    const dir = path.join(tempDir("double-crash"), "client");
    await write.writeAtomically(dir, A);
    expect((await runWriter(dir, B, { INJECT_CLIENT_TEST_CRASH_AFTER: "renamed-one" })).signal).toBe("SIGKILL");
    expect((await runWriter(dir, C, { INJECT_CLIENT_TEST_CRASH_AFTER: "renamed-one" })).signal).toBe("SIGKILL");
    expectWholeFiles(dir, [A, B, C], {});
    const D = fileSet("d", ["index.ts"]);
    expect(await write.writeAtomically(dir, D)).toBe(true);
    expect(entries(dir)).toEqual([MANIFEST, "index.ts"]);
  });

  it("a crash into a new directory leaves only its own leftovers, which the next run takes over", async () => {
    for (const step of ["locked", "temp-written"]) {
      const dir = path.join(tempDir(`crash-new-${step}`), "client");
      expect((await runWriter(dir, A, { INJECT_CLIENT_TEST_CRASH_AFTER: step })).signal).toBe("SIGKILL");
      expect(await write.writeAtomically(dir, C)).toBe(true);
      expect(entries(dir)).toEqual([MANIFEST, ...GENERATED].sort());
    }
  });

  it("a second writer waits for a live one, or gives up in one line after its timeout; a killed holder never blocks", async () => {
    const dir = path.join(tempDir("live-lock"), "client");
    await write.writeAtomically(dir, A);
    const holder = runWriter(dir, B, { INJECT_CLIENT_TEST_DELAY_MS: "300" });
    const deadline = Date.now() + 10_000;
    while (!existsSync(path.join(dir, LOCK)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const error = await rejection(write.writeOutput(dir, C, { lockTimeoutMs: 100 }));
    expect(error.message).toMatch(
      /^another inject-client run \(pid \d+\) is writing to .*client; nothing was changed, try again when it has finished$/,
    );
    expect(await write.writeAtomically(dir, C)).toBe(true);
    expect((await holder).status).toBe(0);
    expect(await write.staleFiles(dir, C)).toEqual([]);

    // A holder killed with SIGKILL while it holds the lock: the next run takes over at once.
    const doomed = runWriter(dir, B, { INJECT_CLIENT_TEST_DELAY_MS: "5000" });
    const lock = path.join(dir, LOCK);
    const until = Date.now() + 10_000;
    while (!existsSync(lock) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    process.kill((JSON.parse(readFileSync(lock, "utf8")) as { pid: number }).pid, "SIGKILL");
    expect((await doomed).signal).toBe("SIGKILL");
    const started = Date.now();
    expect(await write.writeAtomically(dir, A)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(entries(dir)).toEqual([MANIFEST, ...GENERATED].sort());
  });

  it("six writers at once into one directory: all succeed, exactly one writer's complete set remains, no leftovers", async () => {
    const dir = path.join(tempDir("race"), "client");
    const sets = Array.from({ length: 6 }, (_, index) => fileSet(`w${index}`, index % 2 ? GENERATED : ["index.ts", "types.d.ts"], 200_000));
    const results = await Promise.all(sets.map((set) => runWriter(dir, set, { INJECT_CLIENT_TEST_DELAY_MS: "15" })));
    for (const result of results) expect(result.status, result.stderr).toBe(0);
    const names = entries(dir).filter((name) => name !== MANIFEST);
    const winners = sets.filter(
      (set) =>
        [...set.keys()].sort().join() === names.join() && [...set].every(([name, text]) => readFileSync(path.join(dir, name), "utf8") === text),
    );
    expect(winners).toHaveLength(1);
    expect(entries(dir)).toEqual([MANIFEST, ...names].sort());
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), "utf8")) as { complete: boolean; files: Record<string, string> };
    expect(manifest.complete).toBe(true);
    expect(manifest.files).toEqual(Object.fromEntries([...winners[0]!].map(([name, text]) => [name, sha256(text)])));
  });
});

// ---------------------------------------------------------------------------------------------------

/**
 * How to make a directory read-only here. chmod does not stop root, so as root the directory is made
 * immutable (chattr +i, which needs CAP_LINUX_IMMUTABLE); when neither works the one test is skipped and says so.
 */
function readOnlyMethod(): { how: string; make?: (dir: string) => () => void } {
  const probe = tempDir("read-only-probe");
  const attempts: Array<{ how: string; make: (dir: string) => () => void }> =
    process.getuid?.() === 0
      ? [
          {
            how: "chattr +i (running as root, which ignores permissions)",
            make: (dir) => {
              if (spawnSync("chattr", ["+i", dir]).status !== 0) throw new Error("chattr +i failed");
              return () => void spawnSync("chattr", ["-i", dir]);
            },
          },
        ]
      : [
          {
            how: "chmod 0555",
            make: (dir) => {
              chmodSync(dir, 0o555);
              return () => chmodSync(dir, 0o755);
            },
          },
        ];
  try {
    for (const attempt of attempts) {
      let undo: (() => void) | undefined;
      try {
        undo = attempt.make(probe);
        writeFileSync(path.join(probe, "x"), "");
      } catch {
        if (undo) return attempt;
      } finally {
        undo?.();
      }
    }
    return { how: "nothing available: root ignores chmod and chattr +i is not permitted (test skipped)" };
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** Whether this machine lets an unprivileged mount namespace bind-mount a directory (unshare -rm). */
function canMount(): boolean {
  const probe = tempDir("mount-probe");
  try {
    return spawnSync("unshare", ["-rm", "mount", "--bind", probe, probe], { timeout: 5_000 }).status === 0;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
