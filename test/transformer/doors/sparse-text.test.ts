// The sparse text the core parses (transformer/core/sparse-text.ts): which blocks it blanks, where it
// gives up, and, over real code, that the analysis and the rewrite of the sparse AST are the file's.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import MagicString from "magic-string";
import { describe, expect, it } from "vitest";
import { oxcParseSync } from "../../../transformer/core/oxc-parse.js";
import { rewrite } from "../../../transformer/core/rewrite.js";
import { sparseText } from "../../../transformer/core/sparse-text.js";
import { parseAndAnalyze } from "../../../transformer/core/transform.js";
import { languageOf } from "../../../transformer/core/ast.js";
import { REPO } from "../support/project.js";

/** The sparse text with each blanked span shown as `…`; undefined where the scan gave up. */
function shown(code: string): string | undefined {
  const sparse = sparseText(code);
  if (!sparse) return undefined;
  let text = "";
  let from = 0;
  for (let index = 0; index < sparse.spans.length; index += 2) {
    text += `${code.slice(from, sparse.spans[index])}…`;
    from = sparse.spans[index + 1]!;
  }
  return text + code.slice(from);
}

const IMPORT = `import { injected } from "inject-client/runtime";\n`;

describe("sparseText: the blocks it blanks", () => {
  const table: Array<{ name: string; given: string; want: string | undefined }> = [
    {
      name: "an untagged function's body; the tagged one's kept whole, nested blocks too",
      given: `${IMPORT}function a(x: number) { if (x) { return 1 } return 2 }\n/** @injectClient */\nasync function b(client = injected()) { if (client) { return 1 } return 2 }\n`,
      want: `${IMPORT}function a(x: number) {…}\n/** @injectClient */\nasync function b(client = injected()) { if (client) { return 1 } return 2 }\n`,
    },
    {
      name: "a return type's literal before the body: both kept",
      given: `/** @injectClient */\nasync function b(client = injected()): Promise<{ a: { b: 1 } }> { return { a: { b: 1 } } }\nfunction c() { return {} }\n`,
      want: `/** @injectClient */\nasync function b(client = injected()): Promise<{ a: { b: 1 } }> { return { a: { b: 1 } } }\nfunction c() {…}\n`,
    },
    {
      name: "a return type that is a literal: `): { … } {`",
      given: `/** @injectClient */\nasync function b(client = injected()): { a: 1 } { return { a: 1 } }\nfunction c() { x() }\n`,
      want: `/** @injectClient */\nasync function b(client = injected()): { a: 1 } { return { a: 1 } }\nfunction c() {…}\n`,
    },
    {
      name: "an arrow's body, and a class with one tagged method among others",
      given: `/** @injectClient */\nconst f = async (client = injected()) => { return 1 };\nclass K {\n  other() { return 2 }\n  /** @injectClient */\n  async m(client = injected()) { return 3 }\n  last() { return 4 }\n}\n`,
      want: `/** @injectClient */\nconst f = async (client = injected()) => { return 1 };\nclass K {\n  other() {…}\n  /** @injectClient */\n  async m(client = injected()) { return 3 }\n  last() {…}\n}\n`,
    },
    {
      name: "import and export lists, and a block naming `injected` (a misuse the analysis reports) or an alias of it",
      given: `import { injected as inj } from "inject-client/runtime";\nimport type { A } from "./a.js";\nexport { A };\nfunction a() { inj() }\nfunction b() { injected }\nfunction c() { d() }\n`,
      want: `import { injected as inj } from "inject-client/runtime";\nimport type { A } from "./a.js";\nexport { A };\nfunction a() { inj() }\nfunction b() { injected }\nfunction c() {…}\n`,
    },
    {
      name: "braces in strings, templates, comments and regular expressions are not blocks",
      given: `function a() { const s = "{" + '}' + \`\${ { a: 1 }.a }{\`; /* { */ return /[{}]/.test(s) } // }\nfunction b() { return 1 }\n`,
      want: `function a() {…} // }\nfunction b() {…}\n`,
    },
    {
      name: "blocks inside parentheses or brackets are left alone (a call's callback, an array's objects)",
      given: `run(() => { work() });\nconst list = [{ a: 1 }];\n`,
      want: `run(() => { work() });\nconst list = [{ a: 1 }];\n`,
    },
    { name: "an unterminated string: gives up", given: `function a() { return "open\n}\n`, want: undefined },
    { name: "an unbalanced brace: gives up", given: `function a() { return 1 }\n}\n`, want: undefined },
    { name: "an unterminated comment: gives up", given: `function a() { return 1 }\n/* open`, want: undefined },
    {
      name: "a function type's literal taken for the body (the guess `serves` catches): the real body blanked",
      given: `/** @injectClient */\nasync function b(client = injected()): Promise<() => { a: 1 }> { return () => ({ a: 1 }) }\n`,
      want: `/** @injectClient */\nasync function b(client = injected()): Promise<() => { a: 1 }> {…}\n`,
    },
  ];
  for (const { name, given, want } of table) {
    it(name, () => {
      expect(shown(given)).toBe(want);
      const sparse = sparseText(given);
      if (sparse) {
        expect(sparse.text.length).toBe(given.length);
        expect(oxcParseSync("given.ts", sparse.text, { lang: "ts", sourceType: "module", preserveParens: true }).errors).toEqual([]);
      }
    });
  }
});

/** What the core decides and writes for a file: its findings, its targets and the rewritten text. */
function outcome(code: string, fileName: string, sparse: boolean) {
  const lang = languageOf(fileName)!;
  const analyzed = parseAndAnalyze(oxcParseSync, fileName, code, lang, {}, sparse);
  if (!analyzed) return undefined;
  const s = new MagicString(code);
  if (analyzed.targets.length > 0) rewrite(code, s, analyzed.parsed.program, analyzed.targets, "esm");
  return {
    fromSparseText: analyzed.fromSparseText,
    findings: analyzed.findings.map((finding) => `${finding.node.start}-${finding.node.end} TS${finding.code} ${finding.message}`),
    targets: analyzed.targets.map(({ fn, binding }) => `${fn.start}-${fn.end} ${binding.local.name} ${JSON.stringify(binding.key?.kind)}`),
    code: s.toString(),
  };
}

/** The repository's own TypeScript and the JavaScript of a few dependencies: real code, in many styles. */
function corpus(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(m|c)?(ts|js)$/.test(entry.name) && !/\.d\.[mc]?ts$/.test(entry.name)) files.push(path);
    }
  };
  for (const dir of ["transformer", "runtime", "codegen", "bench", "test", "examples", "node_modules/undici/lib", "node_modules/magic-string/dist"]) {
    walk(join(REPO, dir));
  }
  return files;
}

/** Each file with a tagged function added at the end and `injected` imported: every untagged block around it may go. */
function tagged(code: string): string {
  const probe = `\nclass Probe_ {}\n/** @injectClient */\nexport async function probe_(id: number, client = injected_probe(Probe_)) { if (id) { return client } for (;;) { return id } }\n`;
  return `import { injected as injected_probe } from "inject-client/runtime";\n${code}${probe}`;
}

describe("parseAndAnalyze on the sparse text", () => {
  it("falls back to the whole text when a function it rewrites lost its body, with the same rewrite", () => {
    const code = `${IMPORT}class K {}\n/** @injectClient */\nasync function b(client = injected(K)): Promise<() => { a: 1 }> { if (client) { return () => ({ a: 1 }) } }\n`;
    const sparse = outcome(code, "b.ts", true)!;
    expect(sparse.fromSparseText).toBe(false);
    expect(sparse.code).toBe(outcome(code, "b.ts", false)!.code);
    expect(sparse.targets).toHaveLength(1);
    expect(sparse.code).toContain("break body");
  });

  it("falls back when `injected` goes by a name the scan did not take for an alias", () => {
    // A comment between the name and \`as\` hides the alias from the scan: the misuse in a() must still be reported.
    const code = `import { injected /* x */ as inj } from "inject-client/runtime";\nfunction a() { inj() }\nfunction c() { d() }\n`;
    const sparse = outcome(code, "a.ts", true)!;
    expect(sparse.fromSparseText).toBe(false);
    expect(sparse.findings).toHaveLength(1);
  });
});

describe("sparseText over real code", () => {
  it("gives the same findings, targets and rewrite as the whole text, and is used for most files", () => {
    const files = corpus();
    expect(files.length).toBeGreaterThan(300);
    let usedSparse = 0;
    let parsed = 0;
    const lost: string[] = [];
    for (const file of files) {
      const code = readFileSync(file, "utf8");
      const fileName = file.endsWith(".js") || file.endsWith(".cjs") || file.endsWith(".mjs") ? file : file.replace(/\.[mc]?ts$/, ".ts");
      for (const text of [code, tagged(code)]) {
        const whole = outcome(text, fileName, false);
        if (!whole) continue; // a syntax error (a fixture meant to fail): left to the next tool either way
        parsed++;
        const { fromSparseText, ...sparse } = outcome(text, fileName, true)!;
        expect({ ...sparse, fromSparseText: whole.fromSparseText }, relative(REPO, file)).toEqual(whole);
        if (text !== code) expect(whole.targets.length, relative(REPO, file)).toBeGreaterThan(0);
        if (fromSparseText) usedSparse++;
        else lost.push(relative(REPO, file));
      }
    }
    // The files the sparse text could not serve, by name, for a look when the share drops.
    expect(usedSparse / parsed, `not sparse: ${lost.slice(0, 20).join(", ")}`).toBeGreaterThan(0.95);
  });
});
