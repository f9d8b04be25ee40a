// Two copies of the runtime in one process (the ES-module build, imported, and a CommonJS bundle of it,
// required) share contexts, factories and class identities, and recognise each other's errors. The
// CommonJS copy is bundled from dist/runtime with esbuild into a scratch dir; the driver runs in plain node.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO } from "../transformer/support/project.js";

const driver = join(REPO, "test/fixtures/resolution/duplicate-runtime/driver.mjs");
let dir: string;
let results: Record<string, unknown>;

beforeAll(async () => {
  mkdirSync(join(REPO, ".tmp/resolution"), { recursive: true });
  // Inside the repository, so that the bundle's require("undici") resolves as the package's own would.
  dir = mkdtempSync(join(REPO, ".tmp/resolution/duplicate-runtime-"));
  const bundle = join(dir, "runtime.cjs");
  await build({
    entryPoints: [join(REPO, "runtime/dist/index.js")],
    bundle: true,
    platform: "node",
    format: "cjs",
    packages: "external",
    outfile: bundle,
    logLevel: "silent",
  });
  const run = spawnSync(process.execPath, [driver, bundle], { cwd: dir, encoding: "utf8", timeout: 20_000 });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  results = JSON.parse(run.stdout) as Record<string, unknown>;
});

afterAll(() => {
  if (dir && !process.env.KEEP_TMP) rmSync(dir, { recursive: true, force: true });
});

it("really loads two copies", () => {
  expect(results.distinctCopies).toBe(true);
});

it("shares contexts: a run through one copy is seen by resolution through the other, nested runs too", () => {
  expect(results.esmContextSeenByCjs).toBe("esm context");
  expect(results.cjsFlowContextSeenByEsm).toBe("cjs flow context");
  // A PrefectClient from the other copy's class counts for the key; the pet client in the inner run does not hide it.
  expect(results.nestedAcrossCopies).toEqual(["prefect, cjs class", "pet"]);
});

it("shares factories: per class, the unkeyed fallback, withClientFactory, and the class's own default", () => {
  expect(results.defaultFactoryThroughOtherCopy).toBe("default factory");
  expect(results.classFactorySetThroughCjs).toBe("set through cjs");
  expect(results.classFactorySetThroughEsm).toBe("set through esm");
  expect(results.fallbackSetThroughEsm).toBe("fallback set through esm");
  expect(results.scopedThroughCjs).toBe("scoped through cjs");
  expect(results.previousAcrossCopies).toBe("set through cjs");
});

it("recognises the other copy's errors with instanceof", () => {
  expect(results.errors).toEqual({
    missingIsEsmMissingClientFactoryError: true,
    missingNamesClass: "PetClient",
    notFoundIsEsmObjectNotFound: true,
    notFoundIsEsmHTTPStatusError: true,
    notFoundIsEsmObjectAlreadyExists: false,
    notFoundIsError: true,
    plainErrorIsEsmHTTPStatusError: false,
    closedIsEsmClientClosedError: true,
    timeoutIsEsmHTTPRequestError: true,
    settingsIsEsmClientSettingsError: true,
    parameterIsEsmRequestParameterError: true,
  });
});
