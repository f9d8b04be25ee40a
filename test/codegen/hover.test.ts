// What an editor shows on hover over a generated method: TypeScript's language service (`getQuickInfoAtPosition`,
// what VS Code's hover asks tsserver for) over a user's file calling the generated Prefect and petstore clients.
// Signatures name each method's types (`ReadFlowResponse`), write simple path parameters as their type
// (`id: string`), and leave out what a method does not take (`options?: CallOptions`). Also: users can import
// those names from the client's index, and each carries its one-line JSDoc.
import { writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateInto, makeProject, PREFECT_SPEC, removeTempDirs, SPECS, STRICT_NODENEXT, tempDir } from "./support.js";

afterAll(removeTempDirs);

const USE = `import { PetStoreClient } from "./pet/index.js";
import { PrefectClient } from "./prefect/index.js";
import type {
  CreateFlowBody,
  GetPetsByPetIdResponse,
  ListPetsQuery,
  ReadDeploymentByNamePathParams,
  ReadFlowHeaders,
  ReadFlowResponse,
} from "./prefect-and-pet.js";

export async function use(prefect: PrefectClient, pets: PetStoreClient): Promise<unknown[]> {
  const flow: ReadFlowResponse = await prefect.readFlow("id");
  const headers: ReadFlowHeaders = { "x-prefect-api-version": "0.8.4" };
  const body: CreateFlowBody = { name: "etl" };
  const created = await prefect.createFlow(body, { headers });
  const runs = await prefect.readFlowRuns({ limit: 2 });
  const names: ReadDeploymentByNamePathParams = { flow_name: "flow", deployment_name: "deployment" };
  const deployment = await prefect.readDeploymentByName(names.flow_name, names.deployment_name);
  const block = await prefect.readBlockDocumentById("id", { query: { include_secrets: false } });
  const query: ListPetsQuery = { limit: 2 };
  const listed = await pets.listPets({ query });
  const pet: GetPetsByPetIdResponse = await pets.getPetsByPetId(1);
  await pets.deleteOperation(1);
  const toys = await pets.requestOperation("store", 1, { query: { color: "red" } });
  const found = await pets.search();
  return [flow, created, runs, deployment, block, listed, pet, toys, found];
}
`;

/** The aliases come from each client's index (what the user imports); one module re-exports both for the test. */
const REEXPORT = `export type { CreateFlowBody, ReadDeploymentByNamePathParams, ReadFlowHeaders, ReadFlowResponse } from "./prefect/index.js";
export type { ListPetsQuery, GetPetsByPetIdResponse } from "./pet/index.js";
`;

let project: string;
let service: ts.LanguageService;
let use: string;
let reexport: string;

beforeAll(async () => {
  project = tempDir("hover");
  makeProject(project);
  await generateInto(path.join(project, "src/prefect"), { input: PREFECT_SPEC, className: "PrefectClient" });
  await generateInto(path.join(project, "src/pet"), { input: path.join(SPECS, "petstore.yaml") });
  use = path.join(project, "src/use.ts");
  writeFileSync(use, USE);
  reexport = path.join(project, "src/prefect-and-pet.ts");
  writeFileSync(reexport, REEXPORT);
  const options = STRICT_NODENEXT;
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [use, reexport],
    getScriptVersion: () => "1",
    getScriptSnapshot: (file) => (ts.sys.fileExists(file) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(file)!) : undefined),
    getCurrentDirectory: () => project,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (settings) => ts.getDefaultLibFilePath(settings),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
  };
  service = ts.createLanguageService(host, ts.createDocumentRegistry());
}, 60_000);

/** The hover text at the first occurrence of `marker` in use.ts (the position: `at` characters into it). */
function hover(marker: string, at = 0): { text: string; docs: string } {
  const position = USE.indexOf(marker);
  expect(position, marker).toBeGreaterThanOrEqual(0);
  const info = service.getQuickInfoAtPosition(use, position + at);
  return { text: ts.displayPartsToString(info?.displayParts), docs: ts.displayPartsToString(info?.documentation) };
}

/** The hover over a called method, e.g. `prefect.readFlow(`. */
const method = (call: string) => hover(call, call.indexOf(".") + 1).text;

describe("hover over a generated method", () => {
  it("the usage file type-checks (the aliases are importable from the index)", () => {
    const errors = [use, reexport].flatMap((file) =>
      service
        .getSemanticDiagnostics(file)
        .map((diagnostic) => `${path.basename(file)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`),
    );
    expect(errors).toEqual([]);
  });

  it("Prefect: named response, body and header types, plain path parameters", () => {
    expect(method("prefect.readFlow(")).toBe(
      "(method) PrefectClientMethods.readFlow(id: string, options?: CallOptions<never, ReadFlowHeaders>): Promise<ReadFlowResponse>",
    );
    expect(method("prefect.createFlow(")).toBe(
      "(method) PrefectClientMethods.createFlow(body: CreateFlowBody, options?: CallOptions<never, CreateFlowHeaders>): Promise<CreateFlowResponse>",
    );
    expect(method("prefect.readFlowRuns(")).toBe(
      "(method) PrefectClientMethods.readFlowRuns(body?: ReadFlowRunsBody, options?: CallOptions<never, ReadFlowRunsHeaders>): Promise<ReadFlowRunsResponse>",
    );
    expect(method("prefect.readDeploymentByName(")).toBe(
      "(method) PrefectClientMethods.readDeploymentByName(flowName: string, deploymentName: string, options?: CallOptions<never, ReadDeploymentByNameHeaders>): Promise<ReadDeploymentByNameResponse>",
    );
    expect(method("prefect.readBlockDocumentById(")).toBe(
      "(method) PrefectClientMethods.readBlockDocumentById(id: string, options?: CallOptions<ReadBlockDocumentByIdQuery, ReadBlockDocumentByIdHeaders>): Promise<ReadBlockDocumentByIdResponse>",
    );
  });

  it("petstore: `CallOptions` with no type arguments when a method takes no query, header or cookie", () => {
    expect(method("pets.listPets(")).toBe("(method) PetStoreClientMethods.listPets(options?: CallOptions<ListPetsQuery>): Promise<ListPetsResponse>");
    expect(method("pets.getPetsByPetId(")).toBe(
      "(method) PetStoreClientMethods.getPetsByPetId(petId: number, options?: CallOptions): Promise<GetPetsByPetIdResponse>",
    );
    expect(method("pets.deleteOperation(")).toBe(
      "(method) PetStoreClientMethods.deleteOperation(petId: number, options?: CallOptions): Promise<void>",
    );
    expect(method("pets.requestOperation(")).toBe(
      '(method) PetStoreClientMethods.requestOperation(storeId: string, petId: number, options: WithRequired<CallOptions<RequestOperationQuery>, "query">): Promise<RequestOperationResponse>',
    );
    expect(method("pets.search(")).toBe("(method) PetStoreClientMethods.search(body?: SearchBody, options?: CallOptions): Promise<SearchResponse>");
  });

  it("each named type has a one-line JSDoc: what it is, of which method and operation", () => {
    // Hovering the name shows what it stands for, expanded (here the Flow schema).
    expect(hover("ReadFlowResponse =")).toEqual({
      text: expect.stringMatching(/^\(alias\) type ReadFlowResponse = \{\n {4}id: string;\n[^]*\n {4}name: string;\n/) as string,
      docs: "Response of `readFlow` (`GET /flows/{id}`, 200).",
    });
    expect(hover("ReadFlowHeaders =").docs).toBe("Headers of `readFlow` (`GET /flows/{id}`): those the spec declares, and any other as a string.");
    expect(hover("CreateFlowBody =").docs).toBe("Request body of `createFlow` (`POST /flows/`, `application/json`).");
    expect(hover("ListPetsQuery =").docs).toBe("Query parameters of `listPets` (`GET /pets`).");
    expect(hover("ReadDeploymentByNamePathParams =").docs).toBe(
      "Path parameters of `readDeploymentByName` (`GET /deployments/name/{flow_name}/{deployment_name}`).",
    );
  });
});
