import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const tsc = join(repo, "node_modules/typescript/bin/tsc");

/** A sibling project that installs the tarball `npm pack` makes, as a user would. */
describe("the packed package", () => {
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), "inject-client-consumer-"));
    // The build already ran (prepare/pretest); packing again must not need it.
    execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", project], { cwd: repo, stdio: "pipe" });
    const tarball = readdirSync(project).find((f) => f.endsWith(".tgz"))!;
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", `./${tarball}`, "@types/node@20"], {
      cwd: project,
      stdio: "pipe",
    });
  }, 180_000);

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it("imports the runtime from plain Node with no extra step", () => {
    writeFileSync(
      join(project, "main.mjs"),
      `import { getOrCreateClient, setClientFactory } from "inject-client/runtime";
       const client = { closed: false, async [Symbol.asyncDispose]() {} };
       setClientFactory(() => client);
       const [resolved, inferred] = getOrCreateClient();
       console.log(JSON.stringify({ same: resolved === client, inferred }));`,
    );
    const out = execFileSync("node", ["main.mjs"], { cwd: project, encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ same: true, inferred: false });
  });

  it("ships declarations a strict NodeNext project type-checks against", () => {
    writeFileSync(
      join(project, "main.ts"),
      `import { getOrCreateClient, type ManagedClient } from "inject-client/runtime";
       const [client, inferred]: [ManagedClient, boolean] = getOrCreateClient();
       export { client, inferred };`,
    );
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", noEmit: true, skipLibCheck: false, types: ["node"], lib: ["ES2022", "ESNext.Disposable"] }, files: ["main.ts"] }),
    );
    const result = spawnSync("node", [tsc, "-p", "."], { cwd: project, encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("has the inject-client binary", () => {
    const bins = readdirSync(join(project, "node_modules/.bin"));
    expect(bins).toContain("inject-client");
  });
});
