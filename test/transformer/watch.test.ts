// tspc --watch and incremental builds keep transforming after edits, and keep reporting misuse.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFixture, tspc, TSPC, removeTempDirs } from "./support/project.js";

afterAll(removeTempDirs);

const TAGGED_SECOND = `import { injected, type ManagedClient } from "inject-client/runtime";

/** @injectClient */
export async function second({ client }: { client?: ManagedClient } = {}) {
  return client;
}
`;
/** first.ts's class, imported there only as a type: the type checker of each (re)build confirms it is a class, so no guard. */
const FIRST_KEYED = "getOrCreateClient(client, WatchedClient_module_1.WatchedClient);";
const MISUSE = `import { injected, type ManagedClient } from "inject-client/runtime";

export async function untagged(client: ManagedClient = injected()) {
  return client;
}
`;

/** A running `tspc --watch` whose output can be awaited report by report. */
class Watcher {
  readonly #child: ChildProcess;
  #output = "";
  #waiting: Array<() => void> = [];

  constructor(dir: string) {
    this.#child = spawn(process.execPath, [TSPC, "-p", dir, "--watch", "--preserveWatchOutput", "--pretty", "false"], { cwd: dir });
    const collect = (chunk: Buffer) => {
      this.#output += chunk.toString();
      for (const wake of this.#waiting.splice(0)) wake();
    };
    this.#child.stdout!.on("data", collect);
    this.#child.stderr!.on("data", collect);
    this.#child.on("exit", () => {
      this.#exited = true;
      for (const wake of this.#waiting.splice(0)) wake();
    });
  }
  #exited = false;

  /** Waits for the n-th "Found N errors" report and returns the output since the previous one. */
  async report(n: number): Promise<string> {
    const reports = () => this.#output.split(/(?<=Watching for file changes\.)/);
    while (reports().filter((part) => /Found \d+ errors?\. Watching for file changes\./.test(part)).length < n) {
      if (this.#exited) throw new Error(`tspc --watch exited:\n${this.#output}`);
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    return reports()[n - 1]!;
  }

  stop(): void {
    this.#child.kill();
  }
}

describe("tspc --watch", () => {
  let dir: string;
  let watcher: Watcher;
  beforeAll(() => {
    dir = copyFixture("watch");
    watcher = new Watcher(dir);
  });
  afterAll(() => watcher.stop());

  it("transforms on the first build", async () => {
    expect(await watcher.report(1)).toContain("Found 0 errors.");
    expect(readFileSync(join(dir, "dist/first.js"), "utf8")).toContain(FIRST_KEYED);
  });

  it("transforms a tagged function added while watching, and leaves the earlier output transformed", async () => {
    writeFileSync(join(dir, "src/second.ts"), TAGGED_SECOND);
    expect(await watcher.report(2)).toContain("Found 0 errors.");
    expect(readFileSync(join(dir, "dist/second.js"), "utf8")).toContain("getOrCreateClient(client)");
    expect(readFileSync(join(dir, "dist/first.js"), "utf8")).toContain(FIRST_KEYED);
  });

  it("transforms an edited file again", async () => {
    writeFileSync(join(dir, "src/first.ts"), readFileSync(join(dir, "src/first.ts"), "utf8").replace("client.closed", "!client.closed"));
    expect(await watcher.report(3)).toContain("Found 0 errors.");
    const first = readFileSync(join(dir, "dist/first.js"), "utf8");
    expect(first).toContain("!client.closed");
    expect(first).toContain(FIRST_KEYED);
  });

  it("reports misuse introduced while watching", async () => {
    writeFileSync(join(dir, "src/misuse.ts"), MISUSE);
    const report = await watcher.report(4);
    expect(report).toMatch(/src\/misuse\.ts\(3,56\): error TS47004: /);
    expect(report).toContain("Found 1 error.");
  });
});

describe("incremental tspc builds", () => {
  it("keep transforming after an edit, and keep failing while a misuse stays", () => {
    const dir = copyFixture("watch");
    expect(tspc(dir)).toEqual({ status: 0, output: "" });
    writeFileSync(join(dir, "src/second.ts"), TAGGED_SECOND);
    expect(tspc(dir)).toEqual({ status: 0, output: "" });
    expect(readFileSync(join(dir, "dist/second.js"), "utf8")).toContain("getOrCreateClient(client)");
    expect(readFileSync(join(dir, "dist/first.js"), "utf8")).toContain(FIRST_KEYED);

    writeFileSync(join(dir, "src/misuse.ts"), MISUSE);
    const failed = tspc(dir);
    expect(failed.status).not.toBe(0);
    expect(failed.output).toContain("error TS47004");
    // Nothing changed since: the build still fails, it does not forget the misuse.
    const again = tspc(dir);
    expect(again.status).not.toBe(0);
    expect(again.output).toContain("error TS47004");
  }, 60_000); // four tspc builds in a row: ~3 s each here, ~8 s each when the machine is shared
});
