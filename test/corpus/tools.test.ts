// The corpus runner's own machinery: a hang is killed at the limit, causes group, samples are seeded.
import { describe, expect, it } from "vitest";
import { directorySpecs, FIXED_SUBSET, oasExampleSpecs, sample, specById } from "../../bench/corpus/specs.js";
import { normaliseCause, parseTscOutput, runNode } from "../../bench/corpus/tools.js";

describe("corpus runner", () => {
  it("kills a child (and its children) that outlives the limit, and reports a timeout", async () => {
    const started = performance.now();
    const result = await runNode(
      [
        "-e",
        "require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' }); setInterval(() => {}, 1000)",
      ],
      { timeoutMs: 500 },
    );
    expect(result.timedOut).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("groups causes: names, quoted text, paths and numbers stripped", () => {
    expect(normaliseCause('the class name "1ForgeClient" is not a valid identifier (at specs/a.json)')).toBe(
      'the class name "…" is not a valid identifier',
    );
    expect(normaliseCause("index.ts: TS2339: Property 'x' does not exist on type 'undefined'. (+3 more)")).toBe(
      "index.ts: TS2339: Property '…' does not exist on type '…'.",
    );
    expect(normaliseCause("Can't resolve $ref at #/paths/~1a~1b/get/responses/200")).toBe(
      normaliseCause("Can't resolve $ref at #/paths/~1c/post/responses/404"),
    );
    expect(normaliseCause("Can't resolve $ref at #/paths/~1a/get")).toMatch(/^Can't resolve \$ref at #/);
  });

  it("parses tsc's diagnostics", () => {
    const output = "a/client/index.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.\n";
    expect(parseTscOutput(output, "/x")).toEqual([
      { file: "a/client/index.ts", line: 12, code: "TS2322", message: "Type 'string' is not assignable to type 'number'." },
    ]);
  });

  it("draws the same seeded sample every time, and a different one for another seed", () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    expect(sample(items, 10, 1)).toEqual(sample(items, 10, 1));
    expect(sample(items, 10, 1)).not.toEqual(sample(items, 10, 2));
    expect(new Set(sample(items, 1000, 3)).size).toBe(1000);
  });

  it("finds the 3.x specs of both packages, and every spec of the fixed subset", () => {
    expect(directorySpecs().length).toBeGreaterThan(2_000);
    const examples = oasExampleSpecs().map((spec) => spec.id);
    expect(examples).toContain("oas-examples:3.1/petstore");
    expect(examples).toContain("oas-examples:3.0/petstore");
    const ids = new Set([...examples, ...directorySpecs().map((spec) => spec.id)]);
    for (const id of FIXED_SUBSET) {
      expect(ids.has(id), id).toBe(true);
      expect(specById(id).id).toBe(id);
    }
  });
});
