// One program, two generated clients: PrefectClient (Prefect's spec, prefect profile) and PetClient (a
// small pet store spec, generic profile). Compiled with the real tspc and built through the Vite plugin,
// run with node, with the modules imported in one order and in the other: each tagged function gets a
// client of the class it declares, from that class's factory, from a context, or from nested contexts
// holding both; a context client of the other class, or a closed one, is skipped.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { injectClient } from "@inject-client/transformer/vite";
import { copyFixture, REPO, removeTempDirs, runNode, tspc, type CommandResult } from "../transformer/support/project.js";

afterAll(removeTempDirs);

const PREFECT_SPEC = join(REPO, "../shared/openapi/prefect-v3.json");
const PET_SPEC = join(REPO, "test/fixtures/specs/petstore.yaml");
const MAINS = ["main-prefect-first", "main-pets-first"];

let dir: string;
let tspcBuild: CommandResult;
const runs: Record<string, CommandResult> = {};

beforeAll(async () => {
  dir = copyFixture("two-clients", {}, join(REPO, "test/fixtures/resolution"));
  const generate = (input: string, out: string, name: string) =>
    promisify(execFile)(process.execPath, [join(REPO, "codegen/dist/cli.js"), "generate", "--input", input, "--out", out, "--name", name], {
      cwd: dir,
    });
  await Promise.all([generate(PREFECT_SPEC, "src/generated/prefect", "PrefectClient"), generate(PET_SPEC, "src/generated/pets", "PetClient")]);
  tspcBuild = tspc(dir);
  await build({
    root: dir,
    configFile: false,
    logLevel: "silent",
    plugins: [injectClient()],
    // The runtime stays a package import, as for an app that installs inject-client.
    ssr: { external: ["inject-client"] },
    build: {
      ssr: true,
      outDir: "vite-dist",
      minify: false,
      // One output file per module, so the two mains still import the modules in their own order.
      rollupOptions: { input: Object.fromEntries(MAINS.map((main) => [main, `src/${main}.ts`])), output: { preserveModules: true } },
    },
  });
  for (const main of MAINS) {
    runs[`tspc ${main}`] = tspcBuild.status === 0 ? runNode(`dist/${main}.js`, dir) : { status: null, output: "" };
    runs[`vite ${main}`] = runNode(`vite-dist/${main}.js`, dir);
  }
}, 180_000);

/** What every build and import order must print (see scenarios.ts). */
const EXPECTED = {
  // No client anywhere: each class's own factory. PrefectClient.fromEnv() (PREFECT_API_URL), PetClient's set with setClientFactory(PetClient, …).
  factories: ["created, closed PrefectClient: 2", "created, closed PetClient: pet 1", "created, closed PetClient: pet 2"],
  // A PrefectClient in context: the Prefect function takes it; the pet functions skip it and create their own.
  prefectInContext: ["shared prefect PrefectClient: 2", "created, closed PetClient: pet 1", "created, closed PetClient: pet 2"],
  petInContext: ["created, closed PrefectClient: 2", "shared pet PetClient: pet 1", "shared pet PetClient: pet 2"],
  // Nested runs holding both (in one context, and across contexts): each function finds its own class.
  nestedBoth: ["shared prefect PrefectClient: 2", "shared pet PetClient: pet 1", "shared pet PetClient: pet 2"],
  acrossContexts: ["shared prefect PrefectClient: 2", "shared pet PetClient: pet 1", "shared pet PetClient: pet 2"],
  // A closed PetClient in the inner run: skipped for the open one further out.
  closedSkipped: ["created, closed PrefectClient: 2", "shared pet PetClient: pet 1", "shared pet PetClient: pet 2"],
  passed: ["shared prefect PrefectClient: 2", "shared pet PetClient: pet 3", "shared pet PetClient: pet 4"],
  // Prefect's requests went out with Prefect's headers, the pet store's without: each call used its own class.
  requests: [
    "GET /api/admin/version prefect",
    "GET /api/csrf-token prefect",
    "GET /pets/1 pets",
    "GET /pets/2 pets",
    "GET /pets/3 pets",
    "GET /pets/4 pets",
    "POST /api/flow_runs/filter prefect",
  ],
  createdPetsClosed: ["4", "true"],
};

it("compiles with tspc without diagnostics", () => {
  expect(tspcBuild.output).toBe("");
  expect(tspcBuild.status).toBe(0);
});

describe.each(MAINS.flatMap((main) => [`tspc ${main}`, `vite ${main}`]))("%s", (name) => {
  it("runs, and every function gets a client of the class it declares", () => {
    const run = runs[name]!;
    expect(run.status, run.output).toBe(0);
    expect(JSON.parse(run.output)).toEqual(EXPECTED);
  });
});
