// Lenient request bodies, precise responses.
//
// openapi-typescript's `defaultNonNullable` (on by default) types a property that has a `default` as
// required: right for a response (the server fills it in), wrong for a request (the caller may leave it
// out, as `read_flow_runs(limit=2)` does in Python). openapi-typescript already relaxes this for schemas
// written inline in a request body, but not for `components/schemas` reached through `$ref`.
//
// Before openapi-typescript runs, this pass marks, in memory, each property that is optional but has a
// `default` in every schema used by a request body; `transformProperty` then gives it a `?`:
// - a schema only requests use is marked in place (no new types);
// - a schema that requests and responses share gets an input twin (`<Name>-Input`, as pydantic names
//   them), and requests point at the twin, so the response type stays precise. Only schemas that need
//   it are twinned: one with such a property, or one that refers to a twinned schema.
import ts from "typescript";
import type { OpenAPI3, OpenAPITSOptions, SchemaObject } from "openapi-typescript";
import { isHttpMethod } from "./http-methods.js";
import { decodePointerSegment, encodePointerSegment, resolveLocalPointer } from "./json-pointer.js";

/** Set on a property schema that is optional in requests only because it has a default. */
export const LENIENT_MARK = "x-inject-client-request-default";

const SCHEMA_PREFIX = "#/components/schemas/";

export interface LenientStats {
  /** Schemas only requests use, relaxed in place. */
  relaxedInPlace: number;
  /** Schemas shared by requests and responses, given an input twin. */
  twins: number;
  /** Properties that became optional for callers. */
  properties: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function schemaName(ref: unknown): string | undefined {
  if (typeof ref !== "string" || !ref.startsWith(SCHEMA_PREFIX)) return undefined;
  return decodePointerSegment(ref.slice(SCHEMA_PREFIX.length));
}

function schemaRef(name: string): string {
  return SCHEMA_PREFIX + encodePointerSegment(name);
}

/** Every `$ref` string under a node (not following them). */
function collectRefs(node: unknown, into: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, into);
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") into.push(value);
      else if (key !== "example" && key !== "examples" && key !== "default" && key !== "const" && key !== "enum") collectRefs(value, into);
    }
  }
}

/** The closure of refs from some roots: every ref target reached (schemas and other components). */
function reachable(document: OpenAPI3, roots: unknown[]): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const root of roots) collectRefs(root, queue);
  while (queue.length > 0) {
    const ref = queue.pop()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    collectRefs(resolveLocalPointer(document, ref), queue);
  }
  return seen;
}

/** Visits each object schema in a schema's inline tree (not through `$ref`). */
function forEachInlineSchema(schema: unknown, visit: (schema: Json) => void): void {
  if (!isObject(schema) || typeof schema.$ref === "string") {
    if (isObject(schema)) visit(schema);
    return;
  }
  visit(schema);
  for (const key of [
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "if",
    "then",
    "else",
  ]) {
    forEachInlineSchema(schema[key], visit);
  }
  for (const key of ["allOf", "anyOf", "oneOf", "prefixItems"]) {
    if (Array.isArray(schema[key])) for (const member of schema[key] as unknown[]) forEachInlineSchema(member, visit);
  }
  for (const key of ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]) {
    if (isObject(schema[key])) for (const member of Object.values(schema[key] as Json)) forEachInlineSchema(member, visit);
  }
}

/** The properties of a schema's inline tree that are optional but have a default. */
function defaultedOptionalProperties(schema: unknown): Json[] {
  const found: Json[] = [];
  forEachInlineSchema(schema, (node) => {
    if (!isObject(node.properties)) return;
    const required = Array.isArray(node.required) ? (node.required as unknown[]) : [];
    for (const [key, property] of Object.entries(node.properties as Json)) {
      if (isObject(property) && property.default !== undefined && !required.includes(key)) found.push(property);
    }
  });
  return found;
}

function rewriteRefs(node: unknown, replace: (ref: string) => string | undefined): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteRefs(item, replace);
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string") {
      const replacement = replace(value);
      if (replacement) node.$ref = replacement;
    } else if (key === "discriminator" && isObject(value) && isObject(value.mapping)) {
      for (const [tag, target] of Object.entries(value.mapping)) {
        const replacement = typeof target === "string" ? replace(target) : undefined;
        if (replacement) (value.mapping as Json)[tag] = replacement;
      }
    } else if (key !== "example" && key !== "examples" && key !== "default" && key !== "const" && key !== "enum") {
      rewriteRefs(value, replace);
    }
  }
}

/** Marks (and where needed twins) the request-side schemas of `document`, in place. */
export function relaxRequestBodies(document: OpenAPI3): LenientStats {
  const schemas = (document.components?.schemas ?? {}) as Record<string, unknown>;
  const requestRoots: Json[] = [];
  const otherRoots: unknown[] = [];
  for (const item of Object.values(document.paths ?? {})) {
    if (!isObject(item)) continue;
    for (const [key, value] of Object.entries(item)) {
      if (!isHttpMethod(key) || !isObject(value)) {
        otherRoots.push(value);
        continue;
      }
      for (const [part, content] of Object.entries(value)) {
        if (part === "requestBody" && isObject(content)) requestRoots.push(content);
        else otherRoots.push(content);
      }
    }
  }
  otherRoots.push(document.webhooks);

  const toSchemaNames = (refs: Set<string>) =>
    new Set([...refs].map(schemaName).filter((name): name is string => name !== undefined && name in schemas));
  const requestSide = toSchemaNames(reachable(document, requestRoots));
  const otherSide = toSchemaNames(reachable(document, otherRoots));

  // A shared schema needs a twin when it has a defaulted optional property or refers to one that does.
  const shared = [...requestSide].filter((name) => otherSide.has(name)).sort();
  const refsOf = new Map<string, string[]>();
  for (const name of shared) {
    const refs: string[] = [];
    collectRefs(schemas[name], refs);
    refsOf.set(
      name,
      refs.map(schemaName).filter((ref): ref is string => ref !== undefined),
    );
  }
  const needsTwin = new Set(shared.filter((name) => defaultedOptionalProperties(schemas[name]).length > 0));
  for (let changed = true; changed;) {
    changed = false;
    for (const name of shared) {
      if (!needsTwin.has(name) && refsOf.get(name)!.some((ref) => needsTwin.has(ref))) {
        needsTwin.add(name);
        changed = true;
      }
    }
  }

  const twinNames = new Map<string, string>();
  for (const name of [...needsTwin].sort()) {
    let twin = `${name}-Input`;
    for (let n = 2; twin in schemas || [...twinNames.values()].includes(twin); n += 1) twin = `${name}-Input${n}`;
    twinNames.set(name, twin);
  }
  const toTwin = (ref: string): string | undefined => {
    const name = schemaName(ref);
    const twin = name === undefined ? undefined : twinNames.get(name);
    return twin === undefined ? undefined : schemaRef(twin);
  };

  let properties = 0;
  const mark = (schema: unknown) => {
    for (const property of defaultedOptionalProperties(schema)) {
      property[LENIENT_MARK] = true;
      properties += 1;
    }
  };

  for (const [name, twin] of twinNames) {
    const copy = structuredClone(schemas[name]);
    rewriteRefs(copy, toTwin);
    mark(copy);
    schemas[twin] = copy;
  }
  let relaxedInPlace = 0;
  for (const name of [...requestSide].sort()) {
    if (otherSide.has(name)) continue;
    rewriteRefs(schemas[name], toTwin);
    const before = properties;
    mark(schemas[name]);
    if (properties > before) relaxedInPlace += 1;
  }
  for (const root of requestRoots) rewriteRefs(root, toTwin);
  for (const ref of reachable(document, requestRoots)) {
    if (ref.startsWith("#/components/requestBodies/")) rewriteRefs(resolveLocalPointer(document, ref), toTwin);
  }
  return { relaxedInPlace, twins: twinNames.size, properties };
}

/** The `transformProperty` hook that turns the marks into `?`. */
export const transformProperty: NonNullable<OpenAPITSOptions["transformProperty"]> = (property, schema: SchemaObject) => {
  if (!(schema as Json)[LENIENT_MARK] || property.questionToken) return undefined;
  return ts.factory.updatePropertySignature(
    property,
    property.modifiers,
    property.name,
    ts.factory.createToken(ts.SyntaxKind.QuestionToken),
    property.type,
  );
};
