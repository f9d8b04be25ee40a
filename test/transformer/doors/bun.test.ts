// The Bun door (@inject-client/transformer/bun) under real Bun: bun@1.4.5 from npm, installed with the packed
// tarballs into a fresh project in os.tmpdir() (no link to this repository). Through the bunfig.toml preload, `bun run`
// runs the e2e fixture every other door runs (every tagged form, both client forms, keyed and keyless, nested tagged
// functions, returns) and the parity fixture's behaviour table next to the runtime wrapper; misuse fails the run with
// file:line:col; an untagged file loads as written; `bun test` takes it as a [test] preload; and `Bun.build` with
// `injectClient()` bundles the same program, which node runs with every form's stack frame on the user's line.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { firstErrorLine } from "../../../bench/matrix/cells.js";
import { packTarballs, scratchProject, sh } from "../../../bench/lib/install.js";
import { expectEveryForm } from "../support/e2e-forms.js";
import { FIXTURES } from "../support/project.js";

const BUN = "bun@1.4.5";
const PRELOAD = `preload = ["@inject-client/transformer/bun"]\n\n[test]\npreload = ["@inject-client/transformer/bun"]\n`;

let scratch: string;
/** The app: the e2e fixture in src/, the parity fixture in parity/, bunfig.toml with the preload. */
let app: string;
/** A directory of the app with no bunfig.toml: Bun reads it from the working directory, so runs from here have no preload. */
let plain: string;
let bun: string;

/** Why the project could not be set up; each test fails with it (a failed beforeAll would only mark them skipped). */
let setupError: Error | undefined;

async function setUp(): Promise<void> {
  scratch = mkdtempSync(join(tmpdir(), "inject-client-bun-"));
  const tarballs = packTarballs(join(scratch, "packs"));
  app = scratchProject(join(scratch, "app"));
  const install = `npm install --save-dev ${tarballs.runtime} ${tarballs.transformer} ${BUN} @types/bun@1.4.5 typescript@5.9.3`;
  try {
    await sh(install, app, { timeoutMs: 240_000 });
  } catch (error) {
    const output = (error as { output?: string }).output ?? (error as Error).message;
    throw new Error(`could not install ${BUN} and the packed tarballs from the npm registry (is it reachable?): ${firstErrorLine(output)}`);
  }
  bun = join(app, "node_modules/.bin/bun");
  const version = spawnSync(bun, ["--version"], { encoding: "utf8", timeout: 10_000 });
  if (version.stdout?.trim() !== "1.4.5")
    throw new Error(`${bun} --version said ${JSON.stringify(version.stdout ?? version.error?.message)}, not 1.4.5`);
  cpSync(join(FIXTURES, "e2e/src"), join(app, "src"), { recursive: true });
  cpSync(join(FIXTURES, "parity/src"), join(app, "parity/src"), { recursive: true });
  writeFileSync(join(app, "bunfig.toml"), PRELOAD);
  plain = join(app, "plain");
  mkdirSync(plain);
}

beforeAll(async () => {
  setupError = await setUp().then(
    () => undefined,
    (error: Error) => error,
  );
}, 300_000);

beforeEach(() => {
  if (setupError) throw setupError;
});

afterAll(() => {
  if (scratch && !process.env.KEEP_TMP) rmSync(scratch, { recursive: true, force: true });
});

function run(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("bun run with the bunfig.toml preload", () => {
  it("runs every tagged form of the e2e fixture", () => {
    const result = run(bun, ["run", "src/main.ts"], app);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expectEveryForm(result.stdout, { sourceDir: join(app, "src"), engine: "jsc" });
  });

  it("JavaScriptCore's own frame names: an untagged method and an awaiting async arrow, with no preload", () => {
    writeFileSync(
      join(app, "frames.ts"),
      `class Service { async method() { return new Error().stack!; } }
const awaiting = async () => { await null; return new Error().stack!; };
console.log(JSON.stringify([await new Service().method(), await awaiting()].map((stack) => stack.split("\\n")[1]!.trim())));
`,
    );
    const result = run(bun, ["run", "../frames.ts"], plain);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual([expect.stringMatching(/^at method \(/), expect.stringMatching(/^at <anonymous> \(/)]);
  });

  it("without the preload the same program fails: the preload is what rewrites it", () => {
    const result = run(bun, ["run", "../src/main.ts"], plain);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/InjectedNotTransformedError|was not transformed/);
  });

  it("importing a misused file throws file:line:col and the code, and the run fails there", () => {
    writeFileSync(
      join(app, "misused.ts"),
      `import { injected } from "inject-client/runtime";\n\n/** @injectClient */\nexport async function none(other: string) {}\n`,
    );
    writeFileSync(
      join(app, "runs-misused.ts"),
      `console.log("before");\nconst { none } = await import("./misused.ts");\nconsole.log("after", none);\n`,
    );
    const result = run(bun, ["run", "runs-misused.ts"], app);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe("before\n");
    expect(result.stderr).toContain(`${join(app, "misused.ts")}:4:1 - error TS47003: @injectClient: none has no client to inject`);
  });

  it("an untagged file (the tag's name in prose, a `client` parameter) loads as written", () => {
    writeFileSync(
      join(app, "untagged.ts"),
      `/** Mentions @injectClient mid-line, and injected, but carries no tag. */
export async function fetchAll(id: string, client?: { get(id: string): Promise<string> }): Promise<string> {
  return client ? client.get(id) : "none";
}
console.log(JSON.stringify({ source: fetchAll.toString(), result: await fetchAll("x") }));
`,
    );
    const withPreload = run(bun, ["run", "untagged.ts"], app);
    const without = run(bun, ["run", "../untagged.ts"], plain);
    expect([withPreload.status, withPreload.stderr]).toEqual([0, ""]);
    expect(JSON.parse(withPreload.stdout)).toEqual({ source: expect.stringContaining('client ? client.get(id) : "none"'), result: "none" });
    expect(withPreload.stdout).toBe(without.stdout);
  });
});

/** Under Bun, the parity fixture's behaviours for each implementation: what each call saw, by the clients' labels. */
const PARITY_PROBE = String.raw`import { ClientContext, clientEvents, FlowRunContext, MissingClientFactoryError, setClientFactory, TaskRunContext, type ClientEvent } from "inject-client/runtime";
import type { Behaviours } from "./src/behaviours.js";
import { FakeClient, OtherClient, fakeFactory } from "./src/fake-client.js";
import * as tagged from "./src/tagged.js";
import { wrapped } from "./src/wrapped.js";

const label = (client: unknown) => (client as FakeClient).label ?? "other";
const outcome = (promise: Promise<unknown>) => promise.then((value) => ({ value }), (error: Error) => ({ error: error.message, missing: error instanceof MissingClientFactoryError }));
function useFactory(configure?: (client: FakeClient) => void): FakeClient[] {
  const { made, factory } = fakeFactory(configure);
  setClientFactory(FakeClient, factory);
  return made;
}
const lifecycles = (made: FakeClient[]) => made.map((client) => [client.opens, client.closes]);

async function table(fn: Behaviours) {
  const out: Record<string, unknown> = {};
  let made = useFactory();
  const passed = new FakeClient("passed");
  out.passed = [label((await fn.seen(passed)).client), passed.opens, passed.closes, made.length];
  made = useFactory();
  out.null = [label((await fn.seen(null)).client), made.length];
  for (const [name, context] of [["ClientContext", ClientContext], ["FlowRunContext", FlowRunContext], ["TaskRunContext", TaskRunContext]] as const) {
    made = useFactory();
    const own = new FakeClient(name);
    out[name] = [label((await context.run({ client: own }, () => fn.seen())).client), own.opens, own.closes, made.length];
  }
  made = useFactory();
  const [client, flow, task] = [new FakeClient("client"), new FakeClient("flow"), new FakeClient("task")];
  const nested = () => TaskRunContext.run({ client: task }, () => FlowRunContext.run({ client: flow }, () => ClientContext.run({ client }, () => fn.seen())));
  const order: string[] = [];
  for (const closing of [client, flow, task, undefined]) {
    order.push(label((await nested()).client));
    if (closing) closing.closes = 1;
  }
  out.precedence = order;
  made = useFactory();
  const skipped = await ClientContext.run({ client: new OtherClient() }, () => fn.seen());
  const outer = new FakeClient("outer");
  const past = await ClientContext.run({ client: outer }, () =>
    FlowRunContext.run({ client: new OtherClient() }, () => ClientContext.run({ client: new OtherClient() }, () => fn.seen())),
  );
  out.otherClass = [label(skipped.client), label(past.client), made.length];
  useFactory();
  out.passedOverContext = label((await ClientContext.run({ client: new FakeClient("context") }, () => fn.seen(new FakeClient("passed")))).client);
  setClientFactory(FakeClient, undefined);
  const fallback = setClientFactory(() => new FakeClient("fallback"));
  out.noFactory = await outcome(fn.seen());
  setClientFactory(fallback);
  made = useFactory();
  const seen = await fn.seen();
  out.factory = [label(seen.client), seen.opensAtStart, seen.closesAtStart, lifecycles(made)];
  made = useFactory();
  out.throws = [await outcome(fn.throws("boom")), lifecycles(made)];
  made = useFactory();
  out.rejectsLater = [await outcome(fn.rejectsLater("later")), lifecycles(made)];
  made = useFactory();
  let release!: () => void;
  const call = fn.returnsPending(new Promise<void>((resolve) => (release = resolve)));
  await new Promise((resolve) => setTimeout(resolve, 5));
  const closesWhilePending = made[0]?.closes;
  release();
  out.returnsPending = [closesWhilePending, (await call).closesAtSettle, lifecycles(made)];
  made = useFactory();
  const passedToo = new FakeClient("passed");
  out.rejectionInsideTry = [await outcome(fn.returnsRejectionInsideTry("escaped")), lifecycles(made), await outcome(fn.returnsRejectionInsideTry("too", passedToo)), passedToo.closes];
  made = useFactory((client) => (client.failOpen = new Error("cannot open")));
  out.openFails = [await outcome(fn.seen()), lifecycles(made)];
  made = useFactory((client) => (client.failClose = new Error("cannot close")));
  out.closeFails = [await outcome(fn.seen()), await outcome(fn.throws("body first")), lifecycles(made)];
  useFactory();
  const events: string[] = [];
  const record = (event: unknown) => events.push((event as ClientEvent).type);
  clientEvents.subscribe(record);
  await fn.seen(new FakeClient("passed"));
  await ClientContext.run({ client: new FakeClient("context") }, () => fn.seen());
  await fn.seen();
  clientEvents.unsubscribe(record);
  out.events = events;
  made = useFactory();
  const [one, two] = await Promise.all([fn.seenTwice(), fn.seenTwice()]);
  out.concurrent = [[label(one[0].client), label(one[1].client)], [label(two[0].client), label(two[1].client)], lifecycles(made)];
  useFactory();
  const [a, b] = await Promise.all([
    ClientContext.run({ client: new FakeClient("a") }, () => fn.seenTwice()),
    ClientContext.run({ client: new FakeClient("b") }, () => fn.seenTwice()),
  ]);
  out.concurrentContexts = [a.map((s) => label(s.client)), b.map((s) => label(s.client))];
  return out;
}

const shape = (f: Function) => [f.name, f.length];
const { seen, throws, rejectsLater, returnsPending, seenTwice, taggedMethods } = tagged;
console.log(JSON.stringify({
  wrapped: await table(wrapped),
  parameterForm: await table(tagged.parameterForm),
  optionsForm: await table(tagged.optionsForm),
  shapes: [seen, throws, rejectsLater, returnsPending, seenTwice, taggedMethods.seen, taggedMethods.seenTwice].map(shape),
}));
`;

/** What parity.test.ts asserts of every implementation, as the probe records it. */
const BEHAVIOUR_TABLE = {
  passed: ["passed", 0, 0, 0],
  null: ["factory-1", 1],
  ClientContext: ["ClientContext", 0, 0, 0],
  FlowRunContext: ["FlowRunContext", 0, 0, 0],
  TaskRunContext: ["TaskRunContext", 0, 0, 0],
  precedence: ["client", "flow", "task", "factory-1"],
  otherClass: ["factory-1", "outer", 1],
  passedOverContext: "passed",
  noFactory: { error: expect.stringMatching(/no parity\/FakeClient was passed/), missing: true },
  factory: ["factory-1", 1, 0, [[1, 1]]],
  throws: [{ error: "boom", missing: false }, [[1, 1]]],
  rejectsLater: [{ error: "later (true)", missing: false }, [[1, 1]]],
  returnsPending: [0, 0, [[1, 1]]],
  rejectionInsideTry: [{ error: "escaped", missing: false }, [[1, 1]], { error: "too", missing: false }, 0],
  openFails: [{ error: "cannot open", missing: false }, [[1, 1]]],
  closeFails: [
    { error: "cannot close", missing: false },
    { error: "body first", missing: false },
    [
      [1, 1],
      [1, 1],
    ],
  ],
  events: ["passed", "context", "created", "opened", "closed"],
  concurrent: [
    ["factory-1", "factory-1"],
    ["factory-2", "factory-2"],
    [
      [1, 1],
      [1, 1],
    ],
  ],
  concurrentContexts: [
    ["a", "a"],
    ["b", "b"],
  ],
};

describe("the parity fixture's behaviour table under Bun", () => {
  it("the tagged functions (both client forms) behave as the runtime wrapper, call for call, and keep fn.name and fn.length", () => {
    writeFileSync(join(app, "parity/probe.ts"), PARITY_PROBE);
    const result = run(bun, ["run", "parity/probe.ts"], app);
    expect(result.stderr).toBe("");
    const tables = JSON.parse(result.stdout) as Record<"wrapped" | "parameterForm" | "optionsForm" | "shapes", unknown>;
    for (const implementation of ["wrapped", "parameterForm", "optionsForm"] as const) {
      expect([implementation, tables[implementation]]).toEqual([implementation, BEHAVIOUR_TABLE]);
    }
    expect(tables.shapes).toEqual([
      ["seen", 0],
      ["throws", 1],
      ["rejectsLater", 1],
      ["returnsPending", 1],
      ["seenTwice", 1],
      ["seen", 0],
      ["seenTwice", 0],
    ]);
  });
});

describe("bun test with the [test] preload", () => {
  it("runs a test of a tagged function, its client from the factory", () => {
    writeFileSync(
      join(app, "src/forms.test.ts"),
      `import { expect, test } from "bun:test";
import { setClientFactory } from "inject-client/runtime";
import { CountingClient } from "./counting-client.js";
import { declared } from "./forms.js";

test("a tagged function opens and closes a factory client", async () => {
  const client = new CountingClient("factory");
  setClientFactory(CountingClient, () => client);
  expect((await declared()).client).toBe(client);
  expect([client.opens, client.closes]).toEqual([1, 1]);
});
`,
    );
    const result = run(bun, ["test", "src/forms.test.ts"], app);
    expect([result.status, result.stderr]).toEqual([0, expect.stringMatching(/^ 1 pass\n 0 fail\n/m)]);
  });
});

describe("Bun.build with injectClient()", () => {
  const BUILD = `import { injectClient } from "@inject-client/transformer/bun";
const [entry, outdir] = process.argv.slice(2) as [string, string];
const output = await Bun.build({
  entrypoints: [entry],
  outdir,
  target: "node",
  format: "esm",
  sourcemap: "linked",
  external: ["inject-client/runtime"],
  plugins: [injectClient()],
  throw: false,
});
console.log(JSON.stringify({ success: output.success, logs: output.logs.map((log) => log.message) }));
`;

  it("bundles the e2e fixture, and node runs every form with its frame on the user's line", () => {
    writeFileSync(join(plain, "build.ts"), BUILD);
    const built = run(bun, ["run", "build.ts", join(app, "src/main.ts"), join(app, "out")], plain);
    expect([built.stderr, JSON.parse(built.stdout)]).toEqual(["", { success: true, logs: [] }]);
    expect(readFileSync(join(app, "out/main.js"), "utf8")).toContain("getOrCreateClient(");
    const result = run(process.execPath, ["--enable-source-maps", "out/main.js"], app);
    expect(result.stderr).toBe("");
    expectEveryForm(result.stdout, { sourceDir: join(app, "src") });
  });

  it("type-checks against Bun's own types (@types/bun 1.4.5): injectClient() in Bun.build and Bun.plugin, the default export", () => {
    writeFileSync(
      join(plain, "typed.ts"),
      `import registered, { injectClient } from "@inject-client/transformer/bun";
await Bun.build({ entrypoints: ["main.ts"], plugins: [injectClient(), injectClient({ include: /\\.js$/, exclude: (id) => id.endsWith(".gen.ts") })] });
if (registered) Bun.plugin(registered);
// @ts-expect-error: not a Bun plugin option
injectClient({ sourcemap: true });
`,
    );
    const compilerOptions = { target: "ES2022", module: "NodeNext", types: ["bun"], strict: true, noEmit: true, skipLibCheck: true };
    writeFileSync(join(plain, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["typed.ts"] }));
    const checked = run(process.execPath, [join(app, "node_modules/typescript/bin/tsc"), "-p", "."], plain);
    expect([checked.status, checked.stdout + checked.stderr]).toEqual([0, ""]);
  });

  it("a misused tag fails the build with file:line:col and the code", () => {
    writeFileSync(join(plain, "build.ts"), BUILD);
    writeFileSync(
      join(app, "misused-build.ts"),
      `import { injected } from "inject-client/runtime";\n/** @injectClient */\nexport function sync(client = injected()) {}\n`,
    );
    const built = run(bun, ["run", "build.ts", join(app, "misused-build.ts"), join(app, "out-misused")], plain);
    expect(JSON.parse(built.stdout)).toEqual({
      success: false,
      logs: [expect.stringContaining(`${join(app, "misused-build.ts")}:3:1 - error TS47002: @injectClient: sync is not async`)],
    });
  });
});

/** `bun run` without blocking this process, whose HTTP server the program talks to. */
function runAsync(args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(bun, args, { cwd, timeout: 60_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("the runtime's HTTP client under Bun", () => {
  it("a tagged function's created client sends its requests through undici, retries a 503 and raises ObjectNotFound for a 404", async () => {
    const seen: string[] = [];
    let answered503 = false;
    const server = createServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      if (request.url === "/pets/a%2Fb" && !answered503) {
        answered503 = true;
        response.writeHead(503).end();
      } else if (request.url === "/pets/a%2Fb") response.writeHead(200, { "content-type": "application/json" }).end('{"name":"Rex"}');
      else response.writeHead(404, { "content-type": "application/json" }).end('{"detail":"no such pet"}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(
      join(app, "http.ts"),
      `import { defineOperations, injected, ObjectNotFound, OpenAPIClient, setClientFactory } from "inject-client/runtime";

interface PetClient { readPet(id: string): Promise<{ name: string }> }
class PetClient extends OpenAPIClient<{}> {
  static { defineOperations(this, { readPet: ["get", "/pets/{id}", ["id"], false] }); }
}
setClientFactory(PetClient, () => new PetClient({ baseUrl: process.argv[2]!, retryBaseDelayMs: 1, retryJitterFactor: 0 }));

/** @injectClient */
async function petName(id: string, client: PetClient = injected()) {
  return (await client.readPet(id)).name;
}

let missing = "";
try {
  await petName("nobody");
} catch (error) {
  missing = error instanceof ObjectNotFound ? \`\${error.name}: \${error.message}\` : String(error);
}
console.log(JSON.stringify({ name: await petName("a/b"), missing }));
`,
    );
    try {
      const result = await runAsync(["run", "http.ts", baseUrl], app);
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        name: "Rex",
        missing: expect.stringMatching(/^ObjectNotFound: GET .*\/pets\/nobody failed with HTTP 404: no such pet$/),
      });
      expect(seen).toEqual(["GET /pets/nobody", "GET /pets/a%2Fb", "GET /pets/a%2Fb"]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
