// Every import shape around the rewrite emits JavaScript node loads: the import-shapes fixture (inline
// `type` specifiers next to `injected`, `import type`, interfaces imported without `type`, default +
// named, namespaces, `injected as inj`, the key class imported with types from its module) compiled
// by the real tspc for ES modules and CommonJS, under TypeScript 5 and 6, then run with node.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFixture, runNode, tspc, type CommandResult, type TypeScriptVersion, removeTempDirs } from "./support/project.js";

afterAll(removeTempDirs);

const SHAPES = [
  "inlineType",
  "onlyTypesLeft",
  "noTypeKeyword",
  "importType",
  "defaultAndNamed",
  "namespaced",
  "namespaceKept",
  "aliasedKeyed",
  "aliasedKeyless",
  "keyWithTypes",
];
/** Names the runtime exports only as types: an import of one of them fails to load as an ES module. */
/** `import type …`, `{ type X }`, `, type X`: TypeScript syntax, which node refuses. */
const TYPESCRIPT_IMPORT = /\bimport\s+type\b|[{,]\s*type\s+[\w$]/;
const RUNTIME_TYPES = /\b(ManagedClient|OpenableClient|ClientFactory|Managed)\b/;

const variants: Array<{ name: string; packageType: "module" | "commonjs"; compilerOptions: Record<string, unknown>; typescript: TypeScriptVersion }> =
  [
    { name: "NodeNext ES modules", packageType: "module", compilerOptions: {}, typescript: "5" },
    {
      name: "CommonJS",
      packageType: "commonjs",
      compilerOptions: { module: "CommonJS", moduleResolution: "Node10", esModuleInterop: true },
      typescript: "5",
    },
    { name: "NodeNext ES modules under TypeScript 6", packageType: "module", compilerOptions: {}, typescript: "6" },
  ];

describe.each(variants)("import shapes: $name", ({ packageType, compilerOptions, typescript }) => {
  let dir: string;
  let build: CommandResult;
  let run: CommandResult;
  beforeAll(() => {
    const tsconfig = JSON.parse(readFileSync(join(__dirname, "../fixtures/transformer/import-shapes/tsconfig.json"), "utf8")) as {
      compilerOptions: object;
    };
    dir = copyFixture("import-shapes", {
      "package.json": JSON.stringify({ type: packageType }),
      "tsconfig.json": JSON.stringify({ ...tsconfig, compilerOptions: { ...tsconfig.compilerOptions, ...compilerOptions } }, null, 2),
    });
    build = tspc(dir, [], typescript);
    run = build.status === 0 ? runNode("dist/main.js", dir) : { status: null, output: "" };
  });

  it("compiles without diagnostics and node loads and runs every file", () => {
    expect(build.output).toBe("");
    expect(build.status).toBe(0);
    expect(run.output).not.toMatch(/SyntaxError|does not provide an export/);
    expect(run.status).toBe(0);
  });

  it("emits no TypeScript and no type-only name in any import or require", () => {
    const dist = join(dir, "dist");
    for (const file of readdirSync(dist).filter((name) => name.endsWith(".js"))) {
      const imports = readFileSync(join(dist, file), "utf8")
        .split("\n")
        .filter((line) => /^import\b|require\(/.test(line));
      for (const line of imports) {
        expect([file, line, TYPESCRIPT_IMPORT.test(line) || RUNTIME_TYPES.test(line)]).toEqual([file, line, false]);
      }
    }
  });

  it("resolves each shape's client by its class: created by the class's factory, a context client of another class skipped, a passed one used", () => {
    const results = JSON.parse(run.output) as Record<string, string[]>;
    expect(Object.keys(results).sort()).toEqual([...SHAPES].sort());
    for (const shape of SHAPES) expect([shape, results[shape]]).toEqual([shape, ["made", "made", "passed"]]);
  });
});
