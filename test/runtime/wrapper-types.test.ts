import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const fixtures = fileURLToPath(new URL("../fixtures/runtime-types/", import.meta.url));

/** Type-checks one fixture with the real compiler, as a user's strict NodeNext project would. */
function typeCheck(file: string): { line: number; message: string }[] {
  const program = ts.createProgram([fixtures + file], {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts", "lib.esnext.disposable.d.ts"],
    types: ["node"],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
    message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  }));
}

describe("types of injectClient and injected()", () => {
  it("callers may omit the options or the client, or pass null; the body sees a non-optional client", () => {
    expect(typeCheck("wrapper-types.ts")).toEqual([]);
  });

  it("wrong arguments are still type errors", () => {
    const file = "wrapper-type-errors.ts";
    const expected = readFileSync(fixtures + file, "utf8")
      .split("\n")
      .flatMap((text, i) => {
        const match = /\/\/ EXPECT: (.*)$/.exec(text);
        return match ? [{ line: i + 1, fragment: match[1]! }] : [];
      });
    const errors = typeCheck(file);
    expect(errors.map((e) => e.line)).toEqual(expected.map((e) => e.line));
    for (const { line, fragment } of expected) {
      expect(errors.find((e) => e.line === line)?.message).toContain(fragment);
    }
  });
});
