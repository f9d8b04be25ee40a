// The operations of a spec as the faithful server sees them: each path key split into the path template
// and the query it fixes (`/tags#operation=untag`, `/{bucket}?acl`), and a synthetic definition for
// openapi-backend with one operation per (operation, request media type), so that it compiles a body
// validator for every media type and never has to route (path keys with `#`/`?`, or two keys that are one
// template, would confuse its router). Routing and style decoding are ours (route.ts, decode-*.ts).

import { HTTP_METHODS, type HttpMethod } from "../../codegen/http-methods.js";

export { HTTP_METHODS };
export type Method = HttpMethod;

export type JsonObject = Record<string, unknown>;

const PARAMETER_LOCATIONS = new Set(["path", "query", "header", "cookie"]);
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);

export interface SpecOperation {
  /** The spec's operationId, or `METHOD pathKey` when it has none: what records and handlers use. */
  key: string;
  method: Method;
  /** The spec's path key, e.g. `/tags#operation=untag`. */
  pathKey: string;
  /** The path key without its fixed query: `/tags`, `/{bucket}`. */
  template: string;
  /** The fixed query's `name[=value]` pairs, as written in the key (percent-decoded). */
  fixedQuery: Array<{ name: string; value: string | undefined }>;
  /** Request media types, in the spec's order (empty without a request body). */
  bodyMediaTypes: string[];
  bodyRequired: boolean;
  /** openapi-backend operationId per entry of `bodyMediaTypes` (one entry when there is no body)... */
  validatorIds: string[];
  /** ...and its path in the synthetic definition. */
  syntheticPaths: string[];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Follows local `$ref`s (`#/components/...`), at most 32 hops; undefined when one does not resolve. */
export function resolveLocal(document: JsonObject, value: unknown): unknown {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops++) {
    if (hops === 32 || !current.$ref.startsWith("#")) return undefined;
    let node: unknown = document;
    for (const raw of current.$ref.slice(1).split("/").filter(Boolean)) {
      const segment = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      node = isObject(node) || Array.isArray(node) ? (node as JsonObject)[segment] : undefined;
    }
    current = node;
  }
  return current;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `/tags#operation=untag` -> `/tags` + `operation=untag`; `/{bucket}?acl` -> `/{bucket}` + `acl`. */
export function splitPathKey(pathKey: string): { template: string; fixedQuery: SpecOperation["fixedQuery"] } {
  const at = pathKey.search(/[?#]/);
  if (at < 0) return { template: pathKey, fixedQuery: [] };
  const fixedQuery = pathKey
    .slice(at + 1)
    .split(/[&#?]/)
    .filter((pair) => pair !== "")
    .map((pair) => {
      const equals = pair.indexOf("=");
      return equals < 0
        ? { name: safeDecode(pair), value: undefined }
        : { name: safeDecode(pair.slice(0, equals)), value: safeDecode(pair.slice(equals + 1)) };
    });
  return { template: pathKey.slice(0, at), fixedQuery };
}

export interface SyntheticSpec {
  operations: SpecOperation[];
  /** The definition to give openapi-backend: `paths["/__wire/<i>/<j>"][method]` is operation i with media type j. */
  definition: JsonObject;
}

/** Every operation of `document` (a bundled OpenAPI 3.x object: only local refs). Bounded by `maxOperations`. */
export function syntheticSpec(document: JsonObject, maxOperations = 5000): SyntheticSpec {
  const operations: SpecOperation[] = [];
  const paths: JsonObject = {};
  const rawPaths = isObject(document.paths) ? document.paths : {};
  let index = 0;
  for (const [pathKey, rawItem] of Object.entries(rawPaths)) {
    const item = resolveLocal(document, rawItem);
    if (!isObject(item)) continue;
    const itemParameters = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of HTTP_METHODS) {
      const operation = resolveLocal(document, item[method]);
      if (!isObject(operation) || operations.length >= maxOperations) continue;
      // Resolved here so that a parameter openapi-backend cannot compile (no name, an `in` OpenAPI does not
      // have) is left out rather than failing every request of the operation.
      const parameters = [...itemParameters, ...(Array.isArray(operation.parameters) ? operation.parameters : [])]
        .map((parameter) => resolveLocal(document, parameter))
        .filter(
          (parameter): parameter is JsonObject =>
            isObject(parameter) && typeof parameter.name === "string" && PARAMETER_LOCATIONS.has(parameter.in as string),
        )
        // OpenAPI: header parameters named Accept, Content-Type or Authorization "SHALL be ignored".
        .filter((parameter) => parameter.in !== "header" || !IGNORED_HEADERS.has((parameter.name as string).toLowerCase()));
      const requestBody = resolveLocal(document, operation.requestBody);
      const content = isObject(requestBody) && isObject(requestBody.content) ? requestBody.content : {};
      const bodyMediaTypes = Object.keys(content);
      const variants = bodyMediaTypes.length === 0 ? [undefined] : bodyMediaTypes;
      const syntheticPaths = variants.map((_mediaType, j) => `/__wire/${index}/${j}`);
      const validatorIds = variants.map((mediaType, j) => {
        const id = `wire${index}_${j}`;
        // openapi-backend compiles the schema of an `application/json` body: every media type goes there.
        const synthetic: JsonObject = { operationId: id, parameters, responses: operation.responses ?? { 200: { description: "" } } };
        if (mediaType !== undefined)
          synthetic.requestBody = { required: (requestBody as JsonObject).required === true, content: { "application/json": content[mediaType] } };
        paths[syntheticPaths[j]!] = { [method]: synthetic };
        return id;
      });
      const { template, fixedQuery } = splitPathKey(pathKey);
      operations.push({
        key: typeof operation.operationId === "string" && operation.operationId !== "" ? operation.operationId : `${method.toUpperCase()} ${pathKey}`,
        method,
        pathKey,
        template,
        fixedQuery,
        bodyMediaTypes,
        bodyRequired: isObject(requestBody) && requestBody.required === true,
        validatorIds,
        syntheticPaths,
      });
      index++;
    }
  }
  const definition: JsonObject = {
    openapi: typeof document.openapi === "string" ? document.openapi : "3.1.0",
    info: { title: "wire", version: "0" },
    // The spec's own paths stay when `$ref`s point into them (`#/paths/~1pets/post/requestBody/...`); else
    // they are left out, so that a broken path item the operations do not use cannot fail the dereferencing.
    paths: JSON.stringify(rawPaths).includes('"#/paths/') ? { ...rawPaths, ...paths } : paths,
    components: isObject(document.components) ? document.components : {},
  };
  return { operations, definition };
}
