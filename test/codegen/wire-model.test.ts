// The wire part of the model (issue 13): what modelOperations reads from small inline specs about how
// each operation goes on the wire (parameter styles, content-encoded parameters, fixed queries in path
// keys, request and response media types), and that OpenAPI's defaults leave no trace.
import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { modelOperations, type OperationModel } from "../../codegen/model.js";
import type { OperationWire } from "../../codegen/wire-model.js";
import type { OperationWire as RuntimeOperationWire } from "../../runtime/http/operation.js";

// Checked by `tsc -p tsconfig.json`: codegen's copy of the wire type and the runtime's have the same keys and
// each is assignable to the other, so what the generator emits is what the runtime reads.
const sameKeys: [keyof OperationWire] extends [keyof RuntimeOperationWire]
  ? [keyof RuntimeOperationWire] extends [keyof OperationWire]
    ? true
    : false
  : false = true;
const toRuntime = (wire: OperationWire): RuntimeOperationWire => wire;
const fromRuntime = (wire: RuntimeOperationWire): OperationWire => wire;
void [sameKeys, toRuntime, fromRuntime];

type Json = Record<string, unknown>;

const ok = { 200: { description: "ok", content: { "application/json": { schema: { type: "object" } } } } };

function document(paths: Json, components: Json = {}): OpenAPI3 {
  return { openapi: "3.1.0", info: { title: "t", version: "1" }, paths, components } as unknown as OpenAPI3;
}

/** One GET /things operation with these parameters: its model. */
function withParameters(parameters: Json[]): OperationModel {
  const [operation] = modelOperations(document({ "/things/{id}": { get: { operationId: "op", parameters, responses: ok } } }));
  return operation!;
}

const pathId = { name: "id", in: "path", required: true, schema: { type: "string" } };

describe("parameters: only what differs from the location's default", () => {
  const cases: Array<{ given: Json; want: OperationWire }> = [
    // query: form + explode by default
    { given: { name: "ids", in: "query", schema: { type: "array" } }, want: {} },
    { given: { name: "ids", in: "query", style: "form", explode: true }, want: {} },
    { given: { name: "ids", in: "query", style: "form", explode: false }, want: { query: { ids: { explode: false } } } },
    { given: { name: "ids", in: "query", explode: false }, want: { query: { ids: { explode: false } } } },
    { given: { name: "ids", in: "query", style: "spaceDelimited" }, want: { query: { ids: { style: "spaceDelimited" } } } },
    { given: { name: "ids", in: "query", style: "pipeDelimited", explode: false }, want: { query: { ids: { style: "pipeDelimited" } } } },
    {
      given: { name: "ids", in: "query", style: "pipeDelimited", explode: true },
      want: { query: { ids: { style: "pipeDelimited", explode: true } } },
    },
    { given: { name: "color", in: "query", style: "deepObject", explode: true }, want: { query: { color: { style: "deepObject", explode: true } } } },
    { given: { name: "next", in: "query", allowReserved: true }, want: { query: { next: { allowReserved: true } } } },
    { given: { name: "next", in: "query", allowReserved: false }, want: {} },
    {
      given: { name: "filter", in: "query", content: { "application/json": { schema: { type: "object" } } } },
      want: { query: { filter: { content: "application/json" } } },
    },
    // a style OpenAPI does not define for the location is ignored: the default is sent
    { given: { name: "ids", in: "query", style: "matrix" }, want: {} },
    { given: { name: "ids", in: "query", style: "commaDelimited" }, want: {} },
    // path: simple, explode false by default
    { given: { name: "id", in: "path", required: true, style: "simple" }, want: {} },
    { given: { name: "id", in: "path", required: true, style: "simple", explode: true }, want: { path: { id: { explode: true } } } },
    { given: { name: "id", in: "path", required: true, style: "label" }, want: { path: { id: { style: "label" } } } },
    { given: { name: "id", in: "path", required: true, style: "matrix", explode: true }, want: { path: { id: { style: "matrix", explode: true } } } },
    { given: { name: "id", in: "path", required: true, allowReserved: true }, want: {} },
    // header: simple, explode false
    { given: { name: "X-Ids", in: "header", style: "simple", explode: false }, want: {} },
    { given: { name: "X-Ids", in: "header", explode: true }, want: { header: { "X-Ids": { explode: true } } } },
    { given: { name: "X-Ids", in: "header", style: "form" }, want: {} },
    {
      given: { name: "X-Filter", in: "header", content: { "application/json": { schema: { type: "object" } } } },
      want: { header: { "X-Filter": { content: "application/json" } } },
    },
    // OpenAPI ignores these header parameters: the client sets them
    { given: { name: "Authorization", in: "header", explode: true }, want: {} },
    { given: { name: "content-type", in: "header", content: { "text/plain": {} } }, want: {} },
    // cookie: form, explode true
    { given: { name: "prefs", in: "cookie", style: "form" }, want: {} },
    { given: { name: "prefs", in: "cookie", explode: false }, want: { cookie: { prefs: { explode: false } } } },
    {
      given: { name: "prefs", in: "cookie", content: { "application/json": { schema: { type: "object" } } } },
      want: { cookie: { prefs: { content: "application/json" } } },
    },
  ];
  for (const { given, want } of cases) {
    it(`${given.in} ${JSON.stringify(given)}`, () => {
      const parameters = given.in === "path" ? [given] : [pathId, given];
      expect(withParameters(parameters).wire).toEqual(want);
    });
  }

  it("keeps every location and name, in location order, with `__proto__` as an own key", () => {
    const wire = withParameters([
      { name: "b", in: "query", explode: false },
      { name: "__proto__", in: "query", style: "pipeDelimited" },
      { name: "constructor", in: "cookie", explode: false },
      { ...pathId, style: "label" },
    ]).wire;
    expect(Object.keys(wire)).toEqual(["path", "query", "cookie"]);
    expect(Object.keys(wire.query!)).toEqual(["b", "__proto__"]);
    expect(Object.hasOwn(wire.query!, "__proto__")).toBe(true);
    expect(wire.query!["__proto__"]).toEqual({ style: "pipeDelimited" });
    expect(Object.getPrototypeOf(wire.query!)).toBe(null);
    expect(wire.cookie!["constructor"]).toEqual({ explode: false });
  });

  it("an operation's parameter overrides the path item's, also in the wire", () => {
    const [operation] = modelOperations(
      document({
        "/a": {
          parameters: [{ name: "ids", in: "query", explode: false }],
          get: { parameters: [{ name: "ids", in: "query", style: "pipeDelimited" }], responses: ok },
          post: { responses: ok },
        },
      }),
    );
    expect(operation!.wire).toEqual({ query: { ids: { style: "pipeDelimited" } } });
  });

  it("reads parameters through $ref", () => {
    const [operation] = modelOperations(
      document(
        { "/a": { get: { parameters: [{ $ref: "#/components/parameters/Ids" }], responses: ok } } },
        { parameters: { Ids: { name: "ids", in: "query", explode: false } } },
      ),
    );
    expect(operation!.wire).toEqual({ query: { ids: { explode: false } } });
  });

  it("types headers and cookies for the options: declared, required, and the ignored ones apart", () => {
    const operation = withParameters([
      pathId,
      { name: "X-Amz-Target", in: "header", required: true, schema: { type: "string" } },
      { name: "Authorization", in: "header", required: true, schema: { type: "string" } },
      { name: "session", in: "cookie", schema: { type: "string" } },
    ]);
    expect(operation.header).toEqual({ present: true, required: true, ignored: ["Authorization"] });
    expect(operation.cookie).toEqual({ present: true, required: false });
    expect(operation.query).toEqual({ present: false, required: false });
    const onlyIgnored = withParameters([pathId, { name: "Authorization", in: "header", required: true }]);
    expect(onlyIgnored.header).toEqual({ present: false, required: false, ignored: ["Authorization"] });
  });
});

describe("path keys with a fixed query", () => {
  const cases: Array<{ given: string; template: string; fixedQuery?: string; pathParameters: string[]; others?: Json[] }> = [
    { given: "/{Bucket}?list-type=2", template: "/{Bucket}", fixedQuery: "list-type=2", pathParameters: ["Bucket"] },
    { given: "/{Bucket}?acl", template: "/{Bucket}", fixedQuery: "acl", pathParameters: ["Bucket"] },
    { given: "/tags#operation=untag", template: "/tags", fixedQuery: "operation=untag", pathParameters: [] },
    {
      given: "/#X-Amz-Target=DynamoDB_20120810.BatchGetItem",
      template: "/",
      fixedQuery: "X-Amz-Target=DynamoDB_20120810.BatchGetItem",
      pathParameters: [],
    },
    {
      given: "/{Bucket}/{Key+}?uploads&x-id=CreateMultipartUpload",
      template: "/{Bucket}/{Key+}",
      fixedQuery: "uploads&x-id=CreateMultipartUpload",
      pathParameters: ["Bucket", "Key+"],
    },
    // encoded once: spaces and reserved characters encoded, an already-encoded value left as it is
    { given: "/a?name=hello world&path=a/b", template: "/a", fixedQuery: "name=hello%20world&path=a%2Fb", pathParameters: [] },
    { given: "/a?q=a%20b", template: "/a", fixedQuery: "q=a%20b", pathParameters: [] },
    // placeholders count in the template only; an empty fixed part is no query
    { given: "/a/{id}?x={y}", template: "/a/{id}", fixedQuery: "x=%7By%7D", pathParameters: ["id"] },
    { given: "/a?", template: "/a", pathParameters: [] },
    { given: "/plain/{id}", template: "/plain/{id}", pathParameters: ["id"] },
    // a pair naming a parameter the operation also declares (AWS's specs do) is still sent: the key says so
    {
      given: "/tags#operation=untag-resource",
      template: "/tags",
      fixedQuery: "operation=untag-resource",
      pathParameters: [],
      others: [{ name: "operation", in: "query", required: true, schema: { enum: ["untag-resource"] } }],
    },
    {
      given: "/#X-Amz-Target=AWSMigrationHub.ListCreatedArtifacts",
      template: "/",
      fixedQuery: "X-Amz-Target=AWSMigrationHub.ListCreatedArtifacts",
      pathParameters: [],
      others: [{ name: "X-Amz-Target", in: "header", required: true }],
    },
    {
      given: "/tags/{ARN}#tagKeys",
      template: "/tags/{ARN}",
      fixedQuery: "tagKeys",
      pathParameters: ["ARN"],
      others: [{ name: "tagKeys", in: "query", required: true, schema: { type: "array" } }],
    },
  ];
  for (const { given, template, fixedQuery, pathParameters, others = [] } of cases) {
    it(`${given}${others.length > 0 ? ` (declaring ${others.map((other) => `${other.in} ${other.name}`).join(", ")})` : ""}`, () => {
      const parameters = [...pathParameters.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })), ...others];
      const [operation] = modelOperations(document({ [given]: { get: { parameters, responses: ok } } }));
      expect(operation!.path).toBe(given);
      expect(operation!.template).toBe(template);
      expect(operation!.wire.fixedQuery).toBe(fixedQuery);
      expect(operation!.pathParameters.map((parameter) => parameter.name)).toEqual(pathParameters);
      expect(operation!.pathParameters.every((parameter) => parameter.declared)).toBe(true);
    });
  }

  it("no method is called `stream`: the streaming view of the methods has that name", () => {
    const [operation] = modelOperations(document({ "/logs": { get: { operationId: "stream", responses: ok } } }));
    expect(operation!.methodName).toBe("streamOperation");
  });

  it("two keys that differ only in the fixed query are two methods with readable names", () => {
    const bucket = [{ name: "Bucket", in: "path", required: true, schema: { type: "string" } }];
    const operations = modelOperations(
      document({
        "/tags#operation=tag": { post: { responses: ok } },
        "/tags#operation=untag": { post: { responses: ok } },
        "/{Bucket}": { get: { parameters: bucket, responses: ok } },
        "/{Bucket}?acl": { get: { parameters: bucket, responses: ok } },
        "/{Bucket}?list-type=2": { get: { parameters: bucket, responses: ok } },
      }),
    );
    expect(operations.map((operation) => [operation.methodName, operation.template, operation.wire.fixedQuery])).toEqual([
      ["postTagsOperationTag", "/tags", "operation=tag"],
      ["postTagsOperationUntag", "/tags", "operation=untag"],
      ["getByBucket", "/{Bucket}", undefined],
      ["getByBucketAcl", "/{Bucket}", "acl"],
      ["getByBucketListType2", "/{Bucket}", "list-type=2"],
    ]);
  });
});

describe("request bodies", () => {
  function body(content: Json, required = true): OperationModel {
    const [operation] = modelOperations(document({ "/a": { post: { requestBody: { required, content }, responses: ok } } }));
    return operation!;
  }
  const object = { schema: { type: "object" } };
  const bytes = { schema: { type: "string", format: "binary" } };
  const cases: Array<{ given: Json; mediaType: string; binary?: boolean; want: OperationWire }> = [
    { given: { "application/json": object }, mediaType: "application/json", want: {} },
    { given: { "application/json; charset=utf-8": object }, mediaType: "application/json; charset=utf-8", want: {} },
    { given: { "application/merge-patch+json": object }, mediaType: "application/merge-patch+json", want: { body: "application/merge-patch+json" } },
    { given: { "application/vnd.api+json": object }, mediaType: "application/vnd.api+json", want: { body: "application/vnd.api+json" } },
    {
      given: { "application/json-patch+json": { schema: { type: "array" } } },
      mediaType: "application/json-patch+json",
      want: { body: "application/json-patch+json" },
    },
    // several listed: application/json wins, then another JSON type, then the first listed
    { given: { "multipart/form-data": object, "application/json": object }, mediaType: "application/json", want: {} },
    {
      given: { "application/xml": object, "application/merge-patch+json": object },
      mediaType: "application/merge-patch+json",
      want: { body: "application/merge-patch+json" },
    },
    {
      given: { "application/x-www-form-urlencoded": object, "multipart/form-data": object },
      mediaType: "application/x-www-form-urlencoded",
      want: { body: "application/x-www-form-urlencoded" },
    },
    {
      given: {
        "multipart/form-data": {
          schema: { type: "object", properties: { file: { type: "string", format: "binary" }, meta: { type: "object" }, tags: { type: "array" } } },
          encoding: {
            file: { contentType: "image/png, image/jpeg", headers: { "X-Rate": { schema: { type: "integer" } } } },
            meta: { contentType: "application/json" },
            tags: { style: "form", explode: true },
          },
        },
      },
      mediaType: "multipart/form-data",
      want: {
        body: "multipart/form-data",
        bodyEncoding: { file: { contentType: "image/png, image/jpeg" }, meta: { contentType: "application/json" } },
      },
    },
    {
      given: {
        "application/x-www-form-urlencoded": {
          schema: { type: "object" },
          encoding: { ids: { style: "form", explode: false }, filter: { style: "deepObject", explode: true, allowReserved: true } },
        },
      },
      mediaType: "application/x-www-form-urlencoded",
      want: {
        body: "application/x-www-form-urlencoded",
        bodyEncoding: { ids: { explode: false }, filter: { style: "deepObject", explode: true, allowReserved: true } },
      },
    },
    // `encoding` means nothing for other media types
    {
      given: { "application/merge-patch+json": { ...object, encoding: { a: { contentType: "text/plain" } } } },
      mediaType: "application/merge-patch+json",
      want: { body: "application/merge-patch+json" },
    },
    { given: { "application/octet-stream": bytes }, mediaType: "application/octet-stream", binary: true, want: { body: "application/octet-stream" } },
    { given: { "application/octet-stream": {} }, mediaType: "application/octet-stream", binary: true, want: { body: "application/octet-stream" } },
    {
      given: { "image/png": { schema: { type: "string", contentMediaType: "image/png" } } },
      mediaType: "image/png",
      binary: true,
      want: { body: "image/png" },
    },
    {
      given: { "application/pdf": { schema: { type: "string", contentMediaType: "application/pdf", contentEncoding: "base64" } } },
      mediaType: "application/pdf",
      binary: false,
      want: { body: "application/pdf" },
    },
    { given: { "text/plain": { schema: { type: "string" } } }, mediaType: "text/plain", binary: false, want: { body: "text/plain" } },
    { given: { "application/xml": object }, mediaType: "application/xml", binary: false, want: { body: "application/xml" } },
    // a wildcard is no Content-Type: JSON, or bytes when the schema is binary; text/* as text/plain
    { given: { "*/*": object }, mediaType: "*/*", binary: false, want: {} },
    { given: { "*/*": bytes }, mediaType: "*/*", binary: true, want: { body: "application/octet-stream" } },
    { given: { "text/*": { schema: { type: "string" } } }, mediaType: "text/*", binary: false, want: { body: "text/plain" } },
  ];
  for (const { given, mediaType, binary = false, want } of cases) {
    it(Object.keys(given).join(" + "), () => {
      const operation = body(given);
      expect(operation.body).toEqual({ mediaType, required: true, binary });
      expect(operation.wire).toEqual(want);
    });
  }

  it("keeps an encoding for a property called `__proto__` as an own key", () => {
    const content = JSON.parse(
      '{"multipart/form-data": {"schema": {"type": "object"}, "encoding": {"__proto__": {"contentType": "text/csv"}}}}',
    ) as Json;
    const encoding = body(content).wire.bodyEncoding!;
    expect(Object.hasOwn(encoding, "__proto__")).toBe(true);
    expect(encoding["__proto__"]).toEqual({ contentType: "text/csv" });
  });

  it("follows $refs to request bodies and schemas to tell a binary body", () => {
    const [operation] = modelOperations(
      document(
        { "/a": { put: { requestBody: { $ref: "#/components/requestBodies/Upload" }, responses: ok } } },
        {
          requestBodies: { Upload: { content: { "application/octet-stream": { schema: { $ref: "#/components/schemas/File" } } } } },
          schemas: { File: { type: "string", format: "binary" } },
        },
      ),
    );
    expect(operation!.body).toEqual({ mediaType: "application/octet-stream", required: false, binary: true });
    expect(operation!.wire).toEqual({ body: "application/octet-stream" });
  });
});

describe("responses", () => {
  function responses(given: Json): OperationWire {
    const [operation] = modelOperations(document({ "/a": { get: { responses: given } } }));
    return operation!.wire;
  }
  const cases: Array<{ name: string; given: Json; want: OperationWire }> = [
    { name: "JSON", given: ok, want: {} },
    { name: "problem+json", given: { 200: { description: "ok", content: { "application/problem+json": {} } } }, want: {} },
    { name: "no content (204)", given: { 204: { description: "none" } }, want: {} },
    {
      name: "application/octet-stream",
      given: { 200: { description: "ok", content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } } },
      want: { response: "application/octet-stream" },
    },
    {
      name: "text/csv",
      given: { 200: { description: "ok", content: { "text/csv": { schema: { type: "string" } } } } },
      want: { response: "text/csv" },
    },
    { name: "image/png", given: { 200: { description: "ok", content: { "image/png": {} } } }, want: { response: "image/png" } },
    {
      name: "JSON listed with text: JSON wins",
      given: { 200: { description: "ok", content: { "text/plain": {}, "application/json": {} } } },
      want: {},
    },
    // a wildcard is left to the response's own Content-Type, unless the schema says bytes
    { name: "*/* JSON-like", given: { 200: { description: "ok", content: { "*/*": { schema: { type: "object" } } } } }, want: {} },
    {
      name: "*/* binary",
      given: { 200: { description: "ok", content: { "*/*": { schema: { type: "string", format: "binary" } } } } },
      want: { response: "application/octet-stream" },
    },
    {
      name: "the first 2xx with content decides",
      given: {
        204: { description: "none" },
        206: { description: "part", content: { "text/plain": {} } },
        200: { description: "ok", content: { "text/csv": {} } },
      },
      want: { response: "text/csv" },
    },
    {
      name: "default only, binary",
      given: { default: { description: "ok", content: { "application/zip": {} } } },
      want: { response: "application/zip" },
    },
    {
      name: "4xx bodies do not count",
      given: { 204: { description: "none" }, 400: { description: "bad", content: { "text/plain": {} } } },
      want: {},
    },
  ];
  for (const { name, given, want } of cases) it(name, () => expect(responses(given)).toEqual(want));
});

it("an operation with only defaults has an empty wire", () => {
  const [operation] = modelOperations(
    document({
      "/a/{id}": {
        post: {
          parameters: [
            { ...pathId, style: "simple", explode: false },
            { name: "q", in: "query", style: "form", explode: true, allowReserved: false },
            { name: "x-h", in: "header", style: "simple" },
            { name: "c", in: "cookie", style: "form", explode: true },
          ],
          requestBody: { content: { "application/json": { schema: { type: "object" } } } },
          responses: ok,
        },
      },
    }),
  );
  expect(operation!.wire).toEqual({});
  expect(Object.keys(operation!.wire)).toEqual([]);
});
