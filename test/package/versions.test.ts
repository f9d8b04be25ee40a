// Each package states the version its package.json publishes: derived at build time
// (.ci/write-versions.mjs writes runtime/version.ts and transformer/version.ts), never a second copy kept by
// hand. Checked on the built packages (dist/, what the tarballs ship).
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { REPO } from "../codegen/support.js";

const versionOf = (workspace: string) =>
  (JSON.parse(readFileSync(path.join(REPO, workspace, "package.json"), "utf8")) as { version: string }).version;
const load = async (file: string) => (await import(pathToFileURL(path.join(REPO, file)).href)) as Record<string, unknown>;

/** The built files that spell `"<version>"`: only version.js and its declaration, if every use imports it. */
function filesSpelling(dist: string, version: string): string[] {
  const root = path.join(REPO, dist);
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((file) => /\.(c|m)?js$|\.d\.ts$/.test(file) && readFileSync(path.join(root, file), "utf8").includes(JSON.stringify(version)))
    .map((file) => file.split(path.sep).join("/"))
    .sort();
}

describe("versions come from package.json", () => {
  it("inject-client: the version its User-Agent sends (CLIENT_VERSION) is package.json's", async () => {
    const version = versionOf("runtime");
    expect((await load("runtime/dist/version.js")).VERSION).toBe(version);
    expect((await load("runtime/dist/http/settings.js")).CLIENT_VERSION).toBe(version);
    expect(filesSpelling("runtime/dist", version)).toEqual(["version.d.ts", "version.js"]);
  });

  it("@inject-client/transformer: ts-jest's `version` (its cache key) is package.json's, from the ESM and the CommonJS entry", async () => {
    const version = versionOf("transformer");
    expect((await import("@inject-client/transformer")).version).toBe(version);
    expect((createRequire(import.meta.url)("@inject-client/transformer") as { version: string }).version).toBe(version);
    expect(filesSpelling("transformer/dist", version)).toEqual(["cjs/version.d.ts", "cjs/version.js", "version.d.ts", "version.js"]);
  });

  it("@inject-client/codegen: the version its manifests record is package.json's (read at run time)", async () => {
    expect((await load("codegen/dist/manifest.js")).GENERATOR_VERSION).toBe(versionOf("codegen"));
  });
});
