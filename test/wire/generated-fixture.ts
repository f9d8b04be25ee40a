// A user's project holding a client freshly generated from wire-classes.json (in-process, with
// generateClient) and the typed calls of test/fixtures/wire/calls.ts next to it, for tsc to check and
// for the wire test and bench/wire/run.ts to import.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { generateClient } from "../../codegen/generate.js";
import { makeProject, REPO } from "../codegen/support.js";
import { WIRE_SPEC } from "./fixture-server.js";

export const CALLS_SOURCE = path.join(REPO, "test/fixtures/wire/calls.ts");

export interface FixtureProject {
  dir: string;
  /** `src/calls.ts`, as a file URL for `import()`. */
  callsUrl: string;
  remove(): void;
}

/**
 * Outside the repo (so that nothing resolves up the tree to the repo's node_modules), with `makeProject`'s
 * node_modules: the generated `import ... from "inject-client/runtime"` resolves to the runtime as installed
 * from its packed tarball (packed from its dist: `npm run build` first).
 */
export async function generateFixtureProject(prefix: string): Promise<FixtureProject> {
  const base = path.join(tmpdir(), "inject-client-tests", "wire");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, `${prefix}-`));
  makeProject(dir);
  const clientDir = path.join(dir, "src/client");
  mkdirSync(clientDir, { recursive: true });
  const { files } = await generateClient({ input: WIRE_SPEC, regenerateWith: "test/wire/generated-fixture.ts" });
  for (const [name, text] of files) writeFileSync(path.join(clientDir, name), text);
  copyFileSync(CALLS_SOURCE, path.join(dir, "src/calls.ts"));
  return {
    dir,
    callsUrl: pathToFileURL(path.join(dir, "src/calls.ts")).href,
    remove: () => {
      if (!process.env.KEEP_WIRE_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
    },
  };
}
