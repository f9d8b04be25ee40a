// GitHub's official spec (@octokit/openapi, 1,223 operations, 13 MB): generation (in process) succeeds, is
// deterministic (a second generation compared byte for byte with the files written, as --check does), and
// the generated client type-checks under strict in a user's project (the real tsc), as does a file asserting
// that each path parameter written as a plain type is exactly the type `paths` gives it.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateClient } from "../../codegen/generate.js";
import { loadSpec } from "../../codegen/load.js";
import { modelOperations } from "../../codegen/model.js";
import { staleFiles } from "../../codegen/write.js";
import { plainTypeChecks } from "./plain-checks.js";
import { generateInto, GITHUB_SPEC, makeProject, tempDir, typeCheck, removeTempDirs } from "./support.js";

afterAll(removeTempDirs);

describe("GitHub's spec", () => {
  it("generates deterministically, and the client type-checks with calls through it", async () => {
    const dir = tempDir("github");
    makeProject(dir);
    const out = path.join(dir, "src/github");
    const options = { input: GITHUB_SPEC, className: "GitHubClient" };
    const generated = await generateInto(out, options);
    const spec = JSON.parse(readFileSync(GITHUB_SPEC, "utf8")) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(spec.paths).flatMap((item) =>
      Object.keys(item).filter((key) => ["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(key)),
    );
    expect(generated.operations).toBe(operations.length);
    expect([...generated.files.keys()]).toEqual(["index.ts", "methods.ts", "types.ts"]);

    expect(await staleFiles(out, (await generateClient(options)).files)).toEqual([]);

    writeFileSync(
      path.join(dir, "src/use.ts"),
      [
        'import { GitHubClient } from "./github/index.js";',
        'const client = new GitHubClient({ baseUrl: "https://api.github.com", headers: { authorization: "Bearer token" } });',
        'const content = await client.reposGetContent("octocat", "hello-world", "README.md");',
        'const pulls = await client.pullsList("octocat", "hello-world", { query: { state: "open", per_page: 10 } });',
        'const issue = await client.issuesCreate("octocat", "hello-world", { title: "Found a bug" });',
        "const number: number = issue.number;",
        "export const results = [content, pulls[0]?.title, number];",
        "",
      ].join("\n"),
    );
    // Each path parameter the signatures write as its plain type (`owner: string`) is exactly `paths`'s.
    const checks = plainTypeChecks([{ name: "github", operations: modelOperations((await loadSpec(GITHUB_SPEC)).document) }]);
    expect(checks.count).toBeGreaterThan(1000);
    writeFileSync(path.join(dir, "src/plain.ts"), checks.lines.join("\n"));
    const { diagnostics, output } = typeCheck(dir, "nodenext");
    expect(diagnostics, output).toEqual([]);
  }, 240_000);
});
