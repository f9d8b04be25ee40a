// The doors into the core: the package exports tspc, ts-node/ts-jest and Vite use, and the
// architecture rules around them (transformed code reaches the runtime only by its import string).
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import typescriptModule from "typescript";
import { describe, expect, it } from "vitest";
import * as esmEntry from "@inject-client/transformer";
import { injectClient } from "@inject-client/transformer/vite";
import { REPO } from "./support/project.js";

// The compiler is CommonJS: its default import is the `ts` namespace.
const ts = typescriptModule as unknown as typeof import("typescript");
const require = createRequire(join(REPO, "package.json"));

const TAGGED = `import { injected, type ManagedClient } from "inject-client/runtime";
/** @injectClient */
export async function tagged(client: Api = injected(Api)) {
  return client;
}
class Api implements ManagedClient { closed = false; async [Symbol.asyncDispose]() {} }
`;
const MISUSE = `import { injected } from "inject-client/runtime";
export async function untagged(client = injected()) {
  return client;
}
`;

describe("@inject-client/transformer", () => {
  it("resolves to the CommonJS build for require() (how ts-patch loads plugins) and the ESM build for import", () => {
    expect(require.resolve("@inject-client/transformer")).toBe(join(REPO, "transformer/dist/cjs/index.js"));
    const cjs = require("@inject-client/transformer") as typeof esmEntry;
    expect(typeof cjs.default).toBe("function");
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esmEntry).sort());
  });

  it("meets ts-jest's astTransformers contract (name, version, factory)", () => {
    const cjs = require("@inject-client/transformer") as typeof esmEntry;
    expect([typeof cjs.name, typeof cjs.version, typeof cjs.factory]).toEqual(["string", "string", "function"]);
    const factory = cjs.factory({ configSet: { compilerModule: ts } });
    const output = ts.transpileModule(TAGGED, { fileName: "tagged.ts", transformers: { before: [factory] } }).outputText;
    expect(output).toContain(".getOrCreateClient(client, Api)");
  });

  it("injectClientTransformer() works in getCustomTransformers, and throws misuse when no onDiagnostic is given", () => {
    const transform = (code: string, options?: esmEntry.InjectClientTransformerOptions) =>
      ts.transpileModule(code, {
        fileName: "file.ts",
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        transformers: { before: [esmEntry.injectClientTransformer(options)] },
      }).outputText;
    expect(transform(TAGGED)).toMatch(/^import \* as inject_client_runtime_1 from "inject-client\/runtime";/);
    expect(() => transform(MISUSE)).toThrow(/file\.ts:2:41 - error TS47004: @injectClient: injected\(\) only works/);
    const seen: number[] = [];
    transform(MISUSE, { onDiagnostic: (diagnostic) => seen.push(diagnostic.code) });
    expect(seen).toEqual([esmEntry.InjectClientDiagnostic.InjectedOutsideTaggedFunction]);
  });
});

describe("@inject-client/transformer/vite", () => {
  const plugin = injectClient();
  // Left alone is null from the handler, or undefined from the filter (applied in JavaScript when no Vite calls).
  const transform = async (code: string, id: string, on = plugin) => (await on.transform.handler(code, id)) ?? null;

  it("rewrites tagged TypeScript, with a source map", async () => {
    const result = await transform(TAGGED, "/app/src/tagged.ts");
    expect(result?.code).toContain(".getOrCreateClient(client, Api)");
    expect(result?.code).not.toContain("sourceMappingURL");
    expect(result?.map).toMatchObject({ version: 3, sources: ["tagged.ts"] });
  });

  it("leaves everything else to Vite: untagged files, non-TypeScript, node_modules, excluded ids", async () => {
    expect(await transform("export const x = 1;\n", "/app/src/plain.ts")).toBeNull();
    expect(await transform('import { x } from "inject-client/runtime";\nexport const y = x;\n', "/app/src/imports.ts")).toBeNull();
    expect(await transform(TAGGED, "/app/src/tagged.js")).toBeNull();
    expect(await transform(TAGGED, "/app/node_modules/lib/tagged.ts")).toBeNull();
    expect(await transform(TAGGED, "/app/test/tagged.ts", injectClient({ include: /\/src\// }))).toBeNull();
    expect(await transform(TAGGED, "/app/src/tagged.ts", injectClient({ exclude: (id) => id.endsWith("tagged.ts") }))).toBeNull();
  });

  it("hands Vite a filter it applies before calling into JavaScript: only ids and text that may need the transform", () => {
    const { id, code } = plugin.transform.filter;
    expect([id.include.test("/app/src/a.ts"), id.include.test("/app/src/a.mts?v=1"), id.include.test("/app/src/a.css")]).toEqual([true, true, false]);
    expect(id.exclude.test("/app/node_modules/lib/a.ts")).toBe(true);
    expect([code.test(TAGGED), code.test(MISUSE), code.test("export const x = 1;\n")]).toEqual([true, true, false]);
  });

  it("builds no source map for a build without maps, and one for the dev server, Vitest and a build with maps", async () => {
    const made = (command: "build" | "serve", sourcemap?: boolean) => {
      const instance = injectClient();
      instance.configResolved({ command, build: { sourcemap } });
      return transform(TAGGED, "/app/src/tagged.ts", instance);
    };
    const unmapped = await made("build", false);
    expect(unmapped?.code).toContain(".getOrCreateClient(client, Api)");
    expect(unmapped?.map).toBeNull();
    expect((await made("serve"))?.map).toMatchObject({ version: 3 });
    expect((await made("build", true))?.map).toMatchObject({ version: 3 });
  });

  it("fails the module on misuse, with file:line:col and the code", async () => {
    await expect(transform(MISUSE, "/app/src/misuse.ts?v=1")).rejects.toThrow(/^\/app\/src\/misuse\.ts:2:41 - error TS47004: /);
  });
});

describe("architecture", () => {
  const sources = (dir: string) =>
    readdirSync(join(REPO, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => [file, readFileSync(join(REPO, dir, file), "utf8")] as const);

  it("the transformer imports no runtime code (rewritten code reaches it only through the import string)", () => {
    for (const [file, text] of sources("transformer")) {
      expect([file, text.match(/from\s+["'](\.\.\/runtime[^"']*|inject-client\/runtime)["']/g)]).toEqual([file, null]);
    }
  });

  it("the runtime never imports typescript", () => {
    for (const [file, text] of sources("runtime")) {
      expect([file, /from\s+["']typescript["']|require\(["']typescript["']\)/.test(text)]).toEqual([file, false]);
    }
  });
});
