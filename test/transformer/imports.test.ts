// What the rewrite does to the file's imports and to client defaults other than `injected()`:
// transpiled with the transformer (no tspc needed), as ESM and as CommonJS. (import-shapes.test.ts
// compiles the same shapes with the real tspc and runs them.)
import typescriptModule from "typescript";
import { describe, expect, it } from "vitest";
import { injectClientTransformer } from "@inject-client/transformer";

// The compiler is CommonJS: its default import is the `ts` namespace.
const ts = typescriptModule as unknown as typeof import("typescript");

/** A client class declared in the file: the key of the tagged functions below. */
const CLIENT = `class Api { closed = false; async [Symbol.asyncDispose]() {} }\n`;

const modules = [
  ["ESM", ts.ModuleKind.ESNext],
  ["CommonJS", ts.ModuleKind.CommonJS],
] as const;

function transpile(code: string, module: import("typescript").ModuleKind): string {
  const diagnostics: string[] = [];
  const output = ts.transpileModule(code, {
    fileName: "file.ts",
    compilerOptions: { module, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    transformers: { before: [injectClientTransformer({ onDiagnostic: (d) => diagnostics.push(String(d.messageText)) })] },
  }).outputText;
  expect(diagnostics).toEqual([]);
  return output;
}

/** Every import or require of the runtime in the output, in order. */
function runtimeImports(output: string): string[] {
  return output.split("\n").filter((line) => line.includes(`"inject-client/runtime"`));
}

describe.each(modules)("the runtime imports of a rewritten file (%s)", (_name, module) => {
  const namespaceOnly = module === ts.ModuleKind.CommonJS ? /require\("inject-client\/runtime"\)/ : /^import \* as inject_client_runtime_1 from/;

  it("drops an `injected` import only the removed placeholders used (TypeScript's elision still sees them)", () => {
    const output = transpile(
      `import { injected, type ManagedClient } from "inject-client/runtime";
${CLIENT}export type Managed = ManagedClient;
/** @injectClient */
export async function a(client: Api = injected()) { return client; }
/** @injectClient */
export async function b({ client = injected(Api) }: { client?: Api } = {}) { return client; }
`,
      module,
    );
    const imports = runtimeImports(output);
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatch(namespaceOnly);
  });

  it("drops a runtime namespace only used for `ns.injected()`, and an alias of `injected`", () => {
    const output = transpile(
      `import * as ic from "inject-client/runtime";
import { injected as placeholder } from "inject-client/runtime";
${CLIENT}export type Managed = ic.ManagedClient;
/** @injectClient */
export async function a(client: Api = ic.injected()) { return client; }
/** @injectClient */
export async function b(client: Api = placeholder(Api)) { return client; }
`,
      module,
    );
    expect(runtimeImports(output)).toHaveLength(1);
    expect(output).not.toMatch(/\bic\b|placeholder/);
  });

  it("keeps the other runtime imports, and any binding still referenced after the rewrite", () => {
    const output = transpile(
      `import { injected, getOrCreateClient, type ManagedClient } from "inject-client/runtime";
import * as ic from "inject-client/runtime";
${CLIENT}export type Managed = ManagedClient;
/** @injectClient */
export async function a(client: Api = injected()) { return getOrCreateClient(client); }
/** @injectClient */
export async function b(client: Api = ic.injected()) { return ic.closeClient(client); }
export const reexported = injected;
`,
      module,
    );
    expect(runtimeImports(output)).toHaveLength(3);
    if (module === ts.ModuleKind.ESNext) {
      expect(output).toContain(`import { injected, getOrCreateClient } from "inject-client/runtime";`);
      expect(output).toContain(`import * as ic from "inject-client/runtime";`);
    }
  });

  it("rebuilds the runtime import without `type` specifiers and without names that are only types", () => {
    const output = transpile(
      `import { injected, getOrCreateClient, type ManagedClient, OpenableClient, type ClientFactory as F } from "inject-client/runtime";
${CLIENT}class Local implements OpenableClient { closed = false; async open() {} async [Symbol.asyncDispose]() {} }
export const factory: F = () => new Local();
/** @injectClient */
export async function a(client: Api = injected(Api)) { const m: ManagedClient = client; return getOrCreateClient(m); }
`,
      module,
    );
    expect(output).not.toMatch(/\btype\b|ManagedClient|OpenableClient|ClientFactory/);
    if (module === ts.ModuleKind.ESNext) expect(output).toContain(`import { getOrCreateClient } from "inject-client/runtime";`);
    else expect(output).toMatch(/runtime_1\.getOrCreateClient\)\(m\)/);
  });

  it("drops a rebuilt runtime import that keeps nothing but types", () => {
    const output = transpile(
      `import { injected, type ManagedClient, OpenableClient } from "inject-client/runtime";
${CLIENT}export type Both = ManagedClient | OpenableClient;
/** @injectClient */
export async function a(client: Api = injected(Api)) { return client; }
`,
      module,
    );
    expect(runtimeImports(output)).toHaveLength(1);
    expect(runtimeImports(output)[0]).toMatch(namespaceOnly);
  });

  it("keeps a default other than injected(): its value is used like a passed client", () => {
    const output = transpile(
      `import type { ManagedClient } from "inject-client/runtime";
declare function makeClient(): ManagedClient;
/** @injectClient */
export async function a(client: ManagedClient = makeClient()) { return client; }
/** @injectClient */
export async function b({ client = makeClient() }: { client?: ManagedClient } = {}) { return client; }
`,
      module,
    );
    expect(output).toContain("client = makeClient()");
    expect(output).toContain("{ client = makeClient() } = {}");
    expect(output).not.toContain("void 0");
  });
});
