// Model the operations of a spec: what each generated method is called, which arguments it takes in
// which order, which parts of the generated `paths` type its signature indexes into, and how its call
// goes on the wire where the spec says more than OpenAPI's defaults (wire-model.ts).
import type {
  MediaTypeObject,
  OpenAPI3,
  OperationObject,
  ParameterObject,
  PathItemObject,
  ReferenceObject,
  RequestBodyObject,
  ResponseObject,
} from "openapi-typescript";
import { CodegenError } from "./errors.js";
import { HTTP_METHODS, type HttpMethod } from "./http-methods.js";
import { encodePointerSegment, resolveLocalPointer } from "./json-pointer.js";
import { preferredMediaType } from "./media-types.js";
import { camelCase, CLASS_MEMBERS, pascalCase, RESERVED_WORDS } from "./names.js";
import { plainParameterType, type PlainType } from "./plain-types.js";
import {
  fixedQuery,
  isBinaryBody,
  isIgnoredHeader,
  parametersWire,
  requestBodyWire,
  responseWire,
  splitPathKey,
  type OperationWire,
} from "./wire-model.js";

export interface PathParameter {
  /** The name in the spec and in `paths[...]["parameters"]["path"]`. */
  name: string;
  /** The argument's name in the generated method. */
  argument: string;
  description?: string;
  /**
   * False for a placeholder of the path that no parameter declares (`/things/{id}` without an `id`
   * parameter): openapi-typescript's `paths` has no type for it, so the argument is `string | number`.
   */
  declared: boolean;
  /** The type `paths` gives it, when that is a plain `string`, `number` or `boolean`: the signature says it. */
  plainType?: PlainType;
}

export interface SuccessResponse {
  /** The key in openapi-typescript's `responses`: `200`, `"2XX"`, `"default"`. */
  status: string;
  /** The media type whose schema is returned; undefined when the response has no body (204). */
  mediaType?: string;
  /** That media type's object (schema, encoding), for the wire. */
  media?: MediaTypeObject;
}

/** The header or cookie parameters of an operation, for the method's `options`. */
export interface ParameterGroup {
  present: boolean;
  required: boolean;
}

export interface OperationModel {
  method: HttpMethod;
  /** The spec's path key, which the generated `paths` type is indexed by: `/tags#operation=untag`. */
  path: string;
  /** The path the request goes to, before any fixed query: `/tags`. */
  template: string;
  operationId?: string;
  /** The route or operation name the method name comes from, before collisions are resolved. */
  baseName: string;
  methodName: string;
  summary?: string;
  description?: string;
  deprecated: boolean;
  pathParameters: PathParameter[];
  /** `binary`: raw bytes (`application/octet-stream`, `image/png`), taken as a Blob, a Uint8Array or a stream. */
  body?: { mediaType: string; required: boolean; binary: boolean };
  query: ParameterGroup;
  /**
   * `ignored`: declared header parameters OpenAPI says to ignore (`Accept`, `Content-Type`, `Authorization`):
   * not typed, never required (the client sets them).
   */
  header: ParameterGroup & { ignored: string[] };
  cookie: ParameterGroup;
  responses: SuccessResponse[];
  /** How the operation goes on the wire, where that is not OpenAPI's default (often `{}`). */
  wire: OperationWire;
}

function isReference(value: unknown): value is ReferenceObject {
  return typeof value === "object" && value !== null && typeof (value as ReferenceObject).$ref === "string";
}

/** Follows local `$ref`s (the document is bundled, so all are local). */
export function deref<T>(document: OpenAPI3, value: T | ReferenceObject, seen = new Set<string>()): T {
  let current: unknown = value;
  while (isReference(current)) {
    const ref = current.$ref;
    if (seen.has(ref)) throw new CodegenError(`circular $ref "${ref}"`, ref);
    seen.add(ref);
    const node = resolveLocalPointer(document, ref);
    if (node === undefined) throw new CodegenError(`cannot resolve $ref "${ref}"`, ref);
    current = node;
  }
  return current as T;
}

/** The HTTP method + path spelling of FastAPI: `re.sub(r"\W", "_", route_name + path) + "_" + method`. */
function fastApiRouteName(operationId: string, path: string, method: string): string | undefined {
  const suffix = `${path.replace(/\W/g, "_")}_${method}`;
  if (!operationId.endsWith(suffix) || operationId.length === suffix.length) return undefined;
  return operationId.slice(0, -suffix.length);
}

/** `get /pets/{petId}/toys` -> `getPetsByPetIdToys`; `get /{Bucket}?acl` -> `getByBucketAcl`. */
function nameFromPath(method: string, path: string): string {
  const { template, pairs } = splitPathKey(path);
  const parts = template
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      const parameter = /^\{(.+)\}$/.exec(segment);
      return parameter ? `By ${parameter[1]}` : segment;
    });
  return camelCase([method, ...parts, ...pairs.map(({ name, value }) => `${name} ${value ?? ""}`)].join(" ")) || method;
}

function baseName(operation: OperationObject, path: string, method: string): string {
  const id = operation.operationId;
  if (id) {
    const route = fastApiRouteName(id, path, method);
    const name = camelCase(route ?? id);
    if (name) return name;
  }
  return nameFromPath(method, path);
}

function safeMemberName(name: string): string {
  return RESERVED_WORDS.has(name) || CLASS_MEMBERS.has(name) ? `${name}Operation` : name;
}

function safeArgumentName(name: string, taken: Set<string>): string {
  let argument = camelCase(name) || "param";
  if (RESERVED_WORDS.has(argument) || argument === "body" || argument === "options") argument = `${argument}Param`;
  while (taken.has(argument)) argument = `${argument}_`;
  taken.add(argument);
  return argument;
}

function staticSegments(path: string): string[] {
  return splitPathKey(path)
    .template.split("/")
    .filter((segment) => segment && !/^\{.*\}$/.test(segment));
}

/**
 * Two operations that would get the same name (FastAPI route names are unique per router, not per
 * app): the one with the shortest path keeps the name; the others get `In<FirstSegments>` from their
 * path (`createWorkQueue` for /work_queues/, `createWorkQueueInWorkPools` for
 * /work_pools/{work_pool_name}/queues). When that still clashes, the HTTP method is appended, then a number.
 */
function resolveCollisions(operations: OperationModel[]): void {
  const groups = new Map<string, OperationModel[]>();
  for (const operation of operations) {
    const name = safeMemberName(operation.baseName);
    groups.set(name, [...(groups.get(name) ?? []), operation]);
  }
  const taken = new Set<string>();
  for (const [name, group] of groups) if (group.length === 1) taken.add(name);

  for (const [name, group] of groups) {
    if (group.length === 1) {
      group[0]!.methodName = name;
      continue;
    }
    const sorted = [...group].sort((a, b) => staticSegments(a.path).length - staticSegments(b.path).length || compare(a, b));
    const shortest = staticSegments(sorted[0]!.path).length;
    const keeper = staticSegments(sorted[1]!.path).length > shortest && !taken.has(name) ? sorted[0] : undefined;
    if (keeper) {
      keeper.methodName = name;
      taken.add(name);
    }
    for (const operation of sorted) {
      if (operation === keeper) continue;
      const segments = staticSegments(operation.path);
      const candidates: string[] = [];
      for (let count = 1; count <= segments.length; count += 1) candidates.push(`${name}In${segments.slice(0, count).map(pascalCase).join("")}`);
      candidates.push(`${name}${pascalCase(operation.method)}`);
      let chosen = candidates.find((candidate) => !taken.has(candidate) && !groups.has(candidate));
      for (let n = 2; chosen === undefined; n += 1) if (!taken.has(`${name}${n}`) && !groups.has(`${name}${n}`)) chosen = `${name}${n}`;
      operation.methodName = chosen;
      taken.add(chosen);
    }
  }
}

function compare(a: OperationModel, b: OperationModel): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : HTTP_METHODS.indexOf(a.method) - HTTP_METHODS.indexOf(b.method);
}

/** 2xx responses in status order; `default` only when there is no 2xx. Bodies of `content`-less responses are void. */
function successResponses(document: OpenAPI3, operation: OperationObject): SuccessResponse[] {
  const responses = (operation.responses ?? {}) as Record<string, ResponseObject | ReferenceObject>;
  const keys = Object.keys(responses)
    .filter((status) => /^2(\d\d|XX)$/i.test(status))
    .sort();
  const chosen = keys.length > 0 ? keys : "default" in responses ? ["default"] : [];
  return chosen.map((status) => {
    const response = deref<ResponseObject>(document, responses[status]!);
    const content = response.content as Record<string, MediaTypeObject> | undefined;
    const mediaType = preferredMediaType(content);
    return {
      status: /^\d+$/.test(status) ? status : status.toUpperCase() === "2XX" ? "2XX" : status,
      mediaType,
      media: mediaType === undefined ? undefined : content![mediaType],
    };
  });
}

function collectParameters(document: OpenAPI3, item: PathItemObject, operation: OperationObject): ParameterObject[] {
  const byKey = new Map<string, ParameterObject>();
  for (const raw of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
    const parameter = deref<ParameterObject>(document, raw);
    byKey.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  return [...byKey.values()];
}

function placeholders(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
}

function operationPointer(path: string, method: string): string {
  return `#/paths/${encodePointerSegment(path)}/${method}`;
}

/**
 * OpenAPI requires operationIds to be unique, and openapi-typescript keys its `operations` type by them
 * (two would merge into one entry): refused, naming both operations.
 */
function checkUniqueOperationIds(operations: OperationModel[], displayName: string): void {
  const first = new Map<string, OperationModel>();
  for (const operation of operations) {
    if (operation.operationId === undefined) continue;
    const other = first.get(operation.operationId);
    if (!other) {
      first.set(operation.operationId, operation);
      continue;
    }
    throw new CodegenError(
      `every operation must have a unique \`operationId\`: ${JSON.stringify(operation.operationId)} is the operationId of ${other.method.toUpperCase()} ${other.path} (${operationPointer(other.path, other.method)}/operationId) and of ${operation.method.toUpperCase()} ${operation.path}`,
      `${displayName}${operationPointer(operation.path, operation.method)}/operationId`,
    );
  }
}

/**
 * Every operation of the spec, in path then method order, with its method name. `displayName` names
 * the spec in errors (a duplicate operationId).
 */
export function modelOperations(document: OpenAPI3, displayName = ""): OperationModel[] {
  const operations: OperationModel[] = [];
  for (const [path, rawItem] of Object.entries(document.paths ?? {})) {
    const item = deref<PathItemObject>(document, rawItem);
    for (const method of HTTP_METHODS) {
      const rawOperation = item[method];
      if (!rawOperation) continue;
      const operation = deref<OperationObject>(document, rawOperation);
      const parameters = collectParameters(document, item, operation);
      const { template, pairs } = splitPathKey(path);
      const fixed = fixedQuery(pairs);
      const pathByName = new Map(parameters.filter((parameter) => parameter.in === "path").map((parameter) => [parameter.name, parameter]));
      const taken = new Set<string>();
      const order = placeholders(template).filter((name, index, all) => all.indexOf(name) === index);
      for (const name of pathByName.keys()) if (!order.includes(name)) order.push(name);
      const pathParameters = order.map((name): PathParameter => {
        const declared = pathByName.get(name);
        const plainType = declared && plainParameterType(declared, (value) => deref(document, value));
        return {
          name,
          argument: safeArgumentName(name, taken),
          description: declared?.description,
          declared: declared !== undefined,
          ...(plainType ? { plainType } : {}),
        };
      });
      const group = (location: string, include: (parameter: ParameterObject) => boolean = () => true): ParameterGroup => {
        const found = parameters.filter((parameter) => parameter.in === location && include(parameter));
        return { present: found.length > 0, required: found.some((parameter) => parameter.required === true) };
      };
      const resolve = <T>(value: T | ReferenceObject): T => deref<T>(document, value);
      const requestBody = operation.requestBody ? deref<RequestBodyObject>(document, operation.requestBody) : undefined;
      const bodyContent = requestBody?.content as Record<string, MediaTypeObject | undefined> | undefined;
      const bodyMediaType = preferredMediaType(bodyContent);
      const responses = successResponses(document, operation);
      const firstContent = responses.find((response) => response.mediaType !== undefined);
      const response = responseWire(firstContent?.mediaType, firstContent?.media, resolve);
      const wire: OperationWire = {
        ...parametersWire(parameters),
        ...(fixed === undefined ? {} : { fixedQuery: fixed }),
        ...requestBodyWire(requestBody, bodyMediaType, resolve),
        ...(response === undefined ? {} : { response }),
      };
      operations.push({
        method,
        path,
        template,
        operationId: operation.operationId,
        baseName: baseName(operation, path, method),
        methodName: "",
        summary: operation.summary,
        description: operation.description,
        deprecated: operation.deprecated === true,
        pathParameters,
        body:
          requestBody && bodyMediaType
            ? {
                mediaType: bodyMediaType,
                required: requestBody.required === true,
                binary: isBinaryBody(bodyMediaType, bodyContent![bodyMediaType], resolve),
              }
            : undefined,
        query: group("query"),
        header: {
          ...group("header", (parameter) => !isIgnoredHeader(parameter.name)),
          ignored: parameters.filter((parameter) => parameter.in === "header" && isIgnoredHeader(parameter.name)).map((parameter) => parameter.name),
        },
        cookie: group("cookie"),
        responses,
        wire,
      });
    }
  }
  operations.sort(compare);
  checkUniqueOperationIds(operations, displayName);
  resolveCollisions(operations);
  return operations;
}
