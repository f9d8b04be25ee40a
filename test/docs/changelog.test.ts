// CHANGELOG.md, kept by hand: its top entry is the version every package.json states (the three packages
// are released together), and entries go from newest to oldest.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../codegen/support.js";

const packageJson = (dir: string) =>
  JSON.parse(readFileSync(path.join(REPO, dir, "package.json"), "utf8")) as {
    name: string;
    version: string;
    peerDependencies?: Record<string, string>;
  };
const WORKSPACES = [".", "runtime", "codegen", "transformer"];

/** The `## <version> (<date> | unreleased)` headings, in order. */
function entries(): Array<{ version: number[]; text: string; date: string }> {
  const text = readFileSync(path.join(REPO, "CHANGELOG.md"), "utf8");
  return [...text.matchAll(/^## (.*)$/gm)].map(([, heading]) => {
    const match = /^(\d+)\.(\d+)\.(\d+) \((unreleased|\d{4}-\d\d-\d\d)\)$/.exec(heading!);
    if (!match) throw new Error(`CHANGELOG.md: "## ${heading}" is not "## <major>.<minor>.<patch> (<yyyy-mm-dd> | unreleased)"`);
    return { version: match.slice(1, 4).map(Number), text: match.slice(1, 4).join("."), date: match[4]! };
  });
}

describe("CHANGELOG.md", () => {
  it("its top entry is the version of every package.json", () => {
    const [top] = entries();
    expect(top).toBeDefined();
    expect(Object.fromEntries(WORKSPACES.map((dir) => [packageJson(dir).name, packageJson(dir).version]))).toEqual(
      Object.fromEntries(WORKSPACES.map((dir) => [packageJson(dir).name, top!.text])),
    );
    // Released together: the transformer's rewrite needs the runtime of its own version.
    expect(packageJson("transformer").peerDependencies?.["inject-client"]).toBe(top!.text);
  });

  it("lists each version once, newest first, and only the top one may be unreleased", () => {
    const all = entries();
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!.version, all[i]!.version];
      const newer = a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
      expect(newer, `${all[i - 1]!.text} above ${all[i]!.text}`).toBeGreaterThan(0);
      expect(all[i]!.date, `${all[i]!.text} is below another entry`).not.toBe("unreleased");
    }
  });
});
