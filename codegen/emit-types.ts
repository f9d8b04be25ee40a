// Emit the spec's types with openapi-typescript's Node API: `paths`, `components`, `operations`, ...
// into `types.ts`: types only, and `// @ts-nocheck` so that tsc skips checking it (see NO_CHECK in emit-client.ts).
//
// `openapiTS(document)` would parse, lint and bundle the document again with Redocly; loadSpec has
// already done all three (with the same "minimal" ruleset), so the bundled document goes straight to
// openapi-typescript's own transform, with the context `openapiTS` builds for these options.
//
// Two departures from openapi-typescript's types, so that they say what the client sends:
// - a binary schema (`format: binary`, 3.1's raw `contentMediaType`) is a file, `Blob | Uint8Array`, not a `string`;
// - a parameter serialized with a media type (`content: { application/json: { schema } }`) has its schema's
//   type, not `string`: the runtime encodes it (`JSON.stringify`), the caller passes the value.
import ts from "typescript";
import {
  astToString,
  resolveRef,
  scanDiscriminators,
  transformSchema,
  type GlobalContext,
  type OpenAPI3,
  type OpenAPITSOptions,
  type ParameterObject,
  type ReferenceObject,
} from "openapi-typescript";
import type { Config } from "@redocly/openapi-core";
import { CodegenError, oneLine } from "./errors.js";
import { transformProperty } from "./lenient.js";
import { isJson, preferredMediaType } from "./media-types.js";
import { isBinarySchema } from "./wire-model.js";

const FILE_TYPES = ["Blob", "Uint8Array"];

/**
 * openapi-typescript's `transform` hook: a binary string schema becomes `Blob | Uint8Array` (`| null` when
 * nullable). Schemas with a list of types (`[string, null]`) are left alone: openapi-typescript calls the
 * hook again for each member.
 */
export const transform: NonNullable<OpenAPITSOptions["transform"]> = (schema) => {
  if (Array.isArray(schema.type) || !isBinarySchema(schema)) return undefined;
  const types: ts.TypeNode[] = FILE_TYPES.map((name) => ts.factory.createTypeReferenceNode(name));
  if ((schema as { nullable?: unknown }).nullable === true) types.push(ts.factory.createLiteralTypeNode(ts.factory.createNull()));
  return ts.factory.createUnionTypeNode(types);
};

/**
 * Gives each parameter serialized as JSON (`content: { "application/json": { schema } }`) that schema, in
 * memory, where openapi-typescript looks for a parameter's type. Runs after the operations are modelled
 * (the model reads `content`, which stays).
 */
export function typeContentParameters(document: OpenAPI3): void {
  const visit = (raw: unknown) => {
    const parameter = raw as (ParameterObject & { schema?: unknown }) | ReferenceObject;
    if (typeof parameter !== "object" || parameter === null || "$ref" in parameter || parameter.schema !== undefined) return;
    const content = parameter.content as Record<string, { schema?: unknown } | undefined> | undefined;
    const mediaType = preferredMediaType(content);
    const schema = mediaType === undefined ? undefined : content![mediaType]?.schema;
    if (mediaType !== undefined && isJson(mediaType) && schema !== undefined) parameter.schema = schema as ParameterObject["schema"];
  };
  const each = (list: unknown) => {
    if (Array.isArray(list)) list.forEach(visit);
  };
  for (const parameter of Object.values(document.components?.parameters ?? {})) visit(parameter);
  for (const item of Object.values(document.paths ?? {})) {
    if (typeof item !== "object" || item === null) continue;
    each((item as { parameters?: unknown }).parameters);
    for (const operation of Object.values(item))
      if (typeof operation === "object" && operation !== null) each((operation as { parameters?: unknown }).parameters);
  }
}

export async function emitTypes(document: OpenAPI3, redocly: Config, displayName: string): Promise<string> {
  try {
    typeContentParameters(document);
    // openapiTS's defaults (openapi-typescript 7.13), with `silent` and our `transform` and `transformProperty`.
    const options: OpenAPITSOptions = { silent: true, transform, transformProperty };
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
      transform,
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
