// Generation in process (generateClient is pure: a spec in, files out): what each bad input is refused
// with, and determinism. cli.test.ts runs the real command for what only it shows (exit codes, the one
// line on stderr, previous output untouched, --check).
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodegenError } from "../../codegen/errors.js";
import { generateClient } from "../../codegen/generate.js";
import { writeOutput } from "../../codegen/write.js";
import { REPO, snapshot, SPECS, tempDir, removeTempDirs } from "./support.js";

const PETSTORE = path.join(SPECS, "petstore.yaml");
let server: Server;
let baseUrl: string;
let closedPortUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (new URL(request.url ?? "/", "http://localhost").pathname === "/openapi.yaml")
      response.writeHead(200, { "content-type": "application/yaml" }).end(readFileSync(PETSTORE));
    else response.writeHead(404).end("not found");
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
  removeTempDirs();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The refusal generateClient throws: a CodegenError, whose `describe()` is the line the CLI prints after `inject-client: error: `. */
async function refusal(input: string): Promise<string> {
  const error: unknown = await generateClient({ input, cwd: REPO }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CodegenError);
  return (error as CodegenError).describe();
}

describe.concurrent("a bad input is refused with one line naming the cause and where", () => {
  const cases: Array<{ what: string; input: () => string; message: RegExp }> = [
    { what: "a missing file", input: () => path.join(SPECS, "nope.json"), message: /^cannot read the spec: no such file \(at .*nope\.json\)$/ },
    { what: "a directory", input: () => SPECS, message: /^cannot read the spec: it is a directory, not a file \(at .*specs\)$/ },
    { what: "invalid JSON", input: () => path.join(SPECS, "invalid-json.json"), message: /^invalid JSON: .+ \(at .*invalid-json\.json:4:\d+\)$/ },
    {
      what: "invalid YAML",
      input: () => path.join(SPECS, "invalid-yaml.yaml"),
      message: /^invalid YAML: bad indentation .+ \(at .*invalid-yaml\.yaml:4:\d+\)$/,
    },
    {
      what: "an unresolvable local $ref",
      input: () => path.join(SPECS, "bad-ref.json"),
      message:
        /^Can.t resolve \$ref "#\/components\/schemas\/Missing" \(at .*bad-ref\.json#\/paths\/~1a\/get\/responses\/200\/content\/application~1json\/schema\)$/,
    },
    {
      what: "an unresolvable external $ref",
      input: () => path.join(SPECS, "bad-external-ref.yaml"),
      message: /^Can.t resolve \$ref "\.\/does-not-exist\.yaml#\/Thing".*does-not-exist\.yaml.* \(at .*bad-external-ref\.yaml#\/paths\/.+\)$/,
    },
    {
      what: "Swagger 2.0",
      input: () => path.join(SPECS, "swagger2.json"),
      message:
        /^Swagger 2\.0 is not supported: only OpenAPI 3\.0 and 3\.1 are\. Convert the spec first, e\.g\. .*swagger2openapi.* \(at .*swagger2\.json\)$/,
    },
    {
      what: "a spec with no operations",
      input: () => path.join(SPECS, "no-operations.json"),
      message: /^the spec has no operations: .+ \(at .*no-operations\.json\)$/,
    },
    {
      what: "an unreachable URL",
      input: () => closedPortUrl,
      message: /^cannot reach the spec URL: ECONNREFUSED\. .+ \(at http:\/\/127\.0\.0\.1:\d+\/openapi\.json\)$/,
    },
    {
      what: "a URL that answers 404",
      input: () => `${baseUrl}/missing.json`,
      message: /^the spec URL answered HTTP 404 Not Found \(at http:\/\/127\.0\.0\.1:\d+\/missing\.json\)$/,
    },
  ];

  for (const { what, input, message } of cases) {
    it(what, async () => {
      const line = await refusal(input());
      expect(line.split("\n")).toHaveLength(1);
      expect(line).toMatch(message);
    });
  }
});

describe("generation", () => {
  it("is deterministic: the same spec gives byte-identical files, and a second write changes nothing", async () => {
    const first = await generateClient({ input: PETSTORE });
    const second = await generateClient({ input: PETSTORE });
    expect([...first.files.keys()]).toEqual(["index.ts", "methods.ts", "types.ts"]);
    expect([...second.files]).toEqual([...first.files]);

    const out = path.join(tempDir("determinism"), "client");
    expect((await writeOutput(out, first.files)).changed).toBe(true);
    const written = snapshot(out);
    expect((await writeOutput(out, second.files)).changed).toBe(false);
    expect(snapshot(out)).toEqual(written);
  });

  it("reads a spec from a URL and never writes its credentials or query into the output", async () => {
    const url = `${baseUrl.replace("http://", "http://user:s3cret@")}/openapi.yaml?token=abc`;
    const { files } = await generateClient({ input: url });
    expect(files.get("index.ts")!.split("\n")[0]).toBe(
      `// Generated by inject-client from ${baseUrl}/openapi.yaml (Pet Store 1.0.0, 7 operations, profile "generic").`,
    );
    for (const [name, contents] of files) {
      expect(contents, name).not.toContain("s3cret");
      expect(contents, name).not.toContain("token=abc");
    }
  });
});
