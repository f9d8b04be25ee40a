// What the e2e fixture's program (test/fixtures/transformer/e2e/src/main.ts) reports per tagged form, and the
// check every door that runs it makes: the same tagged functions behave the same through tspc, each bundler,
// the Node and tsx hooks, Bun and the post-emit CLI.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";

export interface FormResult {
  otherSkipped: boolean;
  fnName: string;
  fnLength: number;
  passedUsed: boolean;
  passedLifecycle: [number, number];
  stack: [string, string];
  factoryClients: number;
  factoryUsed: boolean;
  factoryLifecycle: Array<[number, number]>;
}

/** Each form's fn.name, fn.length, and its top frame's name under V8 (Node) and JavaScriptCore (Bun). */
export const FORMS: Record<string, { name: string; length: number; v8: RegExp; jsc: RegExp }> = {
  declared: { name: "declared", length: 0, v8: /^at declared /, jsc: /^at declared / },
  defaultExported: { name: "defaultExported", length: 0, v8: /^at defaultExported /, jsc: /^at defaultExported / },
  notExported: { name: "callsNotExported", length: 1, v8: /^at notExported /, jsc: /^at notExported / },
  // JavaScriptCore calls an async arrow function that awaits `<anonymous>` (bun.test.ts shows it for an untagged
  // one), and the rewritten one awaits its client's open(); it names methods without their class.
  arrow: { name: "arrow", length: 0, v8: /^at arrow /, jsc: /^at <anonymous> / },
  named: { name: "named", length: 0, v8: /^at named /, jsc: /^at named / },
  method: { name: "method", length: 0, v8: /^at Service\.method /, jsc: /^at method / },
  staticMethod: { name: "staticMethod", length: 0, v8: /^at (Function|Service)\.staticMethod /, jsc: /^at staticMethod / },
  literalMethod: { name: "literalMethod", length: 0, v8: /^at Object\.literalMethod /, jsc: /^at literalMethod / },
  outer: { name: "outer", length: 0, v8: /^at outer /, jsc: /^at outer / },
  inner: { name: "outer", length: 0, v8: /^at inner /, jsc: /^at <anonymous> / },
};

export interface FormCheck {
  /** The directory of the forms.ts the program ran from: each top frame must name its marked line there. */
  sourceDir?: string;
  engine?: "v8" | "jsc";
  /** Frame patterns replacing the engine's, by form (a bundler whose maps name frames differently). */
  frames?: Record<string, RegExp>;
}

/** The e2e program's JSON output, checked form by form. */
export function expectEveryForm(output: string, { sourceDir, engine = "v8", frames = {} }: FormCheck = {}): void {
  const results = JSON.parse(output) as Record<string, FormResult>;
  expect(Object.keys(results).sort()).toEqual(Object.keys(FORMS).sort());
  const lines = sourceDir === undefined ? undefined : readFileSync(join(sourceDir, "forms.ts"), "utf8").split("\n");
  for (const [form, expected] of Object.entries(FORMS)) {
    const result = results[form]!;
    expect([form, result.fnName, result.fnLength]).toEqual([form, expected.name, expected.length]);
    // inner is called by outer without a client, so it never sees the one passed to outer.
    expect([form, result.passedUsed, result.passedLifecycle]).toEqual([form, form !== "inner", [0, 0]]);
    expect([form, result.otherSkipped]).toEqual([form, true]);
    // outer owns one client; inner, called without one, resolves (and owns) its own.
    const nested = form === "outer" || form === "inner";
    const lifecycle: Array<[number, number]> = nested
      ? [
          [1, 1],
          [1, 1],
        ]
      : [[1, 1]];
    expect([form, result.factoryLifecycle]).toEqual([form, lifecycle]);
    const top = result.stack[0].trim();
    expect([form, top]).toEqual([form, expect.stringMatching(frames[form] ?? expected[engine])]);
    if (lines && sourceDir !== undefined) {
      const line = lines.findIndex((text) => text.includes(`// stack: ${form}`)) + 1;
      expect([form, top]).toEqual([form, expect.stringContaining(`${join(sourceDir, "forms.ts")}:${line}:`)]);
    }
  }
}
