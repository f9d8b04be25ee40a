// GitHub's official spec (@octokit/openapi, 1,223 operations, 13 MB): generation succeeds, is
// deterministic (--check right after regenerates in memory and compares byte for byte), and the
// generated client type-checks under strict in a user's project.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GITHUB_SPEC, makeProject, runCli, tempDir, typeCheck, removeTempDirs } from "./support.js";

afterAll(removeTempDirs);

describe("GitHub's spec", () => {
  it("generates deterministically, and the client type-checks with calls through it", async () => {
    const dir = tempDir("github");
    makeProject(dir);
    const out = path.join(dir, "src/github");
    const args = ["generate", "--input", GITHUB_SPEC, "--out", out, "--name", "GitHubClient"];
    const generated = await runCli(args);
    expect(generated.stderr).toBe("");
    expect(generated.status).toBe(0);
    const spec = JSON.parse(readFileSync(GITHUB_SPEC, "utf8")) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(spec.paths).flatMap((item) => Object.keys(item).filter((key) => ["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(key)));
    expect(generated.stdout).toMatch(new RegExp(`^inject-client: 1 spec, ${operations.length} operations, 3 of 3 files written in`, "m"));

    const check = await runCli([...args, "--check"]);
    expect(check.stdout).toMatch(/all current\n$/);
    expect(check.status).toBe(0);

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
    const { diagnostics, output } = typeCheck(dir, "nodenext");
    expect(diagnostics, output).toEqual([]);
  }, 240_000);
});
