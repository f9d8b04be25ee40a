// The faithful server itself, with hand-written raw requests (undici.request, no client): every class
// of issue 13 written the way the spec says is accepted with the values it carries; written the way
// clients write it today (the table) it is rejected with a reason. And openapi-backend alone
// accepts some of those wrong ones, which is why the server decodes styles itself.
import { readFileSync } from "node:fs";
import { OpenAPIBackend } from "openapi-backend";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaithfulServer, type FaithfulServer } from "./faithful-server.js";
import { BINARY_BODY, CSV_BODY, largeByte, startWireFixtureServer, WIRE_SPEC } from "./fixture-server.js";

let server: FaithfulServer;
beforeAll(async () => {
  server = await startWireFixtureServer();
});
afterAll(() => server?.close());

interface Raw {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

async function send(raw: Raw) {
  const response = await request(`${server.url}${raw.path}`, { method: (raw.method ?? "GET") as "GET", headers: raw.headers, body: raw.body });
  const bytes = new Uint8Array(await response.body.arrayBuffer());
  return { status: response.statusCode, headers: response.headers, bytes, record: server.records.at(-1)! };
}

const json = (value: unknown) => JSON.stringify(value);
const JSON_TYPE = { "content-type": "application/json" };

/** A multipart body written out by hand: `description` (text), `file` (PNG bytes), `metadata` (JSON). */
function multipart(fileType: string): { headers: Record<string, string>; body: Uint8Array } {
  const boundary = "----wire-boundary-7f3a";
  const text = (s: string) => new TextEncoder().encode(s);
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
  const chunks = [
    text(`--${boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\na cat; "quoted"\r\n`),
    text(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cat.png"\r\nContent-Type: ${fileType}\r\n\r\n`),
    png,
    text(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n{"width":640}\r\n`),
    text(`--${boundary}--\r\n`),
  ];
  return { headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat(chunks) };
}

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
const OCTETS = Uint8Array.from([0, 1, 2, 253, 254, 255]);

interface Accepted {
  name: string;
  raw: Raw;
  operation: string;
  decoded: Record<string, unknown>;
}

const accepted: Accepted[] = [
  {
    name: "array query, form, explode false",
    raw: { path: "/query/form-no-explode?ids=3,4" },
    operation: "queryFormNoExplode",
    decoded: { query: { ids: [3, 4] } },
  },
  {
    name: "array query, pipeDelimited",
    raw: { path: "/query/pipe-delimited?ids=3|4" },
    operation: "queryPipeDelimited",
    decoded: { query: { ids: [3, 4] } },
  },
  {
    name: "array query, pipeDelimited, pipe encoded",
    raw: { path: "/query/pipe-delimited?ids=3%7C4" },
    operation: "queryPipeDelimited",
    decoded: { query: { ids: [3, 4] } },
  },
  {
    name: "array query, spaceDelimited",
    raw: { path: "/query/space-delimited?ids=3%204" },
    operation: "querySpaceDelimited",
    decoded: { query: { ids: [3, 4] } },
  },
  {
    name: "object query, form + explode",
    raw: { path: "/query/object-form?R=3&G=4" },
    operation: "queryObjectForm",
    decoded: { query: { color: { R: 3, G: 4 } } },
  },
  {
    name: "object query, deepObject",
    raw: { path: "/query/deep-object?filter%5Bstatus%5D=open&filter%5Blimit%5D=5" },
    operation: "queryDeepObject",
    decoded: { query: { filter: { status: "open", limit: 5 } } },
  },
  {
    name: "query with content: application/json",
    raw: { path: `/query/json-content?filter=${encodeURIComponent(json({ status: { eq: "open" } }))}` },
    operation: "queryJsonContent",
    decoded: { query: { filter: { status: { eq: "open" } } } },
  },
  { name: "array path, simple", raw: { path: "/path/simple/3,4" }, operation: "pathSimpleArray", decoded: { path: { ids: [3, 4] } } },
  { name: "array path, label", raw: { path: "/path/label/.3,4" }, operation: "pathLabel", decoded: { path: { ids: [3, 4] } } },
  {
    name: "array path, label + explode",
    raw: { path: "/path/label-explode/.3.4" },
    operation: "pathLabelExplode",
    decoded: { path: { ids: [3, 4] } },
  },
  { name: "array path, matrix", raw: { path: "/path/matrix/;ids=3,4" }, operation: "pathMatrix", decoded: { path: { ids: [3, 4] } } },
  {
    name: "object path, matrix + explode",
    raw: { path: "/path/matrix-explode/;x=1;y=2" },
    operation: "pathMatrixExplode",
    decoded: { path: { point: { x: 1, y: 2 } } },
  },
  {
    name: "header parameters: a required one and an array",
    raw: {
      method: "POST",
      path: "/headers",
      headers: { ...JSON_TYPE, "x-amz-target": "DynamoDB_20120810.ListTables", "x-request-ids": "3,4" },
      body: json({ TableName: "t" }),
    },
    operation: "invokeTarget",
    decoded: {
      header: { "x-amz-target": "DynamoDB_20120810.ListTables", "x-request-ids": [3, 4] },
      body: { mediaType: "application/json", value: { TableName: "t" } },
    },
  },
  {
    name: "cookie parameters",
    raw: { path: "/cookies", headers: { cookie: "session=abc123; theme=dark" } },
    operation: "readWithCookie",
    decoded: { cookie: { session: "abc123", theme: "dark" } },
  },
  {
    name: "body application/merge-patch+json",
    raw: {
      method: "PATCH",
      path: "/bodies/merge-patch/t%201",
      headers: { "content-type": "application/merge-patch+json" },
      body: json({ name: "x", note: null }),
    },
    operation: "mergePatchThing",
    decoded: { path: { id: "t 1" }, body: { mediaType: "application/merge-patch+json", value: { name: "x", note: null } } },
  },
  {
    name: "body application/vnd.api+json",
    raw: {
      method: "POST",
      path: "/bodies/vnd-api",
      headers: { "content-type": "application/vnd.api+json" },
      body: json({ data: { type: "things", attributes: { title: "T" } } }),
    },
    operation: "createVndApi",
    decoded: { body: { mediaType: "application/vnd.api+json", value: { data: { type: "things", attributes: { title: "T" } } } } },
  },
  {
    name: "body application/json-patch+json",
    raw: {
      method: "PATCH",
      path: "/bodies/json-patch",
      headers: { "content-type": "application/json-patch+json" },
      body: json([{ op: "replace", path: "/name", value: "y" }]),
    },
    operation: "jsonPatchThing",
    decoded: { body: { mediaType: "application/json-patch+json", value: [{ op: "replace", path: "/name", value: "y" }] } },
  },
  {
    name: "body multipart/form-data with a file part and encoding contentTypes",
    raw: { method: "POST", path: "/bodies/multipart", ...multipart("image/png") },
    operation: "uploadMultipart",
    decoded: {
      body: {
        mediaType: "multipart/form-data",
        value: { description: 'a cat; "quoted"', file: PNG, metadata: { width: 640 } },
        parts: [
          { name: "description", filename: undefined, contentType: undefined },
          { name: "file", filename: "cat.png", contentType: "image/png" },
          { name: "metadata", filename: undefined, contentType: "application/json" },
        ],
      },
    },
  },
  {
    name: "body application/x-www-form-urlencoded",
    raw: {
      method: "POST",
      path: "/bodies/form",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "name=a+b%26c&count=3&tags=x&tags=y",
    },
    operation: "submitForm",
    decoded: { body: { mediaType: "application/x-www-form-urlencoded", value: { name: "a b&c", count: 3, tags: ["x", "y"] } } },
  },
  {
    name: "body application/octet-stream",
    raw: { method: "PUT", path: "/bodies/octet/k1", headers: { "content-type": "application/octet-stream" }, body: OCTETS },
    operation: "putOctets",
    decoded: { path: { key: "k1" }, body: { mediaType: "application/octet-stream", value: OCTETS } },
  },
  {
    name: "body text/plain",
    raw: { method: "POST", path: "/bodies/text", headers: { "content-type": "text/plain; charset=utf-8" }, body: "héllo, wörld" },
    operation: "postText",
    decoded: { body: { mediaType: "text/plain", value: "héllo, wörld" } },
  },
  {
    name: "path key with a # fixed query",
    raw: { method: "POST", path: "/tags?operation=untag", headers: JSON_TYPE, body: json({ resourceArn: "arn:1", tagKeys: ["a"] }) },
    operation: "untagResource",
    decoded: { query: {}, body: { mediaType: "application/json", value: { resourceArn: "arn:1", tagKeys: ["a"] } } },
  },
  {
    name: "the path key without its fixed query is the other operation",
    raw: { method: "POST", path: "/tags", headers: JSON_TYPE, body: json({ resourceArn: "arn:1", tags: { a: "1" } }) },
    operation: "tagResource",
    decoded: { body: { mediaType: "application/json", value: { resourceArn: "arn:1", tags: { a: "1" } } } },
  },
  {
    name: "path key with a ? fixed query, plus the caller's query",
    raw: { path: "/photos?acl&max-keys=3" },
    operation: "getBucketAcl",
    decoded: { path: { bucket: "photos" }, query: { "max-keys": 3 } },
  },
  {
    name: "the same template without the fixed query",
    raw: { path: "/photos?max-keys=3" },
    operation: "listObjects",
    decoded: { path: { bucket: "photos" }, query: { "max-keys": 3 } },
  },
];

describe("accepts each class written the way the spec says, with the values it carries", () => {
  it.each(accepted.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const { status, record } = await send(c.raw);
    expect(record.problems).toEqual([]);
    expect(status).toBe(200);
    expect(record.accepted).toBe(true);
    expect(record.operation).toBe(c.operation);
    expect(record.decoded).toMatchObject(c.decoded);
  });
});

interface Rejected {
  name: string;
  raw: Raw;
  status?: number;
  problem: RegExp;
}

const rejected: Rejected[] = [
  {
    name: "explode:false array sent exploded (`ids=3&ids=4`)",
    raw: { path: "/query/form-no-explode?ids=3&ids=4" },
    problem: /"ids" is sent 2 times .*explode false sends one `ids=3,4`/,
  },
  { name: "pipeDelimited array sent exploded", raw: { path: "/query/pipe-delimited?ids=3&ids=4" }, problem: /"ids" is sent 2 times .*pipeDelimited/ },
  {
    name: "spaceDelimited array sent exploded",
    raw: { path: "/query/space-delimited?ids=3&ids=4" },
    problem: /"ids" is sent 2 times .*spaceDelimited/,
  },
  {
    name: "exploded form object sent as deepObject (`color[R]=3`)",
    raw: { path: "/query/object-form?color%5BR%5D=3&color%5BG%5D=4" },
    problem: /unknown query parameter "color\[R\]": "color" is style form with explode, its properties are sent as top-level keys \(`R=…&G=…`\)/,
  },
  {
    name: "content: application/json parameter sent as deepObject",
    raw: { path: "/query/json-content?filter%5Bstatus%5D%5Beq%5D=open" },
    problem: /unknown query parameter "filter\[status\]\[eq\]"/,
  },
  {
    name: "content: application/json parameter that is not JSON",
    raw: { path: "/query/json-content?filter=open" },
    problem: /"filter" has `content: application\/json`: its value must be JSON/,
  },
  {
    name: "deepObject parameter sent plain",
    raw: { path: "/query/deep-object?filter=open" },
    problem: /style deepObject: it is sent as `filter\[key\]=value`/,
  },
  { name: "label path sent as simple", raw: { path: "/path/label/3,4" }, problem: /"ids" is style label: its value starts with "\."/ },
  { name: "matrix path sent as simple", raw: { path: "/path/matrix/3,4" }, problem: /"ids" is style matrix: its value starts with ";"/ },
  {
    name: "exploded matrix object sent without explode",
    raw: { path: "/path/matrix-explode/;point=x,1,y,2" },
    problem: /`;point=…` is matrix without explode; with explode the properties are `;x=…;y=…`/,
  },
  {
    name: "required header missing",
    raw: { method: "POST", path: "/headers", headers: JSON_TYPE, body: json({ TableName: "t" }) },
    problem: /schema: header must have required property 'x-amz-target'/,
  },
  {
    name: "header value outside its enum",
    raw: { method: "POST", path: "/headers", headers: { ...JSON_TYPE, "x-amz-target": "Nope" }, body: json({ TableName: "t" }) },
    problem: /schema: header\.x-amz-target must be equal to one of the allowed values/,
  },
  { name: "required cookie missing", raw: { path: "/cookies" }, problem: /schema: cookie must have required property 'session'/ },
  {
    name: "merge-patch body labelled application/json",
    raw: { method: "PATCH", path: "/bodies/merge-patch/t1", headers: JSON_TYPE, body: json({ name: "x" }) },
    problem: /Content-Type application\/json; the spec takes application\/merge-patch\+json/,
  },
  {
    name: "vnd.api body labelled application/json",
    raw: { method: "POST", path: "/bodies/vnd-api", headers: JSON_TYPE, body: json({ data: { type: "t", attributes: { title: "T" } } }) },
    problem: /the spec takes application\/vnd\.api\+json/,
  },
  {
    name: "json-patch body labelled application/json",
    raw: { method: "PATCH", path: "/bodies/json-patch", headers: JSON_TYPE, body: json([]) },
    problem: /the spec takes application\/json-patch\+json/,
  },
  {
    name: "multipart body sent as JSON",
    raw: { method: "POST", path: "/bodies/multipart", headers: JSON_TYPE, body: json({ description: "d", file: "x", metadata: { width: 1 } }) },
    problem: /the spec takes multipart\/form-data/,
  },
  {
    name: "multipart file part of another type than the spec's encoding",
    raw: { method: "POST", path: "/bodies/multipart", ...multipart("application/octet-stream") },
    problem: /multipart part "file" is application\/octet-stream; the spec's encoding says image\/png/,
  },
  {
    name: "form body sent as JSON",
    raw: { method: "POST", path: "/bodies/form", headers: JSON_TYPE, body: json({ name: "a", count: 3 }) },
    problem: /the spec takes application\/x-www-form-urlencoded/,
  },
  {
    name: "form body with a field the schema does not have",
    raw: { method: "POST", path: "/bodies/form", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "name=a&count=3&extra=1" },
    problem: /unknown form field "extra"/,
  },
  {
    name: "octet-stream body sent as JSON of a Uint8Array",
    raw: { method: "PUT", path: "/bodies/octet/k1", headers: JSON_TYPE, body: json({ 0: 1, 1: 2 }) },
    problem: /the spec takes application\/octet-stream/,
  },
  {
    name: "text/plain body sent as a JSON string",
    raw: { method: "POST", path: "/bodies/text", headers: JSON_TYPE, body: json("hello") },
    problem: /the spec takes text\/plain/,
  },
  {
    name: "required body missing",
    raw: { method: "POST", path: "/bodies/text" },
    problem: /the request body is required \(text\/plain\); none was sent/,
  },
  {
    name: "# fixed query dropped (`POST /tags`): the other operation, whose schema the body breaks",
    raw: { method: "POST", path: "/tags", headers: JSON_TYPE, body: json({ resourceArn: "arn:1", tagKeys: ["a"] }) },
    problem: /schema: requestBody must have required property 'tags'/,
  },
  {
    name: "? fixed query followed by a second ? (`/photos?acl?max-keys=3`)",
    raw: { path: "/photos?acl?max-keys=3" },
    problem: /unknown query parameter "acl\?max-keys": the URL has a second `\?`/,
  },
  { name: "integer query parameter that is not one", raw: { path: "/photos?max-keys=three" }, problem: /schema: query\.max-keys must be integer/ },
  {
    name: "a path no operation has",
    raw: { path: "/nowhere/at/all" },
    status: 404,
    problem: /no operation of the spec matches GET \/nowhere\/at\/all/,
  },
  {
    name: "a method the path does not take",
    raw: { method: "DELETE", path: "/bodies/form" },
    status: 405,
    problem: /DELETE \/bodies\/form is not an operation of the spec \(the path takes POST\)/,
  },
];

describe("rejects each class written the way clients write it today, with a reason", () => {
  it.each(rejected.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const { status, bytes, record } = await send(c.raw);
    expect(status).toBe(c.status ?? 400);
    expect(record.accepted).toBe(false);
    expect(record.problems.join("\n")).toMatch(c.problem);
    // The reasons are in the response too, for a client's error message.
    expect((JSON.parse(Buffer.from(bytes).toString("utf8")) as { problems: string[] }).problems).toEqual(record.problems);
  });
});

describe("responses", () => {
  it("binary: every byte value, unchanged", async () => {
    const { status, headers, bytes } = await send({ path: "/responses/binary" });
    expect(status).toBe(200);
    expect(headers["content-type"]).toBe("application/octet-stream");
    expect(bytes).toEqual(BINARY_BODY);
  });

  it("text/csv", async () => {
    const { headers, bytes } = await send({ path: "/responses/csv" });
    expect(headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(new TextDecoder().decode(bytes)).toBe(CSV_BODY);
  });

  it("a large download, in chunks, with its Content-Length", async () => {
    const size = 3 * 1024 * 1024 + 5;
    const { headers, bytes } = await send({ path: `/responses/large?size=${size}` });
    expect(headers["content-length"]).toBe(String(size));
    expect(bytes.length).toBe(size);
    for (const i of [0, 1, 65_535, 65_536, size - 1]) expect(bytes[i]).toBe(largeByte(i));
  });
});

it("openapi-backend alone accepts what the faithful server rejects: it decodes styles loosely", async () => {
  const backend = new OpenAPIBackend({ definition: JSON.parse(readFileSync(WIRE_SPEC, "utf8")), quick: true });
  await backend.init();
  // As a node:http adapter hands it requests: the raw target, query string included.
  const loose = (target: string) => backend.validateRequest({ method: "get", path: target, headers: {} }).valid;
  expect(loose("/query/form-no-explode?ids=3&ids=4")).toBe(true); // explode: false wants `ids=3,4`
  expect(loose("/query/object-form?color[R]=3&color[G]=4")).toBe(true); // form + explode wants `R=3&G=4`...
  expect(loose("/query/object-form?R=3&G=4")).toBe(false); // ...which it rejects
  expect((await send({ path: "/query/form-no-explode?ids=3&ids=4" })).status).toBe(400);
  expect((await send({ path: "/query/object-form?color[R]=3&color[G]=4" })).status).toBe(400);
  expect((await send({ path: "/query/object-form?R=3&G=4" })).status).toBe(200);
});

it("a broken spec still gets a server: unusable parameters and path items are left out, requests get reasons", async () => {
  const hostile = await startFaithfulServer({
    spec: {
      openapi: "3.0.3",
      info: { title: "broken", version: "1" },
      paths: {
        "/a/{id}": {
          get: {
            parameters: [
              { name: "x", in: "body", schema: { type: "string" } },
              { $ref: "#/components/parameters/missing" },
              { name: "id", in: "path", required: true, schema: { type: "integer" } },
            ],
            responses: { 200: { description: "no content" } },
          },
        },
        "/b": { $ref: "#/nowhere" },
      },
    },
  });
  try {
    const status = async (path: string) => {
      const response = await request(`${hostile.url}${path}`);
      await response.body.dump();
      return response.statusCode;
    };
    expect(await status("/a/3")).toBe(204);
    expect(await status("/a/three")).toBe(400);
    expect(hostile.records.at(-1)!.problems).toEqual(["schema: path.id must be integer"]);
    expect(await status("/b")).toBe(404);
  } finally {
    await hostile.close();
  }
});
