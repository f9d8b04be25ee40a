// A hostile spec is normal input: YAML alias bombs and oversized documents are refused in one line and
// fast; a `$ref` may read only files under the spec's own folder (symlinks included) and fetch only from
// the spec's own origin, unless the user opts in with --allow-external-refs / "allowExternalRefs"; the spec
// URL's credentials never reach another origin; a malformed --input URL is a usage error that never
// echoes its password.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodegenError } from "../../codegen/errors.js";
import { ConfigError, loadSpecsConfig } from "../../codegen/config.js";
import { generateClient } from "../../codegen/generate.js";
import { loadSpec } from "../../codegen/load.js";
import { DEFAULT_SPEC_LIMITS } from "../../codegen/spec-limits.js";
import { REPO, runCli, SPECS } from "./support.js";

const HOSTILE = path.join(REPO, "test/fixtures/hostile");
const SECRET = "TOP-SECRET-7f3a";
const SCHEMA_POINTER = "#/paths/~1a/get/responses/200/content/application~1json/schema";

/** A spec with one operation whose 200 response is `$ref: <ref>`. */
function specWithRef(ref: string, extra = ""): string {
  return [
    "openapi: 3.1.0",
    'info: { title: Refs, version: "1" }',
    "paths:",
    "  /a:",
    "    get:",
    "      operationId: get_a",
    "      responses:",
    '        "200":',
    "          description: ok",
    "          content:",
    "            application/json:",
    `              schema: { $ref: ${JSON.stringify(ref)} }`,
    extra,
  ].join("\n");
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, "expected the spec to be refused").toBeInstanceOf(CodegenError);
  const line = (error as CodegenError).describe();
  expect(line).not.toContain("\n");
  return line;
}

// A scratch tree: <root>/spec (the spec's folder, a copy of fixtures/hostile/refs/spec) and <root>/outside.
let root: string;
let specDir: string;
let outsideSecret: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "inject-client-hostile-"));
  cpSync(path.join(HOSTILE, "refs"), root, { recursive: true });
  specDir = path.join(root, "spec");
  outsideSecret = path.join(root, "outside/secret.yaml");
  // A symlinked file and a symlinked folder inside the spec's folder, both leading outside it.
  symlinkSync(outsideSecret, path.join(specDir, "linked-secret.yaml"));
  symlinkSync(path.join(root, "outside"), path.join(specDir, "linked-dir"), "dir");
  writeFileSync(path.join(specDir, "escape-absolute.yaml"), specWithRef(`${outsideSecret}#/Secret`));
  writeFileSync(path.join(specDir, "escape-symlink.yaml"), specWithRef("./linked-secret.yaml#/Secret"));
  writeFileSync(path.join(specDir, "escape-symlinked-dir.yaml"), specWithRef("./linked-dir/secret.yaml#/Secret"));
  writeFileSync(path.join(specDir, "escape-etc.yaml"), specWithRef("/etc/passwd#/x"));
  // An example's externalValue is read like a $ref (Redocly inlines it): the same rule applies.
  writeFileSync(
    path.join(specDir, "escape-external-value.yaml"),
    specWithRef(
      "#/components/schemas/Thing",
      ["components:", "  schemas:", "    Thing: { type: string }", "  examples:", "    leak: { externalValue: ../outside/secret.yaml }"].join("\n"),
    ),
  );
  // A link inside the folder to a file inside the folder is fine.
  symlinkSync(path.join(specDir, "shared.yaml"), path.join(specDir, "linked-shared.yaml"));
  writeFileSync(path.join(specDir, "inside-symlink.yaml"), specWithRef("./linked-shared.yaml#/Shared"));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("YAML aliases and document size", () => {
  // A test timeout, not a timing assertion: today's code spends minutes expanding the aliases.
  it("refuses a 600-byte alias bomb (9 levels of 9 aliases) in one line naming the file, at once", async () => {
    const bomb = path.join(HOSTILE, "alias-bomb.yaml");
    expect(readFileSync(bomb).length).toBeLessThan(700);
    const line = await refusal(loadSpec(bomb));
    expect(line).toMatch(
      /^the spec holds more than 4,000,000 values once its YAML aliases are expanded \(an alias bomb\?\) \(at .*alias-bomb\.yaml\)$/,
    );
  }, 3_000);

  it("refuses a YAML alias that contains itself, at once", async () => {
    const line = await refusal(loadSpec(path.join(HOSTILE, "recursive-alias.yaml")));
    expect(line).toMatch(/^a YAML alias refers to a node that contains it \(at .*recursive-alias\.yaml#\/x-loop\/again\)$/);
  }, 3_000);

  it("refuses an alias bomb in a file the spec refers to, naming that file", async () => {
    cpSync(path.join(HOSTILE, "alias-bomb.yaml"), path.join(specDir, "bomb-part.yaml"));
    const file = path.join(specDir, "refers-to-bomb.yaml");
    writeFileSync(file, specWithRef("./bomb-part.yaml#/x-bomb/a"));
    const line = await refusal(loadSpec(file));
    expect(line).toBe(
      `the spec and the files it refers to hold more than 4,000,000 values once its YAML aliases are expanded (an alias bomb?) (at ${path.join(specDir, "bomb-part.yaml")})`,
    );
  }, 3_000);

  it("keeps legitimate anchors, aliases and merge keys working", async () => {
    const result = await generateClient({ input: path.join(HOSTILE, "anchors.yaml") });
    expect(result.operations).toBe(2);
    const types = result.files.get("types.ts")!;
    // The aliased parameter and the merged properties both reach the types.
    expect(types.match(/limit\?: number;/g)?.length).toBe(2);
    expect(types).toMatch(/Pet: \{\s+name: string;\s+\};/);
  });

  it("refuses a document nested deeper than the limit in one line (not a stack overflow)", async () => {
    let schema: unknown = { type: "string" };
    for (let i = 0; i < DEFAULT_SPEC_LIMITS.maxDepth; i += 1) schema = { type: "array", items: schema };
    const spec = {
      openapi: "3.1.0",
      info: { title: "Deep", version: "1" },
      paths: { "/a": { get: { responses: { "200": { description: "ok", content: { "application/json": { schema } } } } } } },
    };
    const file = path.join(root, "deep.json");
    writeFileSync(file, JSON.stringify(spec));
    const line = await refusal(loadSpec(file));
    expect(line).toMatch(
      /^the spec is nested more than 500 levels deep \(at .*deep\.json#\/paths\/~1a\/get\/responses\/200\/content\/application~1json\/schema(\/items)+\)$/,
    );
  });

  it("refuses a spec file larger than 64 MiB before reading it", async () => {
    const file = path.join(root, "huge.json");
    writeFileSync(file, "");
    truncateSync(file, 64 * 1024 * 1024 + 1); // sparse: costs no disk
    const line = await refusal(loadSpec(file));
    expect(line).toMatch(/^the spec is larger than 64 MiB, the limit for a spec and the files it refers to \(at .*huge\.json\)$/);
  });

  it("stops reading a file that never ends (/dev/zero) at the limit", async () => {
    const line = await refusal(loadSpec("/dev/zero", { limits: { maxBytes: 1024 * 1024 } }));
    expect(line).toMatch(/^the spec is larger than 1 MiB, the limit for a spec and the files it refers to \(at \/dev\/zero\)$/);
  });

  it("counts the files a spec refers to against the same limit", async () => {
    const line = await refusal(loadSpec(path.join(specDir, "nested.yaml"), { limits: { maxBytes: 500 } }));
    expect(line).toMatch(/larger than 500 B, the limit for a spec and the files it refers to/);
  });
});

describe("local $refs stay in the spec's folder", () => {
  it("refuses a relative ref that climbs out of the folder, naming the ref and where it is; the secret goes nowhere", async () => {
    const line = await refusal(generateClient({ input: path.join(specDir, "escape-relative.yaml") }));
    expect(line).toBe(
      `$ref "../outside/secret.yaml#/Secret" is refused: it reads ${outsideSecret}, outside the spec's folder ${specDir}; ` +
        `pass --allow-external-refs (or set "allowExternalRefs": true in the config) to allow it (at ${path.join(specDir, "escape-relative.yaml")}${SCHEMA_POINTER})`,
    );
    expect(line).not.toContain(SECRET);
  });

  it("refuses an absolute path, /etc/passwd included", async () => {
    expect(await refusal(loadSpec(path.join(specDir, "escape-absolute.yaml")))).toMatch(
      new RegExp(`^\\$ref "${outsideSecret.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}#/Secret" is refused: it reads .*, outside the spec's folder`),
    );
    expect(await refusal(loadSpec(path.join(specDir, "escape-etc.yaml")))).toMatch(
      /^\$ref "\/etc\/passwd#\/x" is refused: it reads \/etc\/passwd, outside the spec's folder .*escape-etc\.yaml#\/paths\/~1a/,
    );
  });

  it("refuses a symlink inside the folder that leads outside it, for a file and for a folder", async () => {
    expect(await refusal(loadSpec(path.join(specDir, "escape-symlink.yaml")))).toMatch(
      /^\$ref "\.\/linked-secret\.yaml#\/Secret" is refused: it reads .*linked-secret\.yaml, a link to .*outside\/secret\.yaml, outside the spec's folder/,
    );
    expect(await refusal(loadSpec(path.join(specDir, "escape-symlinked-dir.yaml")))).toMatch(
      /^\$ref "\.\/linked-dir\/secret\.yaml#\/Secret" is refused: it reads .*linked-dir\/secret\.yaml, a link to .*outside\/secret\.yaml, outside the spec's folder/,
    );
  });

  it("refuses an example's externalValue outside the folder", async () => {
    const line = await refusal(loadSpec(path.join(specDir, "escape-external-value.yaml")));
    expect(line).toMatch(
      /^externalValue "\.\.\/outside\/secret\.yaml" is refused: it reads .*outside\/secret\.yaml, outside the spec's folder .*#\/components\/examples\/leak\)$/,
    );
  });

  it("keeps split specs working: sub-folders, refs back up inside the folder, links that stay inside", async () => {
    const nested = await generateClient({ input: path.join(specDir, "nested.yaml") });
    expect(nested.files.get("types.ts")).toContain("shared-inside-marker");
    const linked = await generateClient({ input: path.join(specDir, "inside-symlink.yaml") });
    expect(linked.files.get("types.ts")).toContain("shared-inside-marker");
    const split = await generateClient({ input: path.join(SPECS, "split/main.yaml") });
    expect(split.files.get("types.ts")).toMatch(/size: number;/);
  });

  it("reads outside the folder when the user opts in", async () => {
    const result = await generateClient({ input: path.join(specDir, "escape-relative.yaml"), allowExternalRefs: true });
    expect(result.files.get("types.ts")).toContain(SECRET);
  });
});

interface Origin {
  server: Server;
  url: string;
  requests: Array<{ url: string; headers: IncomingHttpHeaders }>;
  routes: Map<string, (response: ServerResponse) => void>;
}

async function startOrigin(): Promise<Origin> {
  const origin: Origin = { server: createServer(), url: "", requests: [], routes: new Map() };
  origin.server.on("request", (request, response) => {
    origin.requests.push({ url: request.url ?? "", headers: request.headers });
    const route = origin.routes.get(new URL(request.url ?? "/", "http://x").pathname);
    if (route) route(response);
    else response.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => origin.server.listen(0, "127.0.0.1", resolve));
  origin.url = `http://127.0.0.1:${(origin.server.address() as AddressInfo).port}`;
  return origin;
}

function yaml(text: string): (response: ServerResponse) => void {
  return (response) => response.writeHead(200, { "content-type": "application/yaml" }).end(text);
}

function redirect(location: string): (response: ServerResponse) => void {
  return (response) => response.writeHead(302, { location }).end();
}

const THING = "Thing:\n  type: string\n  description: remote-thing-marker\n";

describe("remote $refs stay on the spec's origin", () => {
  let a: Origin;
  let b: Origin;
  beforeAll(async () => {
    [a, b] = await Promise.all([startOrigin(), startOrigin()]);
    b.routes.set("/thing.yaml", yaml(THING));
    a.routes.set("/thing.yaml", yaml(THING));
    a.routes.set("/same-origin.yaml", yaml(specWithRef("./thing.yaml#/Thing")));
    a.routes.set("/other-origin.yaml", yaml(specWithRef(`${b.url}/thing.yaml#/Thing`)));
    a.routes.set("/moved.yaml", redirect(`${b.url}/thing.yaml`));
    a.routes.set("/redirected-ref.yaml", yaml(specWithRef("./moved.yaml#/Thing")));
    a.routes.set("/old-spec.yaml", redirect("/same-origin.yaml"));
    a.routes.set("/cross-spec.yaml", redirect(`${b.url}/thing.yaml`));
    a.routes.set("/local-ref.yaml", yaml(specWithRef("file:///etc/passwd#/x")));
    a.routes.set("/huge.yaml", (response) => response.writeHead(200, { "content-length": String(2 * 1024 ** 3) }).write("openapi: 3.1.0\n"));
    a.routes.set("/drip.yaml", (response) => {
      response.writeHead(200, { "content-type": "application/yaml" }).write("openapi: 3.1.0\n");
      const timer = setInterval(() => (response.destroyed ? clearInterval(timer) : response.write("#\n")), 20);
    });
    a.routes.set("/endless.yaml", (response) => {
      response.writeHead(200, { "content-type": "application/yaml" });
      const chunk = `# ${"x".repeat(64 * 1024)}\n`;
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once("drain", pump);
      };
      pump();
    });
  });
  afterAll(async () => {
    for (const origin of [a, b]) {
      origin.server.closeAllConnections();
      await new Promise<void>((resolve) => origin.server.close(() => resolve()));
    }
  });

  const bRequests = () => b.requests.length;

  it("a spec read from a file may not fetch a URL", async () => {
    const before = bRequests();
    const file = path.join(specDir, "remote-from-file.yaml");
    writeFileSync(file, specWithRef(`${b.url}/thing.yaml#/Thing`));
    const line = await refusal(loadSpec(file));
    expect(line).toBe(
      `$ref "${b.url}/thing.yaml#/Thing" is refused: a spec read from a file may not fetch ${b.url}/thing.yaml; ` +
        `pass --allow-external-refs (or set "allowExternalRefs": true in the config) to allow it (at ${file}${SCHEMA_POINTER})`,
    );
    expect(bRequests()).toBe(before);
    // Opted in, it does.
    const result = await generateClient({ input: file, allowExternalRefs: true });
    expect(result.files.get("types.ts")).toContain("remote-thing-marker");
    expect(bRequests()).toBe(before + 1);
  });

  it("a spec read from a URL fetches refs from its own origin", async () => {
    const result = await generateClient({ input: `${a.url}/same-origin.yaml` });
    expect(result.files.get("types.ts")).toContain("remote-thing-marker");
  });

  it("but not from another origin: the other origin gets no request", async () => {
    const before = bRequests();
    const line = await refusal(loadSpec(`${a.url}/other-origin.yaml`));
    expect(line).toBe(
      `$ref "${b.url}/thing.yaml#/Thing" is refused: it fetches from ${b.url}, not from the spec's origin ${a.url}; ` +
        `pass --allow-external-refs (or set "allowExternalRefs": true in the config) to allow it (at ${a.url}/other-origin.yaml${SCHEMA_POINTER})`,
    );
    expect(bRequests()).toBe(before);
  });

  it("nor through a redirect of a same-origin ref", async () => {
    const before = bRequests();
    const line = await refusal(loadSpec(`${a.url}/redirected-ref.yaml`));
    expect(line).toMatch(
      new RegExp(`^\\$ref "\\./moved\\.yaml#/Thing" is refused: ${a.url}/moved\\.yaml redirects to ${b.url}/thing\\.yaml, not the spec's origin`),
    );
    expect(bRequests()).toBe(before);
  });

  it("a spec read from a URL may not read local files", async () => {
    const line = await refusal(loadSpec(`${a.url}/local-ref.yaml`));
    expect(line).toMatch(/^\$ref "file:\/\/\/etc\/passwd#\/x" is refused: a spec read from a URL may only fetch http\(s\) URLs/);
    expect(line).not.toMatch(/root:/);
  });

  it("sends the spec URL's credentials to its own origin only, and refuses a redirect of the spec to another origin", async () => {
    const before = bRequests();
    const result = await generateClient({ input: `http://user:s3cret-pw@${a.url.slice("http://".length)}/old-spec.yaml` });
    expect(result.files.get("types.ts")).toContain("remote-thing-marker");
    const basic = `Basic ${Buffer.from("user:s3cret-pw").toString("base64")}`;
    // The same-origin redirect kept the credentials, and so did the same-origin ref.
    expect(a.requests.filter((request) => request.headers.authorization === basic).map((request) => request.url)).toEqual(
      expect.arrayContaining(["/old-spec.yaml", "/same-origin.yaml", "/thing.yaml"]),
    );
    const line = await refusal(loadSpec(`http://user:s3cret-pw@${a.url.slice("http://".length)}/cross-spec.yaml`));
    expect(line).toBe(
      `the spec URL redirects to another origin, ${b.url}/thing.yaml: pass that URL as the input if you trust it (at ${a.url}/cross-spec.yaml)`,
    );
    expect(line).not.toContain("s3cret-pw");
    expect(bRequests()).toBe(before);
  });

  it("bounds the spec's response: a huge Content-Length and an endless body", async () => {
    expect(await refusal(loadSpec(`${a.url}/huge.yaml`))).toBe(
      `the spec is larger than 64 MiB, the limit for a spec and the files it refers to (at ${a.url}/huge.yaml)`,
    );
    expect(await refusal(loadSpec(`${a.url}/endless.yaml`, { limits: { maxBytes: 4 * 1024 * 1024 } }))).toBe(
      `the spec is larger than 4 MiB, the limit for a spec and the files it refers to (at ${a.url}/endless.yaml)`,
    );
  });

  it("bounds the wait for a body that drips", async () => {
    expect(await refusal(loadSpec(`${a.url}/drip.yaml`, { limits: { fetchTimeoutMs: 300 } }))).toBe(
      `cannot read the spec URL: the response did not finish within 0.3 s (at ${a.url}/drip.yaml)`,
    );
    const file = path.join(specDir, "drip-ref.yaml");
    writeFileSync(file, specWithRef(`${a.url}/drip.yaml#/x`));
    expect(await refusal(loadSpec(file, { allowExternalRefs: true, limits: { fetchTimeoutMs: 300 } }))).toMatch(
      new RegExp(
        `^Can't resolve \\$ref "${a.url}/drip\\.yaml#/x": Failed to load ${a.url}/drip\\.yaml: the response did not finish within 0\\.3 s \\(at `,
      ),
    );
  });
});

describe("a malformed --input URL", () => {
  it("is a CodegenError without the password when loaded programmatically", async () => {
    const line = await refusal(loadSpec("http://us%zzer:pw-9c1e@127.0.0.1:1/spec.json"));
    expect(line).toBe("the URL's user name or password is not valid percent-encoding (at http://127.0.0.1:1/spec.json)");
  });
});

/** A project whose openapi/specs.json names the escaping spec (its folder and the outside one copied in). */
function configProject(name: string): { project: string; config: string; entry: { name: string; input: string; out: string } } {
  const project = path.join(root, `project-${name}`);
  mkdirSync(path.join(project, "openapi"), { recursive: true });
  writeFileSync(path.join(project, "package.json"), "{}");
  cpSync(path.join(root, "spec"), path.join(project, "openapi/spec"), { recursive: true, verbatimSymlinks: true });
  cpSync(path.join(root, "outside"), path.join(project, "openapi/outside"), { recursive: true });
  return {
    project,
    config: path.join(project, "openapi/specs.json"),
    entry: { name: "escape", input: "openapi/spec/escape-relative.yaml", out: "generated/escape" },
  };
}

describe('"allowExternalRefs" in the config', () => {
  it("is read as a boolean and refused as anything else", () => {
    const { config, entry } = configProject("unit");
    writeFileSync(config, JSON.stringify({ specs: [entry, { ...entry, name: "allowed", out: "generated/allowed", allowExternalRefs: true }] }));
    expect(loadSpecsConfig(config).specs.map((spec) => spec.allowExternalRefs)).toEqual([undefined, true]);
    writeFileSync(config, JSON.stringify({ specs: [{ ...entry, allowExternalRefs: "yes" }] }));
    expect(() => loadSpecsConfig(config)).toThrow(ConfigError);
    expect(() => loadSpecsConfig(config)).toThrow(/^"allowExternalRefs" must be true or false$/);
  });
});

describe("the CLI", () => {
  const oneErrorLine = (stderr: string) => {
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(stderr).not.toMatch(/^\s+at /m);
    return lines[0]!;
  };

  it.concurrent("a malformed user part in --input: usage error, exit 2, one line, no password, no stack", async () => {
    const out = path.join(root, "cli-url-out");
    for (const input of ["http://us%zzer:pw-9c1e@127.0.0.1:1/spec.json", "http://user:pw-9c1e@[::1/spec.json"]) {
      const result = await runCli(["generate", "--input", input, "--out", out]);
      expect(result.status, result.stderr).toBe(2);
      const line = oneErrorLine(result.stderr);
      expect(line).toMatch(/^inject-client: error: --input: /);
      expect(`${result.stdout}${result.stderr}`).not.toContain("pw-9c1e");
    }
  });

  it.concurrent("a refused $ref: exit 1, one line naming it; --allow-external-refs lets it through", async () => {
    const out = path.join(root, "cli-ref-out");
    const input = path.join(specDir, "escape-relative.yaml");
    const refused = await runCli(["generate", "--input", input, "--out", out]);
    expect(refused.status).toBe(1);
    expect(oneErrorLine(refused.stderr)).toMatch(
      /^inject-client: error: \$ref "\.\.\/outside\/secret\.yaml#\/Secret" is refused: .*--allow-external-refs/,
    );
    const allowed = await runCli(["generate", "--input", input, "--out", out, "--allow-external-refs"]);
    expect(allowed.status, allowed.stderr).toBe(0);
    const index = readFileSync(path.join(out, "index.ts"), "utf8");
    expect(index).toContain("--allow-external-refs"); // the regenerate command in the header keeps the opt-in
  });

  it.concurrent('"allowExternalRefs": true in the config lets a ref out of the folder', async () => {
    const { project, config, entry } = configProject("cli");
    writeFileSync(config, JSON.stringify({ specs: [{ ...entry, allowExternalRefs: true }] }));
    const allowed = await runCli(["generate", "--config", config], { cwd: project });
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(readFileSync(path.join(project, "generated/escape/types.ts"), "utf8")).toContain(SECRET);
  });
});
