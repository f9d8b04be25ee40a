// Emit the spec's types with openapi-typescript's Node API: `paths`, `components`, `operations`, ...
// as a declaration file (`types.d.ts`), which `skipLibCheck` lets tsc skip in users' builds.
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import type { Config } from "@redocly/openapi-core";
import { CodegenError, oneLine } from "./errors.js";
import { transformProperty } from "./lenient.js";

export async function emitTypes(document: OpenAPI3, redocly: Config, displayName: string): Promise<string> {
  try {
    const nodes = await openapiTS(document, { redocly, silent: true, transformProperty });
    return astToString(nodes);
  } catch (error) {
    throw new CodegenError(`openapi-typescript could not convert the spec: ${oneLine((error as Error).message)}`, displayName);
  }
}
