// The class key the rewrite passes to getOrCreateClient: `injected(Key)`'s argument, else the class the
// annotation names (imported by the rewrite when the file imports it only as a type); TS47007 for a
// keyless `injected()` with no class to name. Transpiled per file as Vite does, and through a program
// whose type checker tells an imported class from an imported interface, as tspc does.
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import typescriptModule from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { injectClientTransformer } from "@inject-client/transformer";
import { injectClient } from "@inject-client/transformer/vite";
import { linkPackedPackages } from "../support/installed-packages.js";
import { makeTempDir } from "./support/project.js";

// The compiler is CommonJS: its default import is the `ts` namespace.
const ts = typescriptModule as unknown as typeof import("typescript");

interface Emitted {
  output: string;
  diagnostics: string[];
}

function transpile(code: string): Emitted {
  const diagnostics: string[] = [];
  const output = ts.transpileModule(code, {
    fileName: "file.ts",
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    transformers: {
      before: [
        injectClientTransformer({
          onDiagnostic: (d) =>
            diagnostics.push(
              `${d.file!.getLineAndCharacterOfPosition(d.start!).line + 1}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
            ),
        }),
      ],
    },
  }).outputText;
  return { output, diagnostics };
}

/**
 * A scratch dir (outside the repo: else `inject-client/runtime` would resolve up the tree to the repo's
 * workspace) whose node_modules has the runtime as installed from its packed tarball, for node and tsc.
 */
function userProject(name: string): string {
  const dir = makeTempDir(name);
  linkPackedPackages(dir, ["inject-client"]);
  return dir;
}

const resolveLine = (output: string) => /getOrCreateClient\((.*)\);/.exec(output)?.[1];

describe("the key of each form", () => {
  it("injected(Key): the argument as written, and the user's import of it stays (it is a value use)", () => {
    const { output, diagnostics } = transpile(`import { injected } from "inject-client/runtime";
import { PrefectClient } from "./generated/prefect/index.js";
/** @injectClient */
export async function runs(client: PrefectClient = injected(PrefectClient)) { return client; }
`);
    expect(diagnostics).toEqual([]);
    expect(resolveLine(output)).toBe("client, PrefectClient");
    expect(output).toContain(`import { PrefectClient } from "./generated/prefect/index.js";`);
  });

  it("keyless injected() with a class imported only as a type: the rewrite imports its module where the user did, and guards against an interface", () => {
    const { output, diagnostics } = transpile(`import "./first.js";
import { injected } from "inject-client/runtime";
import type { PrefectClient } from "./generated/prefect/index.js";
import "./last.js";
/** @injectClient */
export async function runs(client: PrefectClient | undefined = injected()) { return client; }
`);
    expect(diagnostics).toEqual([]);
    expect(resolveLine(output)).toBe(
      `client, PrefectClient_module_1.PrefectClient ?? inject_client_runtime_1.missingClientClass("PrefectClient", "./generated/prefect/index.js")`,
    );
    const imports = output.split("\n").filter((line) => line.startsWith("import"));
    expect(imports).toEqual([
      `import * as inject_client_runtime_1 from "inject-client/runtime";`,
      `import "./first.js";`,
      `import * as PrefectClient_module_1 from "./generated/prefect/index.js";`,
      `import "./last.js";`,
    ]);
  });

  it("a class declared in the file, a default import, a namespace import; one import per module", () => {
    const { output, diagnostics } = transpile(`import { injected } from "inject-client/runtime";
import Pets, { type PetOptions } from "./pets.js";
import type * as gen from "./generated/prefect/index.js";
import type { FlowClient } from "./generated/prefect/index.js";
class Local { closed = false; async [Symbol.asyncDispose]() {} }
/** @injectClient */
export async function local(client: Local = injected()) { return client; }
/** @injectClient */
export async function pets(options: PetOptions, { client }: { client?: Pets | null } = {}) { return client; }
/** @injectClient */
export async function qualified(client?: gen.PrefectClient) { return client; }
/** @injectClient */
export async function sameModule(client?: FlowClient) { return client; }
`);
    expect(diagnostics).toEqual([]);
    const keys = [...output.matchAll(/getOrCreateClient\((.*)\);/g)].map((match) => match[1]);
    // No guard without a placeholder: an interface there resolves unkeyed, as without a class.
    expect(keys).toEqual([
      "client, Local",
      "client, Pets_module_1.default",
      "client, PrefectClient_module_1.PrefectClient",
      "client, PrefectClient_module_1.FlowClient",
    ]);
    expect(output.match(/import \* as \w+ from "\.\/generated\/prefect\/index\.js"/g)).toHaveLength(1);
  });

  it("optional and destructured forms with no class to name resolve unkeyed, with no diagnostic", () => {
    const { output, diagnostics } = transpile(`import type { ManagedClient } from "inject-client/runtime";
interface Shaped { closed: boolean; [Symbol.asyncDispose](): Promise<void> }
type Options = { client?: Shaped };
/** @injectClient */
export async function a(client?: ManagedClient) { return client; }
/** @injectClient */
export async function b({ client }: Options = {}) { return client; }
/** @injectClient */
export async function c({ client }: { client?: Shaped | ManagedClient } = {}) { return client; }
`);
    expect(diagnostics).toEqual([]);
    expect([...output.matchAll(/getOrCreateClient\((.*)\);/g)].map((match) => match[1])).toEqual(["client", "client", "client"]);
  });
});

describe("the guard, where no type checker could tell (the Vite plugin)", () => {
  it("an imported interface behind a keyless injected() fails the call with an error that says what to write", async () => {
    const dir = userProject("guard");
    try {
      const tagged = await injectClient().transform.handler(
        `import { injected } from "inject-client/runtime";
import type { PetLike } from "./types.js";
/** @injectClient */
export async function pets(client: PetLike = injected()) { return client; }
`,
        join(dir, "tagged.ts"),
      );
      // The plugin edits the TypeScript in place; Vite strips the types after it (here: transpileModule does).
      const stripped = ts.transpileModule(tagged!.code, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      writeFileSync(join(dir, "tagged.mjs"), stripped.replace(`from "./types.js"`, `from "./types.mjs"`));
      // What an interface-only module compiles to: no export at run time.
      writeFileSync(join(dir, "types.mjs"), "export {};\n");
      writeFileSync(
        join(dir, "main.mjs"),
        `import { pets } from "./tagged.mjs";\npets().then(() => console.log("resolved"), (error) => console.log(error.message));\n`,
      );
      const run = spawnSync(process.execPath, ["main.mjs"], { cwd: dir, encoding: "utf8", timeout: 10_000 });
      expect(run.stdout.trim()).toBe(
        'inject-client: `client` is declared as PetLike from "./types.js", which has no class PetLike at run time (an interface or a type?), so there is no class to resolve. ' +
          "Write `client: PetLike = injected(TheClientClass)` with the client class itself.",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

describe("TS47007: a keyless injected() with no class to name", () => {
  it("says why and what to write, at the placeholder's line", () => {
    const { output, diagnostics } = transpile(`import { injected, type ManagedClient } from "inject-client/runtime";
interface Shaped { closed: boolean; [Symbol.asyncDispose](): Promise<void> }
type Alias = Shaped;
type Options = { client?: Shaped };
/** @injectClient */
export async function anInterface(client: Shaped = injected()) { return client; }
/** @injectClient */
export async function anAlias(client: Alias = injected()) { return client; }
/** @injectClient */
export async function inline(client: { closed: boolean; [Symbol.asyncDispose](): Promise<void> } = injected()) { return client; }
/** @injectClient */
export async function fromRuntime(client: ManagedClient = injected()) { return client; }
/** @injectClient */
export async function union(client: Shaped | ManagedClient = injected()) { return client; }
/** @injectClient */
export async function unannotated(client = injected()) { return client; }
/** @injectClient */
export async function namedOptions({ client = injected() }: Options = {}) { return client; }
/** @injectClient */
export async function global(client: GlobalClient = injected()) { return client; }
`);
    const why = (line: number, reason: string) =>
      expect.stringMatching(
        new RegExp(
          `^${line}: TS47007 @injectClient: in \\w+, cannot tell which client class \`client\` is: ${reason}\\. .*write \`injected\\(TheClass\\)\``,
        ),
      );
    expect(diagnostics).toEqual([
      why(6, "`Shaped` is an interface, not a class"),
      why(8, "`Alias` is a type alias, not a class"),
      why(10, "its type is an inline type, not a class"),
      why(12, "`ManagedClient` is a type from inject-client/runtime, not a client class"),
      why(14, "its type \\(`Shaped \\| ManagedClient`\\) is a union"),
      why(16, "it has no type annotation"),
      why(18, "the options parameter's type is not written inline, so its `client` member is out of sight"),
      why(20, "`GlobalClient` is neither a class declared in this file nor imported into it"),
    ]);
    // Each function is left as written.
    expect(output).not.toContain("getOrCreateClient");
  });
});

describe("with the program's type checker (as under tspc)", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function emitWithProgram(files: Record<string, string>): Emitted & { outputs: Record<string, string> } {
    const dir = userProject("keys");
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const program = ts.createProgram(
      Object.keys(files).map((name) => join(dir, name)),
      {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        strict: true,
        noEmitOnError: false,
        skipLibCheck: true,
        types: [],
      },
    );
    const diagnostics: string[] = [];
    const outputs: Record<string, string> = {};
    program.emit(
      undefined,
      (fileName, text) => {
        if (fileName.endsWith(".js")) outputs[fileName.slice(dir.length + 1)] = text;
      },
      undefined,
      false,
      {
        before: [
          injectClientTransformer({
            program,
            onDiagnostic: (d) =>
              diagnostics.push(`${d.file!.fileName.slice(dir.length + 1)}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`),
          }),
        ],
      },
    );
    return { output: outputs["tagged.js"] ?? "", diagnostics, outputs };
  }

  it("an imported interface behind a keyless injected() is TS47007 at compile time; an imported class needs no guard", () => {
    const { output, diagnostics } = emitWithProgram({
      "clients.ts": `export interface PetLike { closed: boolean; [Symbol.asyncDispose](): Promise<void> }
export class PetClient implements PetLike { closed = false; async [Symbol.asyncDispose]() {} }
export type PetAlias = PetClient;
`,
      "tagged.ts": `import { injected } from "inject-client/runtime";
import type { PetLike, PetClient, PetAlias } from "./clients.js";
/** @injectClient */
export async function likes(client: PetLike = injected()) { return client; }
/** @injectClient */
export async function pets(client: PetClient = injected()) { return client; }
/** @injectClient */
export async function aliased(client: PetAlias = injected()) { return client; }
/** @injectClient */
export async function optional(client?: PetLike) { return client; }
`,
    });
    expect(diagnostics).toEqual([
      expect.stringMatching(
        /^tagged\.ts: TS47007 @injectClient: in likes, cannot tell which client class `client` is: `PetLike` \(from "\.\/clients\.js"\) is a type, not a class/,
      ),
      expect.stringMatching(
        /^tagged\.ts: TS47007 @injectClient: in aliased, cannot tell .*`PetAlias` \(from "\.\/clients\.js"\) is a type, not a class/,
      ),
    ]);
    const keys = [...output.matchAll(/getOrCreateClient\((.*)\);/g)].map((match) => match[1]);
    expect(keys).toEqual(["client, PetClient_module_1.PetClient", "client"]);
  }, 240_000);
});
