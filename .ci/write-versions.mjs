// Writes runtime/version.ts and transformer/version.ts from their package.json, so that the version the code
// states (the User-Agent's `inject-client/<version>`, ts-jest's cache key) is the one published, with no
// copy kept by hand. Run by `npm run build` before tsc, and by `npm ci` (prepare) so that a fresh clone
// type-checks. The runtime must not read files at import time, hence a module rather than a read.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("..", import.meta.url));

for (const workspace of ["runtime", "transformer"]) {
  const { name, version } = JSON.parse(readFileSync(path.join(repo, workspace, "package.json"), "utf8"));
  if (typeof version !== "string" || version === "") throw new Error(`${workspace}/package.json has no version`);
  const file = path.join(repo, workspace, "version.ts");
  const text = `// Written by .ci/write-versions.mjs from ${workspace}/package.json (npm run build): do not edit.\n/** The version of ${name}, as published. */\nexport const VERSION = ${JSON.stringify(version)};\n`;
  let current;
  try {
    current = readFileSync(file, "utf8");
  } catch {
    current = undefined;
  }
  if (current !== text) writeFileSync(file, text);
}
