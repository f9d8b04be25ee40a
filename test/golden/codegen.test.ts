// Golden files of the generator: the client it writes for a small spec (test/fixtures/specs/petstore.yaml)
// and for Prefect's (read from ../shared, never copied here), byte for byte. A change to the output fails
// here with a diff; when the change is meant, `npx vitest run test/golden -u` rewrites the files.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateClient } from "../../codegen/generate.js";
import { REPO } from "../codegen/support.js";

const specs: Array<{ name: string; input: string; files: string[] }> = [
  // types.ts too: small here, and it pins the lenient request bodies (ours) on openapi-typescript's output.
  { name: "petstore", input: "test/fixtures/specs/petstore.yaml", files: ["index.ts", "methods.ts", "types.ts"] },
  // Relative to the repository, as `npm run codegen` names it: the header quotes the path.
  { name: "prefect", input: path.relative(REPO, path.resolve(REPO, "../shared/openapi/prefect-v3.json")), files: ["index.ts", "methods.ts"] },
];

describe("the generated client, byte for byte", () => {
  for (const { name, input, files } of specs) {
    it(`${name} (${input}): ${files.join(", ")}`, async () => {
      const generated = await generateClient({ input, cwd: REPO });
      for (const file of files) {
        const text = generated.files.get(file);
        expect(text, file).toBeDefined();
        await expect(text).toMatchFileSnapshot(`codegen/${name}/${file}.golden`);
      }
    });
  }
});
