// End to end: the e2e fixture project compiled by the real tspc for CommonJS and ESM output
// (target ES2017 through ESNext), run with node. Asserts behaviour for every place the tag may
// stand, and that stack traces name the tagged function with no frame in between.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FormResult } from "./support/e2e-forms.js";
import { copyFixture, lineOf, runNode, tspc, type CommandResult, type TypeScriptVersion, removeTempDirs } from "./support/project.js";

afterAll(removeTempDirs);

interface Variant {
  name: string;
  packageType: "module" | "commonjs";
  compilerOptions: Record<string, unknown>;
  typescript?: TypeScriptVersion;
}

const variants: Variant[] = [
  {
    name: "CommonJS, target ES2017",
    packageType: "commonjs",
    compilerOptions: { module: "CommonJS", target: "ES2017", esModuleInterop: true },
  },
  {
    name: "NodeNext ESM, target ES2022",
    packageType: "module",
    compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022" },
  },
  {
    name: "ESNext modules, target ESNext",
    packageType: "module",
    compilerOptions: { module: "ESNext", moduleResolution: "Bundler", target: "ESNext" },
  },
  {
    name: "NodeNext ESM under TypeScript 6",
    packageType: "module",
    compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022" },
    typescript: "6",
  },
  {
    name: "CommonJS under TypeScript 6",
    packageType: "commonjs",
    compilerOptions: { module: "CommonJS", target: "ES2017", esModuleInterop: true },
    typescript: "6",
  },
];

/** Tagged form -> [expected fn.name, fn.length, first frame's function, second frame's function]. */
const expectations: Record<string, [string, number, RegExp, RegExp]> = {
  declared: ["declared", 0, /^at declared /, /^at call /],
  defaultExported: ["defaultExported", 0, /^at defaultExported /, /^at call /],
  notExported: ["callsNotExported", 1, /^at notExported /, /^at callsNotExported /],
  arrow: ["arrow", 0, /^at arrow /, /^at call /],
  named: ["named", 0, /^at named /, /^at call /],
  method: ["method", 0, /^at Service\.method /, /^at call /],
  staticMethod: ["staticMethod", 0, /^at (Function|Service)\.staticMethod /, /^at call /],
  literalMethod: ["literalMethod", 0, /^at Object\.literalMethod /, /^at call /],
  outer: ["outer", 0, /^at outer /, /^at call /],
  inner: ["outer", 0, /^at inner /, /^at async outer /],
};

describe.each(variants)("tspc e2e: $name", ({ packageType, compilerOptions, typescript = "5" }) => {
  const tsconfig = {
    compilerOptions: {
      lib: ["ES2022", "ESNext.Disposable"],
      types: ["node"],
      strict: true,
      skipLibCheck: true,
      rootDir: "src",
      outDir: "dist",
      sourceMap: true,
      declaration: true,
      ...compilerOptions,
      plugins: [{ transform: "@inject-client/transformer" }],
    },
    include: ["src"],
  };
  let dir: string;
  let build: CommandResult;
  let run: CommandResult;
  beforeAll(() => {
    dir = copyFixture("e2e", {
      "package.json": JSON.stringify({ type: packageType }),
      "tsconfig.json": JSON.stringify(tsconfig, null, 2),
    });
    build = tspc(dir, [], typescript);
    run = build.status === 0 ? runNode("dist/main.js", dir) : { status: null, output: "" };
  });
  const results = (): Record<string, FormResult> => JSON.parse(run.output) as Record<string, FormResult>;

  it(`really compiles with TypeScript ${typescript === "6" ? "6.0.3" : "5.9.3"}`, () => {
    expect(tspc(dir, ["--version"], typescript).output).toContain(typescript === "6" ? "Version 6.0.3" : "Version 5.9.3");
  });

  it("compiles without diagnostics and runs", () => {
    expect(build.output).toBe("");
    expect(build.status).toBe(0);
    expect(run.status).toBe(0);
  });

  it("emits a namespace import of inject-client/runtime and no call to injected()", () => {
    const js = readFileSync(join(dir, "dist/forms.js"), "utf8");
    expect(js).not.toMatch(/injected\(\)/);
    expect(js).toMatch(packageType === "commonjs" ? /require\("inject-client\/runtime"\)/ : /import \* as \w+ from "inject-client\/runtime"/);
  });

  it.each(Object.keys(expectations))("%s: passed client used untouched, factory client opened and closed once", (form) => {
    const result = results()[form]!;
    // inner is called by outer without a client, so it never sees the one passed to outer.
    expect(result.passedUsed).toBe(form !== "inner");
    expect(result.passedLifecycle).toEqual([0, 0]);
    if (form === "outer" || form === "inner") {
      // outer owns one client; inner, called without one, resolves (and owns) its own.
      expect(result.factoryLifecycle).toEqual([
        [1, 1],
        [1, 1],
      ]);
    } else {
      expect(result.factoryUsed).toBe(true);
      expect(result.factoryLifecycle).toEqual([[1, 1]]);
    }
  });

  it.each(Object.keys(expectations))("%s: a context client of another class is skipped for one of the declared class", (form) => {
    expect(results()[form]!.otherSkipped).toBe(true);
  });

  it.each(Object.keys(expectations))("%s: same fn.name and fn.length, and the stack names it with no extra frame", (form) => {
    const [fnName, fnLength, top, caller] = expectations[form]!;
    const result = results()[form]!;
    expect([result.fnName, result.fnLength]).toEqual([fnName, fnLength]);
    const [first, second] = result.stack.map((line) => line.trim());
    expect(first).toMatch(top);
    expect(second).toMatch(caller);
    // Source maps still point at the user's line (the one marked `stack: <form>`).
    const source = join(dir, "src/forms.ts");
    expect(first).toContain(`${source}:${lineOf(source, `// stack: ${form}`)}:`);
  });

  it("leaves declarations unchanged", () => {
    const dts = readFileSync(join(dir, "dist/forms.d.ts"), "utf8");
    expect(dts).toContain("export declare function declared(client?: CountingClient): Promise<Observed>;");
    expect(dts).toContain("method({ client }?: {");
  });
});
