// A spec-faithful server on 127.0.0.1: it accepts a request only when it is written the way the spec
// says, and records what it decoded so a test can check the values round-trip.
//
//   routing             route.ts: method + raw path + the query a path key fixes (`/tags#operation=untag`)
//   parameters          decode-parameters.ts: strict style/explode decoding of path, query, headers, cookies
//   body                decode-body.ts: Content-Type must be one of the spec's, bytes decoded as that type
//   schemas, required   openapi-backend's compiled validators, run on the decoded values
//
// A request that breaks any of these gets 400 with `{ problems: [...] }`; others get the operation's
// handler's answer or a default one (openapi-backend's schema mock for JSON, a few bytes otherwise).
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Readable } from "node:stream";
import addFormats from "ajv-formats";
import { OpenAPIBackend } from "openapi-backend";
import { decodeBody, forValidation, isJsonMediaType, type DecodedBody, type MediaTypeObject } from "./decode-body.js";
import {
  coerce,
  decodeCookies,
  decodeHeaders,
  decodePathValue,
  decodeQuery,
  parseQuery,
  schemaOf,
  shapeOf,
  type ParameterObject,
} from "./decode-parameters.js";
import { Router } from "./route.js";
import { HTTP_METHODS, syntheticSpec, type JsonObject, type Method, type SpecOperation } from "./spec-operations.js";

export interface DecodedRequest {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  /** By lower-case name; only the spec's header parameters. */
  header: Record<string, unknown>;
  cookie: Record<string, unknown>;
  body?: DecodedBody;
}

export interface WireRecord {
  method: string;
  /** The request target as received (path and query, still encoded). */
  url: string;
  /** The operation matched: its operationId, or `METHOD pathKey`. */
  operation?: string;
  accepted: boolean;
  status: number;
  /** Why it was rejected, one reason per problem; empty when accepted. */
  problems: string[];
  decoded?: DecodedRequest;
  /**
   * When the request fits several operations the wire cannot tell apart (route.ts, `alternatives`): how
   * each of them decoded it, by key. `operation` is the first that accepted it (or the first).
   */
  alternatives?: Record<string, { problems: string[]; decoded: DecodedRequest }>;
}

export interface WireResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects as JSON; strings as text/plain unless `headers` says otherwise; bytes; or chunks as they are produced. */
  body?: unknown;
  /** Streams these chunks (with `headers["content-length"]` if you know it). */
  chunks?: () => AsyncIterable<Uint8Array>;
}

export type WireHandler = (request: DecodedRequest, operation: SpecOperation) => WireResponse | undefined | Promise<WireResponse | undefined>;

export interface FaithfulServerOptions {
  /** A JSON spec file or the parsed (bundled: local refs only) spec. */
  spec: string | object;
  /** By operation key (operationId, or `METHOD pathKey`). */
  handlers?: Record<string, WireHandler>;
  /** For every operation without a handler, before the default answer. */
  fallback?: WireHandler;
  /** Request bodies above this are refused with 413 (default 64 MiB). */
  maxBodyBytes?: number;
}

/** An operation as the server checks it: its dereferenced parameters and request media types. */
export interface OperationShape {
  operation: SpecOperation;
  /** Per request media type (one entry without a body). */
  parameters: ParameterObject[];
  content: Record<string, MediaTypeObject | undefined>;
}

export interface FaithfulServer {
  url: string;
  records: WireRecord[];
  operations: readonly SpecOperation[];
  /** The dereferenced parameters and media types of an operation (by key), e.g. to synthesize a call. */
  shape(operation: string): OperationShape | undefined;
  /**
   * The schema problems of decoded values (what a request would decode to) for an operation and one of
   * its media types (`undefined`: the first, or none): whether synthesized arguments are valid at all.
   */
  schemaProblems(operation: string, mediaType: string | undefined, values: Omit<DecodedRequest, "body"> & { body?: unknown }): string[];
  /** The last record of an operation. */
  last(operation: string): WireRecord | undefined;
  close(): Promise<void>;
}

interface PreparedOperation {
  operation: SpecOperation;
  /** Per body media type (one entry without a body): the dereferenced synthetic operation. */
  variants: Array<{ id: string; parameters: ParameterObject[]; requestBody?: { content: Record<string, MediaTypeObject | undefined> } }>;
  /** The spec's request media types with their dereferenced media type objects. */
  content: Record<string, MediaTypeObject | undefined>;
  responses: JsonObject;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parameters after dereferencing, one per `in` + name (operation-level overrides path-level). */
function uniqueParameters(list: unknown): ParameterObject[] {
  const byKey = new Map<string, ParameterObject>();
  for (const parameter of Array.isArray(list) ? list : []) {
    if (!isObject(parameter) || typeof parameter.name !== "string" || typeof parameter.in !== "string") continue;
    const name = parameter.in === "header" ? parameter.name.toLowerCase() : parameter.name;
    byKey.set(`${parameter.in}:${name}`, parameter as unknown as ParameterObject);
  }
  return [...byKey.values()];
}

async function createBackend(definition: JsonObject): Promise<OpenAPIBackend> {
  const backend = new OpenAPIBackend({
    definition: definition as never,
    quick: true,
    strict: true,
    validate: true,
    ajvOpts: { strict: false, logger: false },
    customizeAjv: (ajv) => {
      addFormats.default(ajv);
      for (const format of ["binary", "byte", "path", "time-delta", "int32", "int64", "float", "double", "password"]) ajv.addFormat(format, true);
      return ajv;
    },
  });
  try {
    await backend.init();
  } catch (error) {
    throw new Error(`openapi-backend cannot load the spec: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  return backend;
}

/** What the operations look like once openapi-backend has dereferenced them. */
function prepare(backend: OpenAPIBackend, operations: readonly SpecOperation[]): Map<SpecOperation, PreparedOperation> {
  const paths = (backend.definition as unknown as JsonObject).paths as Record<string, Record<string, JsonObject>>;
  const prepared = new Map<SpecOperation, PreparedOperation>();
  for (const operation of operations) {
    const content: Record<string, MediaTypeObject | undefined> = {};
    const variants = operation.syntheticPaths.map((syntheticPath, j) => {
      const synthetic = paths[syntheticPath]![operation.method]!;
      const requestBody = isObject(synthetic.requestBody)
        ? (synthetic.requestBody as { content: Record<string, MediaTypeObject | undefined> })
        : undefined;
      const mediaType = operation.bodyMediaTypes[j];
      if (mediaType !== undefined) content[mediaType] = requestBody?.content["application/json"];
      return { id: operation.validatorIds[j]!, parameters: uniqueParameters(synthetic.parameters), requestBody };
    });
    const first = paths[operation.syntheticPaths[0]!]![operation.method]!;
    prepared.set(operation, { operation, variants, content, responses: isObject(first.responses) ? first.responses : {} });
  }
  return prepared;
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | "too large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve("too large");
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function ajvProblems(errors: Array<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>): string[] {
  return errors.map((error) => {
    const where = (error.instancePath ?? "").replace(/^\//, "").replace(/\//g, ".") || "request";
    const extra =
      error.params?.additionalProperty !== undefined
        ? ` (${JSON.stringify(error.params.additionalProperty)})`
        : error.params?.allowedValues !== undefined
          ? ` (${JSON.stringify(error.params.allowedValues)})`
          : "";
    return `schema: ${where} ${error.message ?? "is invalid"}${extra}`;
  });
}

/** The answer the spec describes for the first 2xx response, when the test gives none. */
function defaultAnswer(backend: OpenAPIBackend, prepared: PreparedOperation): WireResponse {
  const statuses = Object.keys(prepared.responses)
    .filter((status) => /^2(\d\d|xx)$/i.test(status))
    .sort();
  const key = statuses[0] ?? (prepared.responses.default !== undefined ? "default" : undefined);
  const status = key !== undefined && /^\d+$/.test(key) ? Number(key) : 200;
  const response = key === undefined ? undefined : prepared.responses[key];
  const content = isObject(response) && isObject(response.content) ? Object.keys(response.content) : [];
  if (status === 204 || status === 205 || content.length === 0) return { status: content.length === 0 && status === 200 ? 204 : status };
  const mediaType = content.find(isJsonMediaType) ?? content[0]!;
  // A wildcard (`*/*`) with a structured schema is what real servers answer with JSON.
  const schema = ((response as JsonObject).content as Record<string, { schema?: unknown } | undefined>)[mediaType]?.schema;
  const structured = mediaType.includes("*") && shapeOf(schema) !== "primitive";
  const headerType = structured ? "application/json" : mediaType.includes("*") ? "application/octet-stream" : mediaType;
  if (isJsonMediaType(mediaType) || structured) {
    let mock: unknown = {};
    try {
      mock = backend.mockResponseForOperation(prepared.variants[0]!.id, {
        code: key !== undefined && key !== "default" ? Number(key) || undefined : undefined,
        mediaType,
      } as never).mock;
    } catch {
      // a schema the mock generator cannot follow: any JSON will do for the client
    }
    return { status, headers: { "content-type": headerType }, body: JSON.stringify(mock ?? {}) };
  }
  if (mediaType.startsWith("text/")) return { status, headers: { "content-type": headerType }, body: "mock" };
  return { status, headers: { "content-type": headerType }, body: new Uint8Array([0, 1, 2, 3]) };
}

function send(res: http.ServerResponse, answer: WireResponse): void {
  const headers: Record<string, string> = { ...answer.headers };
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
  if (answer.chunks) {
    res.writeHead(answer.status, headers);
    Readable.from(answer.chunks())
      .on("error", () => res.destroy())
      .pipe(res);
    return;
  }
  let payload: string | Uint8Array | undefined;
  if (answer.body !== undefined && answer.status !== 204) {
    if (typeof answer.body === "string") {
      payload = answer.body;
      if (!hasType) headers["content-type"] = "text/plain; charset=utf-8";
    } else if (answer.body instanceof Uint8Array) {
      payload = answer.body;
      if (!hasType) headers["content-type"] = "application/octet-stream";
    } else {
      payload = JSON.stringify(answer.body);
      if (!hasType) headers["content-type"] = "application/json";
    }
  }
  if (payload !== undefined) headers["content-length"] = String(typeof payload === "string" ? Buffer.byteLength(payload) : payload.byteLength);
  res.writeHead(answer.status, headers);
  res.end(payload);
}

function loadSpec(spec: string | object): JsonObject {
  return typeof spec === "string" ? (JSON.parse(readFileSync(spec, "utf8")) as JsonObject) : (structuredClone(spec) as JsonObject);
}

/** Runs openapi-backend's compiled validators of one synthetic operation on decoded values. */
function validateValues(backend: OpenAPIBackend, id: string, input: JsonObject, withBody: boolean): string[] {
  const problems: string[] = [];
  for (const validate of backend.validator.getRequestValidatorsForOperation(id) ?? []) {
    // Without a decoded body the body validator would only repeat "required": decode-body said why.
    const isBodyValidator = "requestBody" in (((validate.schema as JsonObject | undefined)?.properties as JsonObject | undefined) ?? {});
    if (isBodyValidator && !withBody) continue;
    validate(input);
    if (validate.errors) problems.push(...ajvProblems(validate.errors));
  }
  return problems;
}

/** Decodes and validates one request against one operation; its problems go to `problems`. */
function check(
  prepared: PreparedOperation,
  backend: OpenAPIBackend,
  req: http.IncomingMessage,
  route: { pathValues: Record<string, string> },
  rawQuery: string | undefined,
  bytes: Buffer,
  problems: string[],
): DecodedRequest {
  const { operation } = prepared;
  const pairs = parseQuery(rawQuery, problems);
  // The pairs the path key fixes are the operation's, not parameters.
  for (const fixed of operation.fixedQuery) {
    const pair = pairs.find((candidate) => !candidate.claimed && candidate.key === fixed.name);
    if (pair) pair.claimed = true;
  }
  const contentType = req.headers["content-type"];
  const { body, index, validationValue } = decodeBody(
    { mediaTypes: operation.bodyMediaTypes, content: prepared.content, required: operation.bodyRequired },
    contentType,
    bytes,
    problems,
  );
  const variant = prepared.variants[Math.max(index, 0)]!;
  const parameters = variant.parameters;
  const path: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(route.pathValues)) {
    const parameter = parameters.find((candidate) => candidate.in === "path" && candidate.name === name);
    path[name] = decodePathValue(parameter, name, raw, problems);
  }
  const decoded: DecodedRequest = {
    path,
    query: decodeQuery(parameters, pairs, problems),
    header: decodeHeaders(parameters, req.headersDistinct, problems),
    cookie: decodeCookies(parameters, req.headersDistinct.cookie ?? [], problems),
    body,
  };
  for (const location of ["path", "query", "header", "cookie"] as const) {
    const values = decoded[location];
    for (const name of Object.keys(values)) {
      const parameter = parameters.find(
        (candidate) => candidate.in === location && (location === "header" ? candidate.name.toLowerCase() === name : candidate.name === name),
      );
      if (parameter) values[name] = coerce(values[name], schemaOf(parameter));
    }
  }
  // openapi-backend's compiled schemas (required parameters, types, formats, enums, the body) on the
  // decoded values. It coerces in place: give it copies, so the record keeps what was decoded.
  const input: JsonObject = structuredClone({ path: decoded.path, query: decoded.query, header: decoded.header, cookie: decoded.cookie });
  const validateBody = body !== undefined && validationValue !== undefined;
  if (validateBody) input.requestBody = structuredClone(validationValue);
  problems.push(...validateValues(backend, variant.id, input, validateBody));
  return decoded;
}

export async function startFaithfulServer(options: FaithfulServerOptions): Promise<FaithfulServer> {
  const { operations, definition } = syntheticSpec(loadSpec(options.spec));
  const backend = await createBackend(definition);
  const prepared = prepare(backend, operations);
  const router = new Router(operations);
  const handlers = new Map(Object.entries(options.handlers ?? {}));
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const records: WireRecord[] = [];
  const sockets = new Set<Socket>();

  async function answer(req: http.IncomingMessage, record: WireRecord): Promise<WireResponse> {
    const target = req.url ?? "/";
    const queryAt = target.indexOf("?");
    const rawPath = queryAt < 0 ? target : target.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? undefined : target.slice(queryAt + 1);
    const bytes = await readBody(req, maxBodyBytes);
    if (bytes === "too large") {
      record.problems.push(`the request body is larger than this server's ${maxBodyBytes} bytes`);
      return { status: 413, body: { problems: record.problems } };
    }
    const method = (req.method ?? "GET").toLowerCase() as Method;
    if (!(HTTP_METHODS as readonly string[]).includes(method)) {
      record.problems.push(`method ${req.method} is not an OpenAPI operation method`);
      return { status: 405, body: { problems: record.problems } };
    }
    const route = router.match(method, rawPath, parseQuery(rawQuery, []));
    if ("problem" in route) {
      record.problems.push(route.problem);
      return { status: route.status, body: { problems: record.problems } };
    }
    const candidates = [{ operation: route.operation, pathValues: route.pathValues }, ...route.alternatives];
    const checked = candidates.map((candidate) => {
      const problems: string[] = [];
      const decoded = check(prepared.get(candidate.operation)!, backend, req, candidate, rawQuery, bytes, problems);
      return { candidate, problems, decoded };
    });
    if (checked.length > 1)
      record.alternatives = Object.fromEntries(checked.map(({ candidate, problems, decoded }) => [candidate.operation.key, { problems, decoded }]));
    const chosen = checked.find(({ problems }) => problems.length === 0) ?? checked[0]!;
    record.operation = chosen.candidate.operation.key;
    record.decoded = chosen.decoded;
    record.problems.push(...chosen.problems);
    if (record.problems.length > 0) return { status: 400, body: { operation: record.operation, problems: record.problems } };
    record.accepted = true;
    const handler = handlers.get(chosen.candidate.operation.key) ?? options.fallback;
    return (await handler?.(record.decoded, chosen.candidate.operation)) ?? defaultAnswer(backend, prepared.get(chosen.candidate.operation)!);
  }

  const server = http.createServer((req, res) => {
    const record: WireRecord = { method: req.method ?? "", url: req.url ?? "", accepted: false, status: 0, problems: [] };
    records.push(record);
    answer(req, record).then(
      (result) => {
        record.status = result.status;
        if (!res.destroyed) send(res, result);
      },
      (error: unknown) => {
        record.accepted = false;
        record.status = 500;
        record.problems.push(`the faithful server failed: ${(error as Error)?.message ?? String(error)}`);
        if (!res.headersSent) send(res, { status: 500, body: { problems: record.problems } });
        else res.destroy();
      },
    );
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const byKey = new Map(operations.map((operation) => [operation.key, operation]));
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    operations,
    shape(key) {
      const operation = byKey.get(key);
      const found = operation && prepared.get(operation);
      return found && { operation, parameters: found.variants[0]!.parameters, content: found.content };
    },
    schemaProblems(key, mediaType, values) {
      const operation = byKey.get(key);
      const found = operation && prepared.get(operation);
      if (!operation || !found) return [`no operation ${key}`];
      const index = mediaType === undefined ? 0 : operation.bodyMediaTypes.indexOf(mediaType);
      if (index < 0) return [`${key} takes no ${mediaType} body`];
      const input: JsonObject = forValidation({ path: values.path, query: values.query, header: values.header, cookie: values.cookie }) as JsonObject;
      if (values.body !== undefined) input.requestBody = forValidation(values.body);
      return validateValues(backend, found.variants[index]!.id, input, values.body !== undefined);
    },
    last: (operation) => [...records].reverse().find((record) => record.operation === operation),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
