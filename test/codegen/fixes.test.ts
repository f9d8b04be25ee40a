// Generator fixes found by the corpus and adversarial suites, in process: class names from titles that
// start with a digit, `$ref` cycles and duplicate operationIds as one-line errors, and path placeholders
// that no parameter declares (compiled and called for real in fixes-compile.test.ts).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emitClient } from "../../codegen/emit-client.js";
import { CodegenError } from "../../codegen/errors.js";
import { generateClient } from "../../codegen/generate.js";
import { loadSpec } from "../../codegen/load.js";
import { modelOperations } from "../../codegen/model.js";
import { classNameFromTitle, classNameProblem } from "../../codegen/names.js";
import { PROFILES } from "../../codegen/profile.js";
import { REPO, SPECS, tempDir, removeTempDirs } from "./support.js";

afterAll(removeTempDirs);

const ADVERSARIAL = path.join(REPO, "test/fixtures/adversarial");
const UNDECLARED = path.join(SPECS, "undeclared-path-param.json");

describe("class names", () => {
  it("derives a valid, readable name from a title that starts with a digit", () => {
    expect(classNameFromTitle("1Password Connect")).toBe("Api1PasswordConnectClient");
    expect(classNameFromTitle("1Forge Finance")).toBe("Api1ForgeFinanceClient");
    expect(classNameFromTitle("1000000 Recipe and Food API")).toBe("Api1000000RecipeAndFoodApiClient");
    expect(classNameFromTitle("Prefect REST API")).toBe("PrefectRestApiClient");
    expect(classNameFromTitle("")).toBe("ApiClient");
    expect(classNameFromTitle("???")).toBe("ApiClient");
    for (const title of ["1Password Connect", "42", "Operation", "OpenAPI Client"])
      expect(classNameProblem(classNameFromTitle(title)), title).toBeUndefined();
  });

  it("refuses an explicit name that is not an identifier, a reserved word or a name the module uses", () => {
    expect(classNameProblem("1PasswordClient")).toMatch(/^the class name "1PasswordClient" is not a valid identifier: it must start with a letter/);
    expect(classNameProblem("class")).toBe('the class name "class" is a reserved word');
    expect(classNameProblem("Operation")).toMatch(/clashes with a name the generated module declares/);
    expect(classNameProblem("PetsClient")).toBeUndefined();
  });

  it("generateClient refuses an invalid className before reading the spec (the CLI's --name: exit 2, cli.test.ts)", async () => {
    await expect(generateClient({ input: "does-not-exist.json", className: "1Password" })).rejects.toThrow(
      'the class name "1Password" is not a valid identifier: it must start with a letter, `_` or `$` and contain only letters, digits, `_` and `$`',
    );
  });
});

describe("specs refused in one line", () => {
  const cases: Array<[string, string]> = [
    ["circular-ref.json", 'circular $ref: "#/components/parameters/Loop" refers back to itself (at <spec>#/components/parameters/Loop/$ref)'],
    [
      "duplicate-operation-id.json",
      'every operation must have a unique `operationId`: "constructor" is the operationId of GET /a (#/paths/~1a/get/operationId) and of GET /b (at <spec>#/paths/~1b/get/operationId)',
    ],
  ];
  for (const [fixture, message] of cases) {
    it(`${fixture}: the cause and both places, in the one line the CLI prints`, async () => {
      const input = path.join(ADVERSARIAL, fixture);
      const error: unknown = await generateClient({ input }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(CodegenError);
      expect((error as CodegenError).describe()).toBe(message.replace("<spec>", input));
    });
  }

  it("a $ref cycle through two components names the whole loop", async () => {
    const dir = tempDir("cycle");
    const input = path.join(dir, "spec.json");
    writeFileSync(
      input,
      JSON.stringify({
        openapi: "3.1.0",
        info: { title: "t", version: "1" },
        paths: { "/a": { get: { responses: { 200: { $ref: "#/components/responses/Ping" } } } } },
        components: { responses: { Ping: { $ref: "#/components/responses/Pong" }, Pong: { $ref: "#/components/responses/Ping" } } },
      }),
    );
    await expect(loadSpec(input)).rejects.toThrow(
      'circular $ref: "#/components/responses/Ping" -> "#/components/responses/Pong" refers back to itself',
    );
  });
});

describe("a path placeholder that no parameter declares", () => {
  it("becomes a `string | number` argument; declared ones keep their spec type", async () => {
    const { document } = await loadSpec(UNDECLARED);
    const operations = modelOperations(document);
    expect(operations.map((operation) => operation.pathParameters.map(({ name, declared }) => [name, declared]))).toEqual([
      [
        ["shop", true],
        ["item", false],
      ],
      [["id", false]],
    ]);
    const methods = emitClient({ className: "C", operations, profile: PROFILES.generic, title: "t", header: "" })["methods.ts"];
    // `shop` is declared as an integer: its type, as `paths` has it.
    expect(methods).toContain("putItem(shop: number, item: string | number, body: PutItemBody, options?: CallOptions): Promise<void>;");
    expect(methods).toContain("getThing(id: string | number, options?: CallOptions): Promise<GetThingResponse>;");
  });
});
