// The oxc core (transformer/core) against the TypeScript-AST transform it replaces outside tspc:
// the same diagnostics (code, message, line:col) on the misuse fixture and on extra misuse shapes, and
// files without the tag untouched (undefined: the door passes the input on byte for byte) across a
// sizeable code base that mentions the tag in comments and strings.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import typescriptModule from "typescript";
import { describe, expect, it } from "vitest";
import { transformCode } from "../../../transformer/core/index.js";
import { injectClientTransformer } from "../../../transformer/index.js";
import { FIXTURES, REPO } from "../support/project.js";

const ts = typescriptModule as unknown as typeof import("typescript");

/** `line:col TScode message` from the TypeScript-AST transform (per file, no checker: the Vite rule). */
function viaTypeScript(code: string, fileName: string): string[] {
  const found: string[] = [];
  ts.transpileModule(code, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    transformers: {
      before: [
        injectClientTransformer({
          onDiagnostic: (d) => {
            const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start!);
            found.push(`${line + 1}:${character + 1} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
          },
        }),
      ],
    },
  });
  return found;
}

function viaCore(code: string, fileName: string): string[] {
  return (transformCode(code, fileName)?.diagnostics ?? []).map((d) => `${d.line}:${d.column} TS${d.code} ${d.message}`);
}

const EXTRA_MISUSE: Record<string, string> = {
  "shapes.ts": `import { injected, type ManagedClient } from "inject-client/runtime";
import * as ic from "inject-client/runtime";
class Api implements ManagedClient { closed = false; async [Symbol.asyncDispose]() {} }
/** @injectClient */
let declaredOnly;
/** @injectClient */
export default 42;
/** @injectClient */
export type Alias = Api;
/** @injectClient */
export enum E { A }
/** @injectClient */
foo();
const holder = {
  /** @injectClient */
  shorthand,
  /** @injectClient */
  get value() { return 1; },
  /** @injectClient */
  plain: (client: Api = injected(Api)) => client,
};
class Members {
  /** @injectClient */
  constructor(client: Api = injected()) {}
  /** @injectClient */
  field = 1;
  /** @injectClient */
  async overload(client: Api): Promise<void>;
  async overload(client: Api = injected(Api)) {}
  /** @injectClient */
  async *generate(client: Api = injected(Api)) {}
  /** @injectClient */
  async #hidden(...client: Api[]) {}
}
abstract class Abstract {
  /** @injectClient */
  abstract run(client: Api): Promise<void>;
}
interface Shape {
  /** @injectClient */
  run(client: Api): Promise<void>;
}
/** @injectClient */
declare function ambient(client?: Api): Promise<void>;
/** @injectClient */
export async function nested({ client: { closed } }: { client: Api }) {}
/** @injectClient */
export async function none(other: Api) {}
/** @injectClient */
export const union = async (client: Api | Shape = injected()) => client;
/** @injectClient */
export const unannotated = async (client = ic.injected()) => client;
/** @injectClient */
export const notImported = async (client: Missing = injected()) => client;
/** @injectClient */
export const options = async ({ client = injected() }: Opts = {}) => client;
export function outside(client = injected()) { return ic.injected(); }
const later = injected(Api);
`,
};

function misuseSources(): Array<[string, string]> {
  const dir = join(FIXTURES, "misuse/src");
  return [...readdirSync(dir).map((file) => [file, readFileSync(join(dir, file), "utf8")] as [string, string]), ...Object.entries(EXTRA_MISUSE)];
}

describe("the oxc core reports what the TypeScript transform reports", () => {
  // types.ts only declares what keyless.ts imports.
  it.each(misuseSources().filter(([file]) => file !== "types.ts"))("%s: same codes, messages and positions", (file, code) => {
    const expected = viaTypeScript(code, file);
    expect(expected.length).toBeGreaterThan(0);
    expect(viaCore(code, file)).toEqual(expected);
  });

  it("finds the same diagnostics in emitted JavaScript as in the .ts it came from, where no annotation is involved", () => {
    const js = `import { injected } from "inject-client/runtime";\n/** @injectClient */\nexport function notAsync(client = injected()) {}\nexport const outside = injected();\n`;
    expect(viaCore(js, "emitted.js")).toEqual([
      "3:1 TS47002 @injectClient: notAsync is not async. A client the transformer creates is closed after the body's promise settles, and only an async function has that promise. Declare it `async`.",
      "4:24 TS47004 @injectClient: injected() only works as the default of the `client` parameter (or `client` property) of a function tagged /** @injectClient */; here it would throw at run time.",
    ]);
  });
});

describe("files without the tag", () => {
  const sources = ["runtime", "transformer", "codegen", "node_modules/ajv/lib"].flatMap((dir) =>
    readdirSync(join(REPO, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => /\.[cm]?ts$/.test(file) && !file.endsWith(".d.ts"))
      .map((file) => join(dir, file)),
  );

  it("come back untouched (undefined), also those that mention the tag or the runtime in comments and strings", () => {
    expect(sources.length).toBeGreaterThan(100);
    const mentioning = sources.filter((file) => /@injectClient|inject-client\/runtime/.test(readFileSync(join(REPO, file), "utf8")));
    expect(mentioning.length).toBeGreaterThan(5);
    const touched = sources.filter((file) => transformCode(readFileSync(join(REPO, file), "utf8"), file) !== undefined);
    expect(touched).toEqual([]);
  });

  it("a positive control in the same run is rewritten", () => {
    const tagged = `import { injected } from "inject-client/runtime";\nclass Api {}\n/** @injectClient */\nexport async function f(client: Api = injected()) { return client; }\n`;
    expect(transformCode(tagged, "control.ts")?.code).toContain(".getOrCreateClient(client, Api)");
  });
});

describe("output run through the core again", () => {
  const tagged = ["e2e/src/forms.ts", "parity/src/tagged.ts"];

  it.each(tagged.flatMap((fixture) => (["esm", "cjs"] as const).map((moduleFormat) => ({ fixture, moduleFormat }))))(
    "$fixture ($moduleFormat): comes back untouched, its functions not wrapped twice",
    ({ fixture, moduleFormat }) => {
      const file = join(FIXTURES, fixture);
      const once = transformCode(readFileSync(file, "utf8"), file, { moduleFormat });
      expect(once?.edited).toBe(true);
      const twice = transformCode(once!.code, file, { moduleFormat });
      expect(twice?.diagnostics ?? []).toEqual([]);
      expect(twice?.edited ?? false).toBe(false);
    },
  );

  it("a body that merely starts by resolving some other client is still rewritten", () => {
    const code = `import * as rt from "inject-client/runtime";
/** @injectClient */
export async function f(client?: C) {
  const resolved = rt.getOrCreateClient(other);
  return resolved;
}
`;
    const result = transformCode(code, "f.ts");
    expect(result?.edited).toBe(true);
    expect(result!.code).toContain("getOrCreateClient(client");
  });
});
