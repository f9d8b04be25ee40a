// How the register door tells where tsx's hooks are and whether they were registered before its own
// (then tsx compiles before our hook sees a file, on Node 20): node's arguments read in order, tsx found
// as the CLI passes it (a path into tsx/dist) or by name, our own register module found by path or by
// package name. The register module is the one of @inject-client/transformer as installed from its packed
// tarball (packing spawns npm: this file is in the e2e tier). The end-to-end runs are in doors.test.ts.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loaderSpecifiers, tsxHooksUrl } from "../../../transformer/doors/tsx-hooks.js";
import { linkPackedPackages, packedNodeModules } from "../../support/installed-packages.js";
import { makeTempDir, REPO, removeTempDirs } from "../support/project.js";

afterAll(removeTempDirs);

const TSX_ESM = pathToFileURL(join(REPO, "node_modules/tsx/dist/esm/index.mjs")).href;
const TSX_CLI_LOADER = pathToFileURL(join(REPO, "node_modules/tsx/dist/loader.mjs")).href;
/** The installed register module (a path), and its URL: what `import.meta.url` is in there. */
let REGISTER: string;
let self: string;
beforeAll(() => {
  REGISTER = join(packedNodeModules(), "@inject-client/transformer/dist/doors/register.js");
  self = pathToFileURL(REGISTER).href;
});

/** An app directory with tsx and @inject-client/transformer installed (links, as npm would place them). */
function app(): string {
  const dir = makeTempDir("tsx-hooks");
  linkPackedPackages(dir, ["@inject-client/transformer"]);
  symlinkSync(join(REPO, "node_modules/tsx"), join(dir, "node_modules/tsx"), "dir");
  writeFileSync(join(dir, "package.json"), "{}\n");
  return dir;
}

describe("the loaders node was started with", () => {
  it("reads --import, --import=, --loader and --experimental-loader in order, and nothing else", () => {
    expect(
      loaderSpecifiers([
        "--enable-source-maps",
        "--import",
        "a",
        "--import=b",
        "--require",
        "c",
        "--loader",
        "d",
        "--experimental-loader=e",
        "--import",
      ]),
    ).toEqual(["a", "b", "d", "e"]);
  });
});

describe("tsx's hooks, when they were registered before ours", () => {
  it("the tsx CLI (its loader first, our register after): tsx/esm of that tsx", () => {
    expect(tsxHooksUrl([TSX_CLI_LOADER, REGISTER], app(), self)).toBe(TSX_ESM);
  });

  it("--import tsx --import @inject-client/transformer/register, by name from the app", () => {
    expect(tsxHooksUrl(["tsx", "@inject-client/transformer/register"], app(), self)).toBe(TSX_ESM);
  });

  it("none when ours comes first (tsx's hooks then run first and see what ours return) or there is no tsx", () => {
    const dir = app();
    expect(tsxHooksUrl(["@inject-client/transformer/register", "tsx"], dir, self)).toBeUndefined();
    expect(tsxHooksUrl([self, "tsx/esm"], dir, self)).toBeUndefined();
    expect(tsxHooksUrl(["@inject-client/transformer/register"], dir, self)).toBeUndefined();
  });

  it("a tsx that does not resolve is none, not an error", () => {
    const outside = mkdtempSync(join(tmpdir(), "inject-client-no-tsx-"));
    try {
      expect(tsxHooksUrl(["tsx", REGISTER], outside, self)).toBeUndefined();
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
