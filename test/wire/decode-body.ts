// A request body by the spec's media types: the Content-Type must be one the operation lists (a JSON
// body labelled `application/json` for an operation that takes `application/merge-patch+json` is a
// problem), and the bytes must decode as that media type. JSON types are parsed, text is strict UTF-8,
// multipart parts are checked against the spec's `encoding`, form bodies are decoded like a query by
// each property's encoding, and anything else is bytes.
import { coerce, decodeQuery, parseQuery, shapeOf, type ParameterObject } from "./decode-parameters.js";
import { boundaryOf, parseMultipart } from "./multipart.js";
import type { JsonObject } from "./spec-operations.js";

export interface MediaTypeObject {
  schema?: unknown;
  encoding?: Record<string, { contentType?: string; style?: string; explode?: boolean } | undefined>;
}

export interface DecodedBody {
  /** The spec's media type the request matched. */
  mediaType: string;
  /** The Content-Type as sent. */
  contentType: string;
  /** JSON value, text, bytes (`Uint8Array`), or the fields of a multipart or form body. */
  value: unknown;
  /** Multipart only: each part's name, filename and Content-Type, in order. */
  parts?: Array<{ name: string; filename?: string; contentType?: string }>;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function essence(mediaType: string): string {
  return mediaType.split(";")[0]!.trim().toLowerCase();
}

function mediaTypeMatches(pattern: string, actual: string): boolean {
  const [type, subtype] = essence(pattern).split("/");
  const [actualType, actualSubtype] = essence(actual).split("/");
  return (type === "*" || type === actualType) && (subtype === "*" || subtype === actualSubtype);
}

export function isJsonMediaType(mediaType: string): boolean {
  const [type, subtype = ""] = essence(mediaType).split("/");
  return (type === "application" || type === "text") && (subtype === "json" || subtype.endsWith("+json") || /(^|[-.])json([-.]|$)/.test(subtype));
}

/** A part that is bytes: 3.0's `format: binary`, 3.1's `contentMediaType` without a text `contentEncoding` (base64 is text). */
function isBinarySchema(schema: unknown): boolean {
  return isObject(schema) && (schema.format === "binary" || (schema.contentMediaType !== undefined && schema.contentEncoding === undefined));
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function text(bytes: Uint8Array, where: string, problems: string[]): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    problems.push(`${where} is not valid UTF-8`);
    return undefined;
  }
}

function parseJson(source: string, where: string, problems: string[]): unknown {
  try {
    return JSON.parse(source);
  } catch (error) {
    problems.push(`${where} is not JSON: ${(error as Error).message}`);
    return undefined;
  }
}

/** The spec's media type a Content-Type is: exact first, then wildcards (`image/*`, `*\/*`). */
export function matchMediaType(specTypes: readonly string[], contentType: string): number {
  const exact = specTypes.findIndex((type) => essence(type) === essence(contentType));
  return exact >= 0 ? exact : specTypes.findIndex((type) => mediaTypeMatches(type, contentType));
}

interface MultipartFields {
  fields: Record<string, unknown>;
  parts: NonNullable<DecodedBody["parts"]>;
}

function decodeMultipart(media: MediaTypeObject, contentType: string, bytes: Buffer, problems: string[]): MultipartFields | undefined {
  const boundary = boundaryOf(contentType);
  if (!boundary) {
    problems.push("multipart/form-data body without a boundary in its Content-Type");
    return undefined;
  }
  const parsed = parseMultipart(bytes, boundary);
  if ("problem" in parsed) {
    problems.push(parsed.problem);
    return undefined;
  }
  const schema = isObject(media.schema) ? media.schema : {};
  const properties = isObject(schema.properties) ? (schema.properties as Record<string, unknown>) : {};
  const fields: Record<string, unknown> = {};
  for (const part of parsed.parts) {
    const where = `multipart part ${JSON.stringify(part.name)}`;
    const propertySchema = properties[part.name];
    const isArray = shapeOf(propertySchema) === "array";
    const itemSchema = isArray && isObject(propertySchema) ? propertySchema.items : propertySchema;
    const declared = media.encoding?.[part.name]?.contentType;
    if (declared !== undefined) {
      const allowed = declared.split(",").map((type) => type.trim());
      if (part.contentType === undefined) problems.push(`${where} has no Content-Type; the spec's encoding says ${declared}`);
      else if (!allowed.some((type) => mediaTypeMatches(type, part.contentType!)))
        problems.push(`${where} is ${part.contentType}; the spec's encoding says ${declared}`);
    }
    let value: unknown;
    if (isBinarySchema(itemSchema)) {
      value = new Uint8Array(part.data);
    } else {
      const source = text(part.data, where, problems);
      const wantsJson = (part.contentType !== undefined && isJsonMediaType(part.contentType)) || shapeOf(itemSchema) !== "primitive";
      value = source === undefined ? undefined : wantsJson ? parseJson(source, where, problems) : coerce(source, itemSchema);
    }
    if (isArray) fields[part.name] = [...((fields[part.name] as unknown[] | undefined) ?? []), value];
    else if (part.name in fields) problems.push(`${where} is sent twice; the schema takes one value`);
    else fields[part.name] = value;
  }
  return { fields, parts: parsed.parts.map(({ name, filename, contentType: type }) => ({ name, filename, contentType: type })) };
}

function decodeForm(media: MediaTypeObject, bytes: Buffer, problems: string[]): Record<string, unknown> | undefined {
  const source = text(bytes, "form body", problems);
  if (source === undefined) return undefined;
  const schema = isObject(media.schema) ? media.schema : {};
  const properties = isObject(schema.properties) ? (schema.properties as Record<string, unknown>) : {};
  // A form body is a query string whose "parameters" are the schema's properties, styled by `encoding`.
  const parameters: ParameterObject[] = Object.entries(properties).map(([name, propertySchema]) => {
    const encoding = media.encoding?.[name];
    return { name, in: "query", schema: propertySchema, style: encoding?.style, explode: encoding?.explode };
  });
  const own: string[] = [];
  const fields = decodeQuery(parameters, parseQuery(source, own, true), own);
  problems.push(...own.map((problem) => problem.replace(/query parameter/g, "form field")));
  return coerce(fields, schema) as Record<string, unknown>;
}

/** Bytes become latin1 text for the schema validator (a `format: binary` string), at any depth. */
export function forValidation(value: unknown, depth = 0): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("latin1");
  if (depth > 32 || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => forValidation(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, forValidation(item, depth + 1)]));
}

export interface BodyInput {
  mediaTypes: readonly string[];
  /** The operation's dereferenced `requestBody.content`. */
  content: Record<string, MediaTypeObject | undefined>;
  required: boolean;
}

/**
 * The body and the index of the spec media type it matched (-1 when there is no body), or problems.
 * `validationValue` is what openapi-backend's schema validator gets: bytes as latin1 text.
 */
export function decodeBody(
  input: BodyInput,
  contentType: string | undefined,
  bytes: Buffer,
  problems: string[],
): { body?: DecodedBody; index: number; validationValue?: unknown } {
  if (bytes.length === 0) {
    if (input.required) problems.push(`the request body is required (${input.mediaTypes.join(", ")}); none was sent`);
    return { index: -1 };
  }
  if (input.mediaTypes.length === 0) {
    problems.push(`the operation takes no request body; got ${bytes.length} bytes${contentType ? ` of ${contentType}` : ""}`);
    return { index: -1 };
  }
  if (contentType === undefined || contentType === "") {
    problems.push(`the request body has no Content-Type; the spec takes ${input.mediaTypes.join(", ")}`);
    return { index: -1 };
  }
  const index = matchMediaType(input.mediaTypes, contentType);
  if (index < 0) {
    problems.push(`Content-Type ${essence(contentType)}; the spec takes ${input.mediaTypes.join(", ")}`);
    return { index: -1 };
  }
  const mediaType = input.mediaTypes[index]!;
  const media = input.content[mediaType] ?? {};
  // A wildcard in the spec (`*/*`) decodes by what was sent.
  const decodeAs = mediaType.includes("*") ? contentType : mediaType;
  const base = { mediaType, contentType };
  if (isJsonMediaType(decodeAs)) {
    const source = text(bytes, "the JSON body", problems);
    const value = source === undefined ? undefined : parseJson(source, "the body", problems);
    return { body: { ...base, value }, index, validationValue: value };
  }
  if (essence(decodeAs) === "multipart/form-data") {
    const decoded = decodeMultipart(media, contentType, bytes, problems);
    if (!decoded) return { index };
    return { body: { ...base, value: decoded.fields, parts: decoded.parts }, index, validationValue: forValidation(decoded.fields) };
  }
  if (essence(decodeAs) === "application/x-www-form-urlencoded") {
    const value = decodeForm(media, bytes, problems);
    return { body: { ...base, value }, index, validationValue: value };
  }
  if (essence(decodeAs).startsWith("text/")) {
    const value = text(bytes, "the text body", problems);
    return { body: { ...base, value }, index, validationValue: value };
  }
  const value = new Uint8Array(bytes);
  const stringSchema = isObject(media.schema) && (media.schema.type === "string" || media.schema.type === undefined);
  return { body: { ...base, value }, index, validationValue: stringSchema ? bytes.toString("latin1") : undefined };
}
