// The install matrix's runner (bench/matrix/), tested through the code `npm run matrix` runs: three real cells
// (Node 20 × TypeScript 7 codegen + tsc, Node 20 × TypeScript 7 tsc + inject-client-transform, Node 20 ×
// TypeScript 5.9 tspc) install the packed tarballs into fresh projects in os.tmpdir() and call a local server;
// the pairings that cannot exist say which door to use; the table and README splicing are checked on their own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firstErrorLine, notApplicable, type Cell } from "../../bench/matrix/cells.js";
import { END_MARKER, matrixTable, replaceBetweenMarkers, runMatrix, START_MARKER } from "../../bench/matrix/matrix.js";

const root = mkdtempSync(path.join(tmpdir(), "inject-client-matrix-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("npm run matrix's runner", () => {
  it("runs cells two at a time: TS 7 codegen + tsc, TS 7 tsc + inject-client-transform and TS 5.9 tspc install, build and call the server (Node 20)", async () => {
    const cells: Cell[] = [
      { node: "20", ts: "7.0.2", kind: "codegen" },
      { node: "20", ts: "7.0.2", kind: "post-emit" },
      { node: "20", ts: "5.9.3", kind: "tspc" },
      { node: "20", ts: "7.0.2", kind: "tspc" },
    ];
    const results = await runMatrix(cells, { root, concurrency: 2 });
    expect(results.map((r) => r.cell)).toEqual(cells);
    for (const { cell, outcome } of results.slice(0, 3)) expect(outcome, `${cell.ts} ${cell.kind}`).toMatchObject({ status: "ok" });
    expect(results[3]!.outcome).toMatchObject({
      status: "n/a",
      use: "tsc + inject-client-transform, or a Vite build",
      reason: expect.stringMatching(/no JavaScript plugins/),
    });
    const table = matrixTable(results);
    expect(table.split("\n")[2]).toMatch(/^\| 20 \| 5\.9\.3 \| not run \| ok \(\d+ s\) \| not run \| not run \| not run \|$/);
    expect(table.split("\n")[3]).toMatch(
      /^\| 20 \| 7\.0\.2 \| ok \(\d+ s\) \| n\/a: use tsc \+ inject-client-transform, or a Vite build \(TypeScript 7's tsc loads no JavaScript plugins/,
    );
    expect(table.split("\n")[3]).toMatch(/\| ok \(\d+ s\) \| not run \| not run \|$/);
  }, 600_000);

  it("says why a pairing cannot exist and which door to use, and runs the others", () => {
    expect(notApplicable({ node: "24", ts: "7.0.2", kind: "ts-jest" })).toEqual({
      reason: expect.stringMatching(/ts-jest 29 requires TypeScript < 7/),
      use: "Vitest with @inject-client/transformer/vite",
    });
    for (const kind of ["codegen", "post-emit", "vite"] as const) expect(notApplicable({ node: "24", ts: "7.0.2", kind })).toBeUndefined();
    expect(notApplicable({ node: "22", ts: "6.0.3", kind: "tspc" })).toBeUndefined();
    expect(notApplicable({ node: "22", ts: "5.9.3", kind: "ts-jest" })).toBeUndefined();
  });

  it("reports the first line that names the error, not npm's warnings", () => {
    expect(firstErrorLine("npm warn deprecated x\n\nsrc/a.ts(1,2): error TS2307: Cannot find module 'y'\nmore")).toBe(
      "src/a.ts(1,2): error TS2307: Cannot find module 'y'",
    );
    expect(firstErrorLine("just this\n")).toBe("just this");
  });

  it("replaces only the text between the README markers, and refuses a README without them", () => {
    const readme = `# T\n\nbefore\n${START_MARKER}\nold table\n${END_MARKER}\nafter\n`;
    expect(replaceBetweenMarkers(readme, "new")).toBe(`# T\n\nbefore\n${START_MARKER}\nnew\n${END_MARKER}\nafter\n`);
    expect(() => replaceBetweenMarkers("# no markers\n", "new")).toThrow(/matrix:start/);
  });
});
