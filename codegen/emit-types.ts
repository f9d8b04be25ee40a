// Emit the spec's types with openapi-typescript's Node API: `paths`, `components`, `operations`, ...
// into `types.ts`: types only, and `// @ts-nocheck` so that tsc skips checking it (see NO_CHECK in emit-client.ts).
//
// `openapiTS(document)` would parse, lint and bundle the document again with Redocly; loadSpec has
// already done all three (with the same "minimal" ruleset), so the bundled document goes straight to
// openapi-typescript's own transform, with the context `openapiTS` builds for these options.
import { astToString, resolveRef, scanDiscriminators, transformSchema, type GlobalContext, type OpenAPI3, type OpenAPITSOptions } from "openapi-typescript";
import type { Config } from "@redocly/openapi-core";
import { CodegenError, oneLine } from "./errors.js";
import { transformProperty } from "./lenient.js";

export async function emitTypes(document: OpenAPI3, redocly: Config, displayName: string): Promise<string> {
  try {
    // openapiTS's defaults (openapi-typescript 7.13), with `silent` and our `transformProperty`.
    const options: OpenAPITSOptions = { silent: true, transformProperty };
    const ctx: GlobalContext = {
      additionalProperties: false,
      alphabetize: false,
      arrayLength: false,
      defaultNonNullable: true,
      discriminators: scanDiscriminators(document, options),
      emptyObjectsUnknown: false,
      enum: false,
      enumValues: false,
      conditionalEnums: false,
      dedupeEnums: false,
      excludeDeprecated: false,
      exportType: false,
      immutable: false,
      rootTypes: false,
      rootTypesNoSchemaPrefix: false,
      rootTypesKeepCasing: false,
      injectFooter: [],
      pathParamsAsTypes: false,
      postTransform: undefined,
      propertiesRequiredByDefault: false,
      redoc: redocly,
      silent: true,
      inject: undefined,
      transform: undefined,
      transformProperty,
      makePathsEnum: false,
      generatePathParams: false,
      readWriteMarkers: false,
      resolve<T>($ref: string): T | undefined {
        return resolveRef<T>(document, $ref, { silent: true });
      },
    };
    return astToString(transformSchema(document, ctx));
  } catch (error) {
    throw new CodegenError(`openapi-typescript could not convert the spec: ${oneLine((error as Error).message)}`, displayName);
  }
}
