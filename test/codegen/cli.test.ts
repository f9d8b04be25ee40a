// The CLI as a user runs it: bad input (one clear line, exit 1, previous output untouched), usage mistakes
// (exit 2), a URL with credentials never echoed, the config with several specs, and --check. What each bad
// input is refused with, and determinism, are tested in process (generate.test.ts).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badInputs, generateInto, REPO, runCli, serveSpecs, snapshot, SPECS, tempDir, removeTempDirs, type SpecServer } from "./support.js";

afterAll(removeTempDirs);

const PETSTORE = path.join(SPECS, "petstore.yaml");
let specs: SpecServer;

beforeAll(async () => {
  specs = await serveSpecs();
});

afterAll(async () => {
  await specs.close();
});

describe.concurrent("bad input", () => {
  // A file and a URL: the command's reporting is the same for every refusal generate.test.ts lists.
  const cases = badInputs(() => specs).filter(({ what }) => what === "invalid JSON" || what === "an unreachable URL");

  let out: string;
  let before: ReturnType<typeof snapshot>;
  beforeAll(async () => {
    out = path.join(tempDir("bad-input"), "client");
    await generateInto(out, { input: PETSTORE });
    before = snapshot(out);
  });

  for (const { what, input, message } of cases) {
    it(`${what}: one line naming the cause and where, exit 1, previous output untouched`, async () => {
      const result = await runCli(["generate", "--input", input(), "--out", out]);
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^inject-client: error: /);
      expect(lines[0]!.replace(/^inject-client: error: /, "")).toMatch(message);
      expect(result.stdout).toMatch(/1 failed\n$/);
      expect(snapshot(out)).toEqual(before);
    });
  }

  it("usage mistakes exit 2 with the usage, before the spec is read", async () => {
    for (const args of [
      [],
      ["generat"],
      ["generate", "--input", PETSTORE],
      ["generate", "--input", PETSTORE, "--out", "x", "--profile", "django"],
      ["generate", "--bogus"],
    ]) {
      const result = await runCli(args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/^inject-client: error: /);
    }
    const badName = await runCli([
      "generate",
      "--input",
      "does-not-exist.json",
      "--out",
      path.join(tempDir("name"), "client"),
      "--name",
      "1Password",
    ]);
    expect(badName.status).toBe(2);
    expect(badName.stderr).toBe(
      'inject-client: error: --name: the class name "1Password" is not a valid identifier: it must start with a letter, `_` or `$` and contain only letters, digits, `_` and `$`\n',
    );
  });
});

describe("a spec URL with credentials and a query", () => {
  it("is read, and neither printed nor written: the output names the URL without them", async () => {
    const out = path.join(tempDir("url"), "client");
    const url = `${specs.baseUrl.replace("http://", "http://user:s3cret@")}/openapi.yaml?token=abc`;
    const result = await runCli(["generate", "--input", url, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`${specs.baseUrl}/openapi.yaml: PetStoreClient (7 operations, profile generic) -> ${out} written`);
    expect(result.stdout).not.toContain("s3cret");
    expect(result.stdout).not.toContain("token=abc");
    // The header quotes the command that regenerates the client: the URL in it is redacted too.
    const header = readFileSync(path.join(out, "index.ts"), "utf8").split("\n").slice(0, 2).join("\n");
    expect(header).toContain(`from ${specs.baseUrl}/openapi.yaml (`);
    expect(header).not.toContain("s3cret");
    expect(header).not.toContain("token=abc");
  });
});

describe("config with several specs, and --check", () => {
  let project: string;
  const config = {
    specs: [
      { name: "pets", input: ["${PETS_URL}", "specs/petstore.yaml"], out: "generated/pets", className: "PetsClient" },
      { name: "split", input: "specs/split/main.yaml", out: "generated/split" },
    ],
  };
  beforeAll(async () => {
    project = tempDir("config");
    writeFileSync(path.join(project, "package.json"), "{}\n");
    cpSync(SPECS, path.join(project, "specs"), { recursive: true });
    mkdirSync(path.join(project, "openapi"));
    writeFileSync(path.join(project, "openapi/specs.json"), JSON.stringify(config, null, 2));
  });

  it("--check before any generation: stale, exit 1, names the missing files of every spec", async () => {
    const result = await runCli(["generate", "--check"], { cwd: project, env: { PETS_URL: undefined } });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      `pets: stale (${["index.ts", "methods.ts", "types.ts"].map((file) => path.join("generated/pets", file)).join(", ")})`,
    );
    expect(result.stdout).toContain("split: stale (");
    expect(result.stdout.trim().split("\n").at(-1)).toMatch(/^inject-client: checked 2 specs, 8 operations, 6 files in \d+\.\d\d s: 6 stale/);
    expect(existsSync(path.join(project, "generated"))).toBe(false);
  });

  it("generate with no arguments regenerates every spec of openapi/specs.json; --check is then current", async () => {
    const result = await runCli(["generate"], { cwd: project, env: { PETS_URL: undefined } });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("pets: PetsClient (7 operations, profile generic) -> generated/pets written");
    expect(result.stdout).toContain("split: SplitClient (1 operations, profile generic) -> generated/split written");
    expect(result.stdout.trim().split("\n").at(-1)).toMatch(/^inject-client: 2 specs, 8 operations, 6 of 6 files written in \d+\.\d\d s$/);
    expect(readFileSync(path.join(project, "generated/pets/index.ts"), "utf8").split("\n")[0]).toContain("from specs/petstore.yaml (");

    const check = await runCli(["generate", "--check"], { cwd: project, env: { PETS_URL: undefined } });
    expect(check.status).toBe(0);
    expect(check.stdout).toContain("pets: current");
    expect(check.stdout).toContain("split: current");
    expect(check.stdout).toMatch(/all current\n$/);
  });

  it("a rerun reports every spec unchanged and writes nothing (deterministic output)", async () => {
    const files = snapshot(path.join(project, "generated"));
    const rerun = await runCli(["generate"], { cwd: project, env: { PETS_URL: undefined } });
    expect(rerun.status).toBe(0);
    expect(rerun.stdout).toContain("pets: PetsClient (7 operations, profile generic) -> generated/pets unchanged");
    expect(rerun.stdout).toContain("split: SplitClient (1 operations, profile generic) -> generated/split unchanged");
    expect(rerun.stdout.trim().split("\n").at(-1)).toMatch(/^inject-client: 2 specs, 8 operations, 0 of 6 files written in /);
    expect(snapshot(path.join(project, "generated"))).toEqual(files);
  });

  it("--check names exactly the stale files, across specs, and exits 1; a user's file is neither stale nor removed", async () => {
    const edited = path.join(project, "generated/split/index.ts");
    writeFileSync(edited, `${readFileSync(edited, "utf8")}\n// a hand edit\n`);
    rmSync(path.join(project, "generated/pets/methods.ts"));
    writeFileSync(path.join(project, "generated/pets/extra.ts"), "export {};\n");
    const result = await runCli(["generate", "--check"], { cwd: project, env: { PETS_URL: undefined } });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`pets: stale (${path.join("generated/pets/methods.ts")})`);
    expect(result.stdout).toContain(`split: stale (${path.join("generated/split/index.ts")})`);
    expect(result.stdout).toMatch(/2 stale; run `inject-client generate`/);
    // --check writes nothing.
    expect(readFileSync(edited, "utf8")).toContain("// a hand edit");

    // A generated file edited by hand is not overwritten without --force (exit 2); the user's extra.ts stays.
    const refused = await runCli(["generate"], { cwd: project, env: { PETS_URL: undefined } });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(
      /^inject-client: error: split: refusing to overwrite generated\/split\/index\.ts: it was edited after inject-client wrote it; .*--force/,
    );
    expect(readFileSync(edited, "utf8")).toContain("// a hand edit");
    expect((await runCli(["generate", "--force"], { cwd: project, env: { PETS_URL: undefined } })).status).toBe(0);
    expect(readFileSync(edited, "utf8")).not.toContain("// a hand edit");
    expect(readFileSync(path.join(project, "generated/pets/extra.ts"), "utf8")).toBe("export {};\n");
    expect((await runCli(["generate", "--check"], { cwd: project, env: { PETS_URL: undefined } })).status).toBe(0);
  });

  it("takes the first input candidate whose variables are set (a URL, as $PREFECT_API_URL/openapi.json)", async () => {
    const result = await runCli(["generate", "--check"], { cwd: project, env: { PETS_URL: `${specs.baseUrl}/openapi.yaml` } });
    // Same spec, other source: the header names the source, so the output is stale.
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("pets: stale (");
    expect(result.stdout).toContain("split: current");
  });

  it("a failing spec leaves its previous output as it was while the others are written; exit 1", async () => {
    const broken = {
      specs: [
        { ...config.specs[1], input: "specs/invalid-json.json" },
        { name: "pets", input: "specs/petstore.yaml", out: "generated/pets2" },
      ],
    };
    writeFileSync(path.join(project, "openapi/broken.json"), JSON.stringify(broken));
    const before = snapshot(path.join(project, "generated/split"));
    const result = await runCli(["generate", "--config", "openapi/broken.json"], { cwd: project });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^inject-client: error: split: invalid JSON: .+ \(at specs\/invalid-json\.json:4:\d+\)\n$/);
    expect(snapshot(path.join(project, "generated/split"))).toEqual(before);
    expect(existsSync(path.join(project, "generated/pets2/index.ts"))).toBe(true);
  });

  it("reports a bad config in one line", async () => {
    writeFileSync(path.join(project, "openapi/bad.json"), JSON.stringify({ specs: [{ name: "x", input: "a.json" }] }));
    const result = await runCli(["generate", "--config", "openapi/bad.json"], { cwd: project });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^inject-client: error: "out" must be a directory path \(at .*bad\.json#\/specs\/0\)\n$/);
  });
});

describe("this repository's config", () => {
  it("`npm run codegen` (generate, no arguments) builds generated/prefect from ../shared/openapi/prefect-v3.json", async () => {
    const result = await runCli(["generate"], { cwd: REPO, env: { PREFECT_API_URL: undefined } });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^prefect: PrefectClient \(179 operations, profile prefect\) -> generated\/prefect (written|unchanged)\n/);
    const header = readFileSync(path.join(REPO, "generated/prefect/index.ts"), "utf8").split("\n")[0];
    expect(header).toBe(
      '// Generated by inject-client from ../shared/openapi/prefect-v3.json (Prefect REST API v3, 179 operations, profile "prefect").',
    );
    expect((await runCli(["generate", "--check"], { cwd: REPO, env: { PREFECT_API_URL: undefined } })).status).toBe(0);
  });
});
