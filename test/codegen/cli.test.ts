// The CLI as a user runs it: bad input (one clear line, exit 1, previous output untouched), URLs,
// determinism, the config with several specs, and --check.
import { createServer, type Server } from "node:http";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, runCli, snapshot, SPECS, tempDir, removeTempDirs } from "./support.js";

afterAll(removeTempDirs);

const PETSTORE = path.join(SPECS, "petstore.yaml");
let server: Server;
let baseUrl: string;
let closedPortUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname === "/api/openapi.json" || url.pathname === "/openapi.yaml") {
      response.writeHead(200, { "content-type": "application/yaml" }).end(readFileSync(PETSTORE));
    } else {
      response.writeHead(404).end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port nothing listens on: open a server, note its port, close it.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPortUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/openapi.json`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe.concurrent("bad input", () => {
  const cases: Array<{ what: string; input: () => string; message: RegExp }> = [
    { what: "a missing file", input: () => path.join(SPECS, "nope.json"), message: /^cannot read the spec: no such file \(at .*nope\.json\)$/ },
    { what: "a directory", input: () => SPECS, message: /^cannot read the spec: it is a directory, not a file \(at .*specs\)$/ },
    { what: "invalid JSON", input: () => path.join(SPECS, "invalid-json.json"), message: /^invalid JSON: .+ \(at .*invalid-json\.json:4:\d+\)$/ },
    { what: "invalid YAML", input: () => path.join(SPECS, "invalid-yaml.yaml"), message: /^invalid YAML: bad indentation .+ \(at .*invalid-yaml\.yaml:4:\d+\)$/ },
    {
      what: "an unresolvable local $ref",
      input: () => path.join(SPECS, "bad-ref.json"),
      message: /^Can.t resolve \$ref "#\/components\/schemas\/Missing" \(at .*bad-ref\.json#\/paths\/~1a\/get\/responses\/200\/content\/application~1json\/schema\)$/,
    },
    {
      what: "an unresolvable external $ref",
      input: () => path.join(SPECS, "bad-external-ref.yaml"),
      message: /^Can.t resolve \$ref "\.\/does-not-exist\.yaml#\/Thing".*does-not-exist\.yaml.* \(at .*bad-external-ref\.yaml#\/paths\/.+\)$/,
    },
    {
      what: "Swagger 2.0",
      input: () => path.join(SPECS, "swagger2.json"),
      message: /^Swagger 2\.0 is not supported: only OpenAPI 3\.0 and 3\.1 are\. Convert the spec first, e\.g\. .*swagger2openapi.* \(at .*swagger2\.json\)$/,
    },
    { what: "a spec with no operations", input: () => path.join(SPECS, "no-operations.json"), message: /^the spec has no operations: .+ \(at .*no-operations\.json\)$/ },
    { what: "an unreachable URL", input: () => closedPortUrl, message: /^cannot reach the spec URL: ECONNREFUSED\. .+ \(at http:\/\/127\.0\.0\.1:\d+\/openapi\.json\)$/ },
    { what: "a URL that answers 404", input: () => `${baseUrl}/missing.json`, message: /^the spec URL answered HTTP 404 Not Found \(at http:\/\/127\.0\.0\.1:\d+\/missing\.json\)$/ },
  ];

  let out: string;
  let before: ReturnType<typeof snapshot>;
  beforeAll(async () => {
    out = path.join(tempDir("bad-input"), "client");
    expect((await runCli(["generate", "--input", PETSTORE, "--out", out])).status).toBe(0);
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

  it("usage mistakes exit 2 with the usage", async () => {
    for (const args of [[], ["generat"], ["generate", "--input", PETSTORE], ["generate", "--input", PETSTORE, "--out", "x", "--profile", "django"], ["generate", "--bogus"]]) {
      const result = await runCli(args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/^inject-client: error: /);
    }
  });
});

describe("generation", () => {
  it("is deterministic: a rerun leaves byte-identical files (and reports them unchanged)", async () => {
    const out = path.join(tempDir("determinism"), "client");
    const first = await runCli(["generate", "--input", PETSTORE, "--out", out]);
    expect(first.status).toBe(0);
    const bytes = snapshot(out);
    rmSync(out, { recursive: true });
    expect((await runCli(["generate", "--input", PETSTORE, "--out", out])).status).toBe(0);
    const again = snapshot(out);
    expect([...again].map(([name, file]) => [name, file.bytes])).toEqual([...bytes].map(([name, file]) => [name, file.bytes]));
    const third = await runCli(["generate", "--input", PETSTORE, "--out", out]);
    expect(third.stdout).toContain(" unchanged\n");
    expect(third.stdout).toMatch(/0 of 3 files written/);
  });

  it("reads a spec from a URL and never writes its credentials or query into the output", async () => {
    const out = path.join(tempDir("url"), "client");
    const url = `${baseUrl.replace("http://", "http://user:s3cret@")}/openapi.yaml?token=abc`;
    const result = await runCli(["generate", "--input", url, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const text = readFileSync(path.join(out, "index.ts"), "utf8");
    expect(text.split("\n")[0]).toBe(`// Generated by inject-client from ${baseUrl}/openapi.yaml (Pet Store 1.0.0, 7 operations, profile "generic").`);
    for (const file of ["index.ts", "methods.ts", "types.ts"]) {
      const contents = readFileSync(path.join(out, file), "utf8");
      expect(contents).not.toContain("s3cret");
      expect(contents).not.toContain("token=abc");
    }
    expect(result.stdout).not.toContain("s3cret");
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
    expect(refused.stderr).toMatch(/^inject-client: error: split: refusing to overwrite generated\/split\/index\.ts: it was edited after inject-client wrote it; .*--force/);
    expect(readFileSync(edited, "utf8")).toContain("// a hand edit");
    expect((await runCli(["generate", "--force"], { cwd: project, env: { PETS_URL: undefined } })).status).toBe(0);
    expect(readFileSync(edited, "utf8")).not.toContain("// a hand edit");
    expect(readFileSync(path.join(project, "generated/pets/extra.ts"), "utf8")).toBe("export {};\n");
    expect((await runCli(["generate", "--check"], { cwd: project, env: { PETS_URL: undefined } })).status).toBe(0);
  });

  it("takes the first input candidate whose variables are set (a URL, as $PREFECT_API_URL/openapi.json)", async () => {
    const result = await runCli(["generate", "--check"], { cwd: project, env: { PETS_URL: `${baseUrl}/openapi.yaml` } });
    // Same spec, other source: the header names the source, so the output is stale.
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("pets: stale (");
    expect(result.stdout).toContain("split: current");
  });

  it("a failing spec leaves its previous output as it was while the others are written; exit 1", async () => {
    const broken = { specs: [{ ...config.specs[1], input: "specs/invalid-json.json" }, { name: "pets", input: "specs/petstore.yaml", out: "generated/pets2" }] };
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
    expect(header).toBe('// Generated by inject-client from ../shared/openapi/prefect-v3.json (Prefect REST API v3, 179 operations, profile "prefect").');
    expect((await runCli(["generate", "--check"], { cwd: REPO, env: { PREFECT_API_URL: undefined } })).status).toBe(0);
  });
});
