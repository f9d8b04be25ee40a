// The pure serializers of runtime/http/wire/ as {given, want} tables. The style rows are the OpenAPI
// 3.1.1 specification's "Style Examples" (color = "blue", ["blue","black","brown"], {R:100,G:200,B:150}).
import { describe, expect, it } from "vitest";
import type { ParameterWire } from "../../runtime/http/operation.js";
import { encodeBody, RequestBodyError } from "../../runtime/http/wire/body.js";
import { cookieHeader, headerValue } from "../../runtime/http/wire/headers.js";
import { RequestParameterError } from "../../runtime/http/wire/parameters.js";
import { compilePath, fillPath, pathValue } from "../../runtime/http/wire/path.js";
import { serializeQuery, withQuery } from "../../runtime/http/wire/query.js";
import { responseKind } from "../../runtime/http/wire/response.js";

const string = "blue";
const array = ["blue", "black", "brown"];
const object = { R: 100, G: 200, B: 150 };

type Row = { style: NonNullable<Extract<ParameterWire, { style?: unknown }>["style"]>; explode: boolean; given: unknown; want: string };

describe("path parameters: the specification's style examples", () => {
  const rows: Row[] = [
    { style: "matrix", explode: false, given: string, want: ";color=blue" },
    { style: "matrix", explode: false, given: array, want: ";color=blue,black,brown" },
    { style: "matrix", explode: false, given: object, want: ";color=R,100,G,200,B,150" },
    { style: "matrix", explode: true, given: string, want: ";color=blue" },
    { style: "matrix", explode: true, given: array, want: ";color=blue;color=black;color=brown" },
    { style: "matrix", explode: true, given: object, want: ";R=100;G=200;B=150" },
    { style: "label", explode: false, given: string, want: ".blue" },
    { style: "label", explode: false, given: array, want: ".blue,black,brown" },
    { style: "label", explode: false, given: object, want: ".R,100,G,200,B,150" },
    { style: "label", explode: true, given: string, want: ".blue" },
    { style: "label", explode: true, given: array, want: ".blue.black.brown" },
    { style: "label", explode: true, given: object, want: ".R=100.G=200.B=150" },
    { style: "simple", explode: false, given: string, want: "blue" },
    { style: "simple", explode: false, given: array, want: "blue,black,brown" },
    { style: "simple", explode: false, given: object, want: "R,100,G,200,B,150" },
    { style: "simple", explode: true, given: string, want: "blue" },
    { style: "simple", explode: true, given: array, want: "blue,black,brown" },
    { style: "simple", explode: true, given: object, want: "R=100,G=200,B=150" },
  ];
  it.each(rows)("$style explode=$explode: $given -> $want", ({ style, explode, given, want }) => {
    expect(pathValue("color", given, { style, explode }, "/colors/{color}")).toBe(want);
  });

  it("the default (no wire entry) is simple without explode; the empty string has a matrix and a label form", () => {
    expect(pathValue("color", array, undefined, "/c/{color}")).toBe("blue,black,brown");
    expect(pathValue("color", object, undefined, "/c/{color}")).toBe("R,100,G,200,B,150");
    expect(pathValue("color", "", { style: "matrix" }, "/c/{color}")).toBe(";color");
    expect(pathValue("color", "", { style: "label" }, "/c/{color}")).toBe(".");
  });

  it.each([
    { given: "a/b?c#d e%f", want: "a%2Fb%3Fc%23d%20e%25f" },
    { given: ["a,b", "c/d"], want: "a%2Cb,c%2Fd" },
    { given: { "k/1": "v,1" }, want: "k%2F1,v%2C1" },
    { given: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), want: "2026-01-02T03%3A04%3A05.000Z" },
    { given: 12n, want: "12" },
  ])("percent-encodes every value and key whole: $given -> $want", ({ given, want }) => {
    expect(pathValue("id", given, undefined, "/x/{id}")).toBe(want);
  });

  it("content: application/json sends the JSON, percent-encoded", () => {
    expect(pathValue("f", { a: [1, "x y"] }, { content: "application/json" }, "/x/{f}")).toBe(encodeURIComponent('{"a":[1,"x y"]}'));
  });

  it.each([
    { given: undefined, problem: /"id" is undefined: pass a non-empty string or number \(in \/x\/\{id\}\)/ },
    { given: null, problem: /"id" is null/ },
    { given: "", problem: /"id" is an empty string, which would drop a segment of \/x\/\{id\}/ },
    { given: Number.NaN, problem: /"id" is NaN, which has no text form/ },
    { given: () => 1, problem: /"id" is a function, which cannot be sent/ },
    { given: new Date("nope"), problem: /"id" is an invalid Date/ },
    { given: [], problem: /"id" is an empty array, which has no path form/ },
    { given: {}, problem: /"id" is an empty object, which has no path form/ },
    { given: [1, [2]], problem: /"id\[1\]" is an array/ },
    { given: { a: { b: 1 } }, problem: /"id\[a\]" is an object/ },
    { given: "\ud800", problem: /"id" holds a lone UTF-16 surrogate/ },
  ])("refuses $given", ({ given, problem }) => {
    const call = () => pathValue("id", given, undefined, "/x/{id}");
    expect(call).toThrow(RequestParameterError);
    expect(call).toThrow(problem);
  });

  it("fills templates by name or by argument position, and sends . and .. segments encoded", () => {
    const compiled = compilePath("/pools/{pool}/queues/{name}");
    expect(fillPath(compiled, { pool: "p", name: "q" }, undefined)).toBe("/pools/p/queues/q");
    expect(fillPath(compiled, ["q", "p"], undefined, [1, 0])).toBe("/pools/p/queues/q");
    expect(fillPath(compiled, { pool: ".", name: ".." }, undefined)).toBe("/pools/%2E/queues/%2E%2E");
    expect(fillPath(compiled, { pool: "...", name: ".x" }, undefined)).toBe("/pools/.../queues/.x"); // not dot segments
    // label of "." is ".." on its own: still a value, so still encoded.
    expect(fillPath(compilePath("/c/{c}"), { c: "." }, { c: { style: "label" } })).toBe("/c/%2E%2E");
    // Two placeholders that make a segment together.
    expect(fillPath(compilePath("/c/{a}{b}"), { a: ".", b: "." }, undefined)).toBe("/c/%2E%2E");
    // A dot segment the template itself has is left alone.
    expect(fillPath(compilePath("/a/../{b}"), { b: "." }, undefined)).toBe("/a/../%2E");
  });
});

describe("query parameters: the specification's style examples", () => {
  const rows: Row[] = [
    { style: "form", explode: false, given: string, want: "color=blue" },
    { style: "form", explode: false, given: array, want: "color=blue,black,brown" },
    { style: "form", explode: false, given: object, want: "color=R,100,G,200,B,150" },
    { style: "form", explode: true, given: string, want: "color=blue" },
    { style: "form", explode: true, given: array, want: "color=blue&color=black&color=brown" },
    { style: "form", explode: true, given: object, want: "R=100&G=200&B=150" },
    { style: "spaceDelimited", explode: false, given: array, want: "color=blue%20black%20brown" },
    { style: "spaceDelimited", explode: false, given: object, want: "color=R%20100%20G%20200%20B%20150" },
    { style: "pipeDelimited", explode: false, given: array, want: "color=blue%7Cblack%7Cbrown" },
    { style: "pipeDelimited", explode: false, given: object, want: "color=R%7C100%7CG%7C200%7CB%7C150" },
    { style: "deepObject", explode: true, given: object, want: "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150" },
  ];
  it.each(rows)("$style explode=$explode: $given -> $want", ({ style, explode, given, want }) => {
    expect(serializeQuery({ color: given }, { color: { style, explode } })).toBe(want);
  });

  it("the default (no wire entry) is form + explode: arrays repeat the key, objects send their own keys", () => {
    expect(serializeQuery({ ids: [3, 4], color: { R: 3, G: 3 }, q: "a b" })).toBe("ids=3&ids=4&R=3&G=3&q=a%20b");
    expect(serializeQuery({ ids: [3, 4] }, { ids: { explode: false } })).toBe("ids=3,4");
  });

  it("leaves out undefined, null, empty arrays and empty objects; keeps an empty string", () => {
    expect(serializeQuery({ a: undefined, b: null, c: [], d: {}, e: "", f: 0, g: false })).toBe("e=&f=0&g=false");
    expect(serializeQuery(undefined)).toBe("");
  });

  it("percent-encodes keys and values; a comma inside a value stays apart from the delimiter", () => {
    expect(serializeQuery({ "a&b=c": "x&y", list: ["1,2", "3"] }, { list: { explode: false } })).toBe("a%26b%3Dc=x%26y&list=1%2C2,3");
  });

  it("allowReserved sends RFC 3986 reserved characters and %XX triples as they are, but never #", () => {
    expect(serializeQuery({ path: "a/b:c?d=e&f#g h%2F" }, { path: { allowReserved: true } })).toBe("path=a/b:c?d=e&f%23g%20h%2F");
    expect(serializeQuery({ path: "a/b" })).toBe("path=a%2Fb");
  });

  it("content: application/json sends JSON, percent-encoded", () => {
    expect(serializeQuery({ filter: { status: { eq: "open" } } }, { filter: { content: "application/json" } })).toBe(
      `filter=${encodeURIComponent('{"status":{"eq":"open"}}')}`,
    );
  });

  it.each([
    { given: { filter: { status: { eq: "open" } } }, problem: /"filter\[status\]" is an object: .*content: application\/json/ },
    { given: { ids: [1, { a: 1 }] }, problem: /"ids\[1\]" is an object/ },
    { given: { cb: () => 1 }, problem: /"cb" is a function/ },
    { given: { s: Symbol("x") }, problem: /"s" is a symbol/ },
    { given: { limit: Number.POSITIVE_INFINITY }, problem: /"limit" is Infinity/ },
    { given: { since: new Date("nope") }, problem: /"since" is an invalid Date/ },
    { given: { big: 1n }, wire: { big: { content: "application/json" } }, problem: /"big" cannot be serialized as application\/json/ },
  ])("refuses $given naming the parameter", ({ given, wire, problem }) => {
    const call = () => serializeQuery(given as Record<string, unknown>, wire as never);
    expect(call).toThrow(RequestParameterError);
    expect(call).toThrow(problem);
  });

  it("a fixed query from the path key goes first, merged with the caller's with &", () => {
    expect(withQuery("/tags", "operation=untag", "ids=1")).toBe("/tags?operation=untag&ids=1");
    expect(withQuery("/photos", "acl", "")).toBe("/photos?acl");
    expect(withQuery("/photos", undefined, "max-keys=3")).toBe("/photos?max-keys=3");
    expect(withQuery("/photos", undefined, "")).toBe("/photos");
  });
});

describe("header and cookie parameters", () => {
  it.each([
    { given: string, wire: undefined, want: "blue" },
    { given: array, wire: undefined, want: "blue,black,brown" },
    { given: object, wire: undefined, want: "R,100,G,200,B,150" },
    { given: object, wire: { explode: true }, want: "R=100,G=200,B=150" },
    { given: 42, wire: undefined, want: "42" },
    { given: { a: 1 }, wire: { content: "application/json" }, want: '{"a":1}' },
  ])("header simple: $given -> $want (not percent-encoded)", ({ given, wire, want }) => {
    expect(headerValue("X-Color", given, wire)).toBe(want);
  });

  it("refuses a header value that would split the header, without showing it", () => {
    for (const value of ["a\r\nX-Evil: 1", "a\0", "a€"]) {
      const call = () => headerValue("X-Token", value, undefined);
      expect(call).toThrow(RequestParameterError);
      expect(call).toThrow('header parameter "X-Token" contains a line break, NUL or a character outside Latin-1 (value not shown)');
    }
    expect(() => headerValue("X Token", "v", undefined)).toThrow(/"X Token" is not a valid header name/);
    expect(headerValue("X-Opt", undefined, undefined)).toBeUndefined();
  });

  it.each([
    { given: { session: "a b;c" }, wire: undefined, want: "session=a%20b%3Bc" },
    { given: { color: array }, wire: undefined, want: "color=blue; color=black; color=brown" },
    { given: { color: array }, wire: { color: { explode: false } }, want: "color=blue,black,brown" },
    { given: { color: object }, wire: { color: { explode: false } }, want: "color=R,100,G,200,B,150" },
    { given: { color: object }, wire: undefined, want: "R=100; G=200; B=150" },
    { given: { a: 1, b: undefined, c: true }, wire: undefined, want: "a=1; c=true" },
  ])("cookie form: $given -> $want", ({ given, wire, want }) => {
    expect(cookieHeader(given, wire as never)).toBe(want);
  });
});

describe("request bodies by media type", () => {
  it("any JSON media type is JSON.stringify with that exact Content-Type", () => {
    expect(encodeBody({ a: 1 }, undefined)).toEqual({ body: '{"a":1}', contentType: "application/json", replayable: true });
    for (const type of [
      "application/merge-patch+json",
      "application/vnd.api+json",
      "application/json-patch+json",
      "application/json; charset=utf-8",
    ]) {
      expect(encodeBody([{ op: "remove" }], type)).toEqual({ body: '[{"op":"remove"}]', contentType: type, replayable: true });
    }
    expect(encodeBody(null, undefined).body).toBe("null");
  });

  it("application/x-www-form-urlencoded: fields form + explode by default, per bodyEncoding otherwise", () => {
    const form = "application/x-www-form-urlencoded";
    expect(encodeBody({ name: "a b", tags: ["x", "y"], at: new Date(0) }, form)).toEqual({
      body: "name=a%20b&tags=x&tags=y&at=1970-01-01T00%3A00%3A00.000Z",
      contentType: form,
      replayable: true,
    });
    expect(encodeBody({ tags: ["x", "y"], meta: { a: 1 } }, form, { tags: { explode: false }, meta: { contentType: "application/json" } }).body).toBe(
      `tags=x,y&meta=${encodeURIComponent('{"a":1}')}`,
    );
    expect(encodeBody(new URLSearchParams({ a: "1" }), form).body).toBe("a=1");
  });

  it("text/*: strings as they are", () => {
    expect(encodeBody("hello", "text/plain")).toEqual({ body: "hello", contentType: "text/plain", replayable: true });
    expect(encodeBody(3, "text/csv").body).toBe("3");
  });

  it("binary types: bytes, Blobs and streams as they are; streams are not replayable", () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(encodeBody(bytes, "application/octet-stream")).toEqual({ body: bytes, contentType: "application/octet-stream", replayable: true });
    expect(encodeBody(Buffer.from("x"), "image/png").contentType).toBe("image/png");
    const blob = new Blob(["x"], { type: "image/jpeg" });
    expect(encodeBody(blob, "image/*")).toEqual({ body: blob, contentType: "image/jpeg", replayable: true });
    expect(encodeBody(new ArrayBuffer(2), "application/octet-stream").replayable).toBe(true);
    const stream = new ReadableStream();
    expect(encodeBody(stream, "application/octet-stream")).toEqual({ body: stream, contentType: "application/octet-stream", replayable: false });
    expect(encodeBody("<a/>", "application/xml").body).toBe("<a/>");
  });

  it.each([
    {
      given: { a: 1 },
      type: "application/octet-stream",
      problem:
        /request body \(application\/octet-stream\) is an object: pass a string or a Uint8Array, Buffer, Blob, ArrayBuffer or a readable stream/,
    },
    { given: { a: 1 }, type: "text/plain", problem: /request body \(text\/plain\) is an object: pass a string/ },
    { given: new Uint8Array(1), type: "application/json", problem: /is binary data: pass the value to encode as JSON/ },
    { given: () => 1, type: "application/json", problem: /is a function, which has no JSON form/ },
    { given: { n: 1n }, type: "application/json", problem: /cannot be serialized as JSON/ },
    { given: [1], type: "multipart/form-data", problem: /is an array: pass an object of field names to values/ },
    { given: { f: { n: Symbol("x") } }, type: "application/x-www-form-urlencoded", problem: /field "f\[n\]" is a symbol/ },
  ])("refuses $given for $type before sending", ({ given, type, problem }) => {
    const call = () => encodeBody(given, type);
    expect(call).toThrow(RequestBodyError);
    expect(call).toThrow(problem);
  });

  it("multipart/form-data: fields, files with their names and types, arrays repeated, objects as JSON parts; parsed back by undici", async () => {
    const file = new File(["%PDF-1"], "report.pdf", { type: "application/pdf" });
    const encoded = encodeBody(
      { title: "Q1", count: 3, file, raw: new Uint8Array([104, 105]), tags: ["a", "b"], meta: { owner: "me" }, skipped: undefined },
      "multipart/form-data",
      { raw: { contentType: "image/png" } },
    );
    expect(encoded.replayable).toBe(true);
    expect(encoded.contentType).toMatch(/^multipart\/form-data; boundary=inject-client-[0-9a-f]{32}$/);
    const text = await (encoded.body as Blob).text();
    expect(text).toContain('Content-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"owner":"me"}\r\n');
    expect(text).toContain('Content-Disposition: form-data; name="raw"; filename="blob"\r\nContent-Type: image/png\r\n\r\nhi\r\n');
    const form = await new Response(encoded.body as Blob, { headers: { "content-type": encoded.contentType! } }).formData();
    expect([...form.keys()]).toEqual(["title", "count", "file", "raw", "tags", "tags", "meta"]);
    expect(form.get("title")).toBe("Q1");
    expect(form.get("count")).toBe("3");
    expect(form.getAll("tags")).toEqual(["a", "b"]);
    const parsed = form.get("file") as File;
    expect([parsed.name, parsed.type, await parsed.text()]).toEqual(["report.pdf", "application/pdf", "%PDF-1"]);
  });

  it("multipart with a stream part is sent once (not replayable); names with quotes stay inside the header", async () => {
    const encoded = encodeBody({ 'a"b': new Blob(["x"]).stream() }, "multipart/form-data");
    expect(encoded.replayable).toBe(false);
    const chunks: Buffer[] = [];
    for await (const chunk of encoded.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).toString()).toContain(
      'Content-Disposition: form-data; name="a%22b"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n',
    );
  });
});

describe("responses by media type", () => {
  it.each([
    { contentType: "application/json", declared: undefined, want: "json" },
    { contentType: "application/problem+json", declared: undefined, want: "json" },
    { contentType: undefined, declared: undefined, want: "json" },
    { contentType: "text/csv", declared: undefined, want: "text" },
    { contentType: "application/pdf", declared: undefined, want: "text" },
    { contentType: "application/json", declared: "application/pdf", want: "bytes" },
    { contentType: "application/octet-stream", declared: "image/png", want: "bytes" },
    { contentType: "application/octet-stream", declared: "text/csv", want: "text" },
  ] as const)("$contentType (declared $declared) -> $want", ({ contentType, declared, want }) => {
    expect(responseKind(contentType, declared)).toBe(want);
  });
});
