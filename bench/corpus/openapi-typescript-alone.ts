// openapi-typescript alone, as its Node API is documented: `openapiTS(fileURL)` -> `astToString` -> a file.
// Usage: node --import tsx bench/corpus/openapi-typescript-alone.ts <spec> <out.ts>
// Exit 0 when written; 1 with one line `openapi-typescript: error: <message>` when it rejects the spec.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const [input, out] = process.argv.slice(2);
if (!input || !out) {
  process.stderr.write("usage: openapi-typescript-alone.ts <spec> <out.ts>\n");
  process.exit(2);
}
try {
  const nodes = await openapiTS(pathToFileURL(path.resolve(input)), { silent: true });
  await writeFile(out, astToString(nodes));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`openapi-typescript: error: ${message.replace(/\s+/g, " ").trim()}\n`);
  process.exitCode = 1;
}
