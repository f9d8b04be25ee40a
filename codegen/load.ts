// Load and validate: a file path or http(s) URL in, one bundled OpenAPI 3.x document out.
// Reading, parsing and $ref bundling are @redocly/openapi-core's (the loader openapi-typescript uses);
// this module only turns each failure into one line that says what is wrong and where.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { BaseResolver, bundle, createConfig, lintDocument, parseYaml, Source, type Config, type NormalizedProblem } from "@redocly/openapi-core";
import type { OpenAPI3 } from "openapi-typescript";
import { CodegenError, oneLine } from "./errors.js";
import { isUrl, redactUrl } from "./load-url.js";

export interface LoadedSpec {
  document: OpenAPI3;
  /** How the input is named in messages and in the generated header (a URL without credentials). */
  displayName: string;
  /** The Redocly config used to bundle; openapi-typescript reuses it. */
  redocly: Config;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const FETCH_TIMEOUT_MS = 30_000;

async function readText(input: string, cwd: string): Promise<{ text: string; absoluteRef: string; displayName: string }> {
  if (isUrl(input)) {
    const displayName = redactUrl(input);
    // fetch refuses URLs with credentials: send them as Basic auth (as a browser would), never echo them.
    const url = new URL(input);
    const headers: Record<string, string> = { accept: "application/json, application/yaml;q=0.9, */*;q=0.5" };
    if (url.username || url.password) {
      headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`;
      url.username = "";
      url.password = "";
    }
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = (error as Error).name === "TimeoutError" ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
      throw new CodegenError(`cannot reach the spec URL: ${why}. Is the server running and the URL right?`, displayName);
    }
    if (!response.ok) {
      throw new CodegenError(`the spec URL answered HTTP ${response.status} ${response.statusText}`.trim(), displayName);
    }
    return { text: await response.text(), absoluteRef: url.href, displayName };
  }
  const absolute = path.resolve(cwd, input);
  try {
    return { text: await readFile(absolute, "utf8"), absoluteRef: absolute, displayName: input };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory, not a file" : code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new CodegenError(`cannot read the spec: ${why}`, absolute);
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `${line}:${offset - before.lastIndexOf("\n")}`;
}

function parse(text: string, displayName: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed === "") throw new CodegenError("the spec is empty", displayName);
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const position = /position (\d+)/.exec(message);
      const where = position ? `${displayName}:${lineAndColumn(text, Number(position[1]))}` : displayName;
      throw new CodegenError(`invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, "")}`, where);
    }
  }
  try {
    return parseYaml(text);
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message.split("\n")[0];
    const where = mark ? `${displayName}:${mark.line + 1}:${mark.column + 1}` : displayName;
    throw new CodegenError(`invalid YAML: ${reason}`, where);
  }
}

function checkVersion(parsed: unknown, displayName: string): asserts parsed is OpenAPI3 {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CodegenError("the spec is not an OpenAPI document: expected an object with an `openapi` field", displayName);
  }
  const record = parsed as Record<string, unknown>;
  if (record.swagger !== undefined) {
    throw new CodegenError(
      `Swagger ${String(record.swagger)} is not supported: only OpenAPI 3.0 and 3.1 are. Convert the spec first, e.g. \`npx swagger2openapi spec.json -o openapi.json\` or https://converter.swagger.io`,
      displayName,
    );
  }
  const version = typeof record.openapi === "string" ? record.openapi : undefined;
  if (version === undefined) {
    throw new CodegenError("the spec is not an OpenAPI document: it has no `openapi` version field", displayName);
  }
  if (!/^3\.[01](\.|$)/.test(version)) {
    throw new CodegenError(`OpenAPI ${version} is not supported: only 3.0 and 3.1 are`, displayName);
  }
}

export function countOperations(document: OpenAPI3): number {
  let count = 0;
  for (const item of Object.values(document.paths ?? {})) {
    if (!item || typeof item !== "object") continue;
    for (const method of HTTP_METHODS) if ((item as Record<string, unknown>)[method]) count += 1;
  }
  return count;
}

/** Reads, parses, checks the version, bundles external `$ref`s and checks that every `$ref` resolves. */
export async function loadSpec(input: string, options: { cwd?: string } = {}): Promise<LoadedSpec> {
  const { text, absoluteRef, displayName } = await readText(input, options.cwd ?? process.cwd());
  const parsed = parse(text, displayName);
  checkVersion(parsed, displayName);

  // Duplicate operationIds are reported by modelOperations, which names both operations.
  const redocly = await createConfig({ rules: { "operation-operationId-unique": "off" } }, { extends: ["minimal"] });
  const resolver = new BaseResolver(redocly.resolve);
  const doc = { source: new Source(absoluteRef, text, "application/json"), parsed };
  let result: Awaited<ReturnType<typeof bundle>>;
  try {
    result = await bundle({ config: redocly, dereference: false, doc, externalRefResolver: resolver });
  } catch (error) {
    // Redocly's resolver throws (rather than reports) on a $ref chain that comes back to itself.
    const cycle = findRefCycle(parsed);
    if (cycle) throw new CodegenError(`circular $ref: ${cycle.chain.map((ref) => `"${ref}"`).join(" -> ")} refers back to itself`, `${displayName}${cycle.pointer}`);
    throw new CodegenError(`cannot bundle the spec: ${oneLine((error as Error).message)}`, displayName);
  }
  throwFirstError(result.problems, parsed, displayName);
  const document = result.bundle.parsed as OpenAPI3;
  const unresolved = findUnresolvedRef(document);
  if (unresolved) {
    throw new CodegenError(`cannot resolve $ref "${unresolved.ref}"`, `${displayName}${unresolved.pointer}`);
  }
  if (countOperations(document) === 0) {
    throw new CodegenError("the spec has no operations: `paths` is empty or has no get/put/post/delete/options/head/patch/trace", displayName);
  }
  // The checks openapi-typescript's own loader makes (Redocly's "minimal" ruleset: structure, servers),
  // made once here: emitTypes hands the bundled document straight to openapi-typescript's transform.
  throwFirstError(await lintDocument({ document: doc, config: redocly.styleguide, externalRefResolver: resolver }), parsed, displayName);
  return { document, displayName, redocly };
}

function throwFirstError(problems: readonly NormalizedProblem[], parsed: unknown, displayName: string): void {
  const failure = problems.find((problem) => problem.severity === "error");
  if (!failure) return;
  const pointer = failure.location?.[0]?.pointer;
  let message = oneLine(failure.message);
  const ref = pointer ? (resolvePointer(parsed, pointer) as { $ref?: unknown } | undefined)?.$ref : undefined;
  if (/resolve \$ref/i.test(message) && typeof ref === "string") message = message.replace(/\$ref/, `$ref "${ref}"`);
  throw new CodegenError(message, pointer ? `${displayName}${pointer}` : displayName);
}

/** A chain of local `$ref`s that comes back to a ref already on it (`A -> B -> A`), where it closes. */
function findRefCycle(document: unknown): { chain: string[]; pointer: string } | undefined {
  const stack: Array<[unknown, string]> = [[document, "#"]];
  while (stack.length > 0) {
    const [node, pointer] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    const ref = (node as Record<string, unknown>).$ref;
    if (typeof ref === "string" && ref.startsWith("#")) {
      const chain: string[] = [];
      let current: string | undefined = ref;
      while (current !== undefined && !chain.includes(current)) {
        chain.push(current);
        const target = resolvePointer(document, current) as Record<string, unknown> | undefined;
        current = target && typeof target === "object" && typeof target.$ref === "string" && target.$ref.startsWith("#") ? target.$ref : undefined;
      }
      if (current !== undefined) {
        const loop = chain.slice(chain.indexOf(current));
        return { chain: loop, pointer: `${loop.at(-1)}/$ref` };
      }
    }
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i -= 1) stack.push([entries[i]![1], `${pointer}/${escapePointer(entries[i]![0])}`]);
  }
  return undefined;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const segment = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !(segment in node)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Redocly reports unresolvable external refs; a local `#/...` that points nowhere is caught here. */
function findUnresolvedRef(document: OpenAPI3): { ref: string; pointer: string } | undefined {
  // Fast path: every distinct $ref resolved once, no pointers built (most specs have no such ref).
  const refs = new Set<string>();
  const nodes: unknown[] = [document];
  while (nodes.length > 0) {
    const node = nodes.pop();
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      for (const item of node) nodes.push(item);
      continue;
    }
    const ref = (node as Record<string, unknown>).$ref;
    if (typeof ref === "string") refs.add(ref);
    for (const key in node) nodes.push((node as Record<string, unknown>)[key]);
  }
  if ([...refs].every((ref) => resolvePointer(document, ref) !== undefined)) return undefined;
  // Slow path: the first unresolved $ref in document order, with its pointer.
  const stack: Array<[unknown, string]> = [[document, "#"]];
  while (stack.length > 0) {
    const [node, pointer] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i -= 1) stack.push([node[i], `${pointer}/${i}`]);
      continue;
    }
    const ref = (node as Record<string, unknown>).$ref;
    if (typeof ref === "string" && resolvePointer(document, ref) === undefined) return { ref, pointer: `${pointer}/$ref` };
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i -= 1) stack.push([entries[i]![1], `${pointer}/${escapePointer(entries[i]![0])}`]);
  }
  return undefined;
}
