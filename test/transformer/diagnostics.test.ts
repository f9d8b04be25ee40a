// Misuse is a compile error: the misuse fixture compiled by the real tspc must fail (exit != 0)
// with exactly the diagnostics its `// expect TSxxxxx` markers announce, at those lines, and the
// misused functions must be left as written.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InjectClientDiagnostic } from "../../transformer/diagnostics.js";
import { copyFixture, FIXTURES, tspc, type CommandResult, type TypeScriptVersion, removeTempDirs } from "./support/project.js";

afterAll(removeTempDirs);

interface Reported {
  file: string;
  line: number;
  code: number;
  message: string;
}

const DIAGNOSTIC_LINE = /^src\/(?<file>[\w.-]+)\((?<line>\d+),(?<column>\d+)\): error TS(?<code>\d+): (?<message>.*)$/;

function parseDiagnostics(output: string): Reported[] {
  return output
    .split("\n")
    .map((line) => DIAGNOSTIC_LINE.exec(line)?.groups)
    .filter((groups) => groups !== undefined)
    .map((groups) => ({ file: groups.file!, line: Number(groups.line), code: Number(groups.code), message: groups.message! }));
}

/** `file:line TScode` for every `// expect TSxxxxx` marker in the fixture sources. */
function expectedDiagnostics(): string[] {
  const source = join(FIXTURES, "misuse/src");
  return readdirSync(source).flatMap((file) =>
    readFileSync(join(source, file), "utf8")
      .split("\n")
      .flatMap((text, index) => [...text.matchAll(/\/\/ expect TS(\d+)/g)].map((match) => `${file}:${index + 1} TS${match[1]}`)),
  );
}

describe.each(["5", "6"] satisfies TypeScriptVersion[])("misuse diagnostics under tspc with TypeScript %s", (typescript) => {
  let dir: string;
  let build: CommandResult;
  beforeAll(() => {
    dir = copyFixture("misuse");
    build = tspc(dir, [], typescript);
  });

  it("fails the build", () => {
    expect(build.status).not.toBe(0);
  });

  it("reports every misuse, at its line, with its code, and nothing else", () => {
    const reported = parseDiagnostics(build.output).map((d) => `${d.file}:${d.line} TS${d.code}`);
    expect(reported.sort()).toEqual(expectedDiagnostics().sort());
    // Every output line is one of ours (no crash, no stray TypeScript error).
    expect(build.output.trim().split("\n")).toHaveLength(reported.length);
  });

  it("uses the stable codes and says what to do", () => {
    const reported = parseDiagnostics(build.output);
    const byCode = {
      get: (code: number) =>
        reported
          .filter((d) => d.code === code)
          .map((d) => d.message)
          .join("\n"),
    };
    expect(reported.every((d) => d.message.startsWith("@injectClient: "))).toBe(true);
    expect(byCode.get(InjectClientDiagnostic.TagNotOnFunction)).toMatch(/^@injectClient: the tag is on .*, not a function/m);
    expect(byCode.get(InjectClientDiagnostic.NotAsync)).toMatch(/is not async.*closed after the body's promise settles/);
    expect(byCode.get(InjectClientDiagnostic.NoClientParameter)).toMatch(/has no client to inject: declare a parameter `client/);
    expect(byCode.get(InjectClientDiagnostic.InjectedOutsideTaggedFunction)).toMatch(/injected\(\) only works as the default/);
    expect(byCode.get(InjectClientDiagnostic.NoBody)).toMatch(/has no body here.*Put the tag on the implementation/);
    expect(byCode.get(InjectClientDiagnostic.UnsupportedClientBinding)).toMatch(/`client` is destructured further/);
    expect(byCode.get(InjectClientDiagnostic.ClientClassUnknown)).toMatch(
      /in fromInterface, cannot tell which client class `client` is: `Shaped` is an interface, not a class\. .*write `injected\(TheClass\)`/,
    );
    // Only the type checker tspc has can tell that an imported name is an interface.
    expect(byCode.get(InjectClientDiagnostic.ClientClassUnknown)).toMatch(
      /in fromImportedInterface, .*`PetLike` \(from "\.\/types\.js"\) is a type, not a class/,
    );
  });

  it("leaves misused functions untouched and adds no runtime import", () => {
    const notAsync = readFileSync(join(dir, "dist/not-async.js"), "utf8");
    expect(notAsync).toContain("export function notAsync(client = injected()) {");
    expect(notAsync).not.toContain("getOrCreateClient");
    const noBody = readFileSync(join(dir, "dist/no-body.js"), "utf8");
    expect(noBody).toContain("client = injected()");
    const keyless = readFileSync(join(dir, "dist/keyless.js"), "utf8");
    expect(keyless).toContain("export async function fromImportedInterface(client = injected()) {");
    // The function without a placeholder is rewritten, unkeyed.
    expect(keyless).toMatch(/getOrCreateClient\(client\);/);
  });
});
