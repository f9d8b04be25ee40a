import { describe, expect, it } from "vitest";
import { decodePointerSegment, encodePointerSegment, localPointerSegments, resolveLocalPointer } from "../../codegen/json-pointer.js";

const document = {
  components: { schemas: { "a/b": { type: "string" }, "c~d": { type: "number" }, "100%": { type: "boolean" }, é: { type: "null" } } },
  paths: { "/pets/{id}": { get: { parameters: [{ name: "id" }, { name: "q" }] } } },
};

describe("JSON pointers in $refs (RFC 6901)", () => {
  it.each([
    { given: "a/b", want: "a~1b" },
    { given: "c~d", want: "c~0d" },
    { given: "~/", want: "~0~1" },
    { given: "/pets/{id}", want: "~1pets~1{id}" },
  ])("encodes $given as $want, and decodes it back", ({ given, want }) => {
    expect(encodePointerSegment(given)).toBe(want);
    expect(decodePointerSegment(want)).toBe(given);
  });

  it.each([
    { given: "%C3%A9", want: "é", why: "percent-decoded first" },
    { given: "%7E1", want: "/", why: "then ~1, in the RFC's order" },
    { given: "100%", want: "100%", why: "a key that is not percent-encoded stays as written" },
  ])("decodes $given as $want ($why)", ({ given, want }) => {
    expect(decodePointerSegment(given)).toBe(want);
  });

  it.each([
    { given: "#/components/schemas/a~1b", want: { type: "string" } },
    { given: "#/components/schemas/c~0d", want: { type: "number" } },
    { given: "#/components/schemas/100%", want: { type: "boolean" } },
    { given: "#/components/schemas/%C3%A9", want: { type: "null" } },
    { given: "#/paths/~1pets~1{id}/get/parameters/1", want: { name: "q" } },
    { given: "#", want: document },
  ])("resolves $given", ({ given, want }) => {
    expect(resolveLocalPointer(document, given)).toEqual(want);
  });

  it.each([
    { given: "#/components/schemas/missing", why: "no such key" },
    { given: "#/constructor", why: "inherited properties are not the document's" },
    { given: "#/components/schemas/a~1b/type/length", why: "a string has no keys" },
    { given: "#/paths/~1pets~1{id}/get/parameters/9", why: "past the end of an array" },
    { given: "other.json#/components", why: "not local" },
    { given: "#anchor", why: "an anchor, not a pointer" },
  ])("finds nothing at $given ($why)", ({ given }) => {
    expect(resolveLocalPointer(document, given)).toBeUndefined();
  });

  it("splits a local ref into decoded segments", () => {
    expect(localPointerSegments("#/paths/~1a~1b/get")).toEqual(["paths", "/a/b", "get"]);
    expect(localPointerSegments("#")).toEqual([]);
    expect(localPointerSegments("https://example.com/x.json#/a")).toBeUndefined();
  });
});
