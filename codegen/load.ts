// Load and validate: a file path or http(s) URL in, one bundled OpenAPI 3.x document out.
// Reading, parsing and $ref bundling are @redocly/openapi-core's (the loader openapi-typescript uses);
// this module only turns each failure into one line that says what is wrong and where. What a spec may
// read and cost is the ref policy's and the budget's (ref-policy.ts, spec-limits.ts).
import path from "node:path";
import { bundle, createConfig, lintDocument, parseYaml, Source, type Config, type NormalizedProblem } from "@redocly/openapi-core";
import type { OpenAPI3 } from "openapi-typescript";
import { ConfinedResolver } from "./confined-resolver.js";
import { CodegenError, oneLine } from "./errors.js";
import { HTTP_METHODS } from "./http-methods.js";
import { encodePointerSegment, resolveLocalPointer } from "./json-pointer.js";
import { isUrl, parseSpecUrl, redactUrl, SpecUrlError, type SpecUrl } from "./load-url.js";
import { fetchWithin, FetchFailure, readFileWithin, type Fetched } from "./read-source.js";
import { fileRefPolicy, OPT_IN_HINT, urlRefPolicy, type RefPolicy } from "./ref-policy.js";
import { SpecBudget, SpecLimitError, type SpecLimits } from "./spec-limits.js";

export interface LoadedSpec {
  document: OpenAPI3;
  /** How the input is named in messages and in the generated header (a URL without credentials). */
  displayName: string;
  /** The Redocly config used to bundle; openapi-typescript reuses it. */
  redocly: Config;
}

export interface LoadOptions {
  cwd?: string;
  /** Let `$ref`s read any file and fetch any URL (default: the spec's folder, or its origin). */
  allowExternalRefs?: boolean;
  /** Tighter (or looser) limits than DEFAULT_SPEC_LIMITS. */
  limits?: Partial<SpecLimits>;
}

interface RootSource {
  text: string;
  /** The file's absolute path, or the URL the body came from (after redirects, without credentials). */
  absoluteRef: string;
  displayName: string;
  policy: RefPolicy;
  credentials?: { origin: string; authorization: string };
}

async function readRoot(input: string, cwd: string, budget: SpecBudget, allowExternalRefs: boolean): Promise<RootSource> {
  if (isUrl(input)) {
    const displayName = redactUrl(input);
    let target: SpecUrl;
    try {
      target = parseSpecUrl(input);
    } catch (error) {
      if (error instanceof SpecUrlError) throw new CodegenError(error.message, displayName);
      throw error;
    }
    const credentials = target.authorization ? { origin: target.url.origin, authorization: target.authorization } : undefined;
    let fetched: Fetched;
    try {
      fetched = await fetchWithin(target.url, {
        budget,
        subject: "spec",
        location: displayName,
        credentials,
        // The spec's origin is the one the user named: its credentials and its refs stay there.
        redirectRefusal: (_from, to) =>
          to.origin === target.url.origin
            ? undefined
            : `the spec URL redirects to another origin, ${redactUrl(to.href)}: pass that URL as the input if you trust it`,
      });
    } catch (error) {
      if (!(error instanceof FetchFailure)) throw error;
      if (error.kind === "unreachable")
        throw new CodegenError(`cannot reach the spec URL: ${error.message}. Is the server running and the URL right?`, displayName);
      if (error.kind === "status") throw new CodegenError(`the spec URL answered ${error.message}`, displayName);
      if (error.kind === "slow") throw new CodegenError(`cannot read the spec URL: ${error.message}`, displayName);
      throw new CodegenError(error.message, displayName);
    }
    return { text: fetched.text, absoluteRef: fetched.url.href, displayName, policy: urlRefPolicy(fetched.url, allowExternalRefs), credentials };
  }
  const absolute = path.resolve(cwd, input);
  let text: string;
  try {
    text = await readFileWithin(absolute, budget, "spec", input);
  } catch (error) {
    if (error instanceof SpecLimitError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory, not a file"
          : code === "EACCES"
            ? "permission denied"
            : (error as Error).message;
    throw new CodegenError(`cannot read the spec: ${why}`, absolute);
  }
  return { text, absoluteRef: absolute, displayName: input, policy: await fileRefPolicy(absolute, allowExternalRefs) };
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

/**
 * Reads, parses, checks the version, bundles external `$ref`s (confined to the spec's folder or origin
 * unless `allowExternalRefs`) and checks that every `$ref` resolves, all within the spec limits.
 */
export async function loadSpec(input: string, options: LoadOptions = {}): Promise<LoadedSpec> {
  const budget = new SpecBudget(options.limits);
  const root = await readRoot(input, options.cwd ?? process.cwd(), budget, options.allowExternalRefs ?? false);
  const { text, absoluteRef, displayName } = root;
  const parsed = parse(text, displayName);
  // Before anything walks the document: Redocly and openapi-typescript walk YAML aliases expanded.
  budget.spendValues(parsed, "spec", displayName);
  checkVersion(parsed, displayName);

  // Duplicate operationIds are reported by modelOperations, which names both operations.
  const redocly = await createConfig({ rules: { "operation-operationId-unique": "off" } }, { extends: ["minimal"] });
  const resolver = new ConfinedResolver(root.policy, budget, root.credentials);
  const doc = { source: new Source(absoluteRef, text, "application/json"), parsed };
  const problemsAt = new ProblemLocator(resolver, absoluteRef, displayName, parsed);
  let result: Awaited<ReturnType<typeof bundle>>;
  try {
    result = await bundle({ config: redocly, dereference: false, doc, externalRefResolver: resolver });
  } catch (error) {
    await throwIfConfinedOrLimited(resolver, [], problemsAt, displayName);
    // Redocly's resolver throws (rather than reports) on a $ref chain that comes back to itself.
    const cycle = findRefCycle(parsed);
    if (cycle)
      throw new CodegenError(
        `circular $ref: ${cycle.chain.map((ref) => `"${ref}"`).join(" -> ")} refers back to itself`,
        `${displayName}${cycle.pointer}`,
      );
    throw new CodegenError(`cannot bundle the spec: ${oneLine((error as Error).message)}`, displayName);
  }
  await throwIfConfinedOrLimited(resolver, result.problems, problemsAt, displayName);
  await throwFirstError(result.problems, problemsAt);
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
  const lint = await lintDocument({ document: doc, config: redocly.styleguide, externalRefResolver: resolver });
  await throwIfConfinedOrLimited(resolver, lint, problemsAt, displayName);
  await throwFirstError(lint, problemsAt);
  return { document, displayName, redocly };
}

/** Where a problem is (document + JSON pointer, as shown), and the ref text at that place. */
class ProblemLocator {
  constructor(
    private readonly resolver: ConfinedResolver,
    private readonly rootRef: string,
    private readonly displayName: string,
    private readonly rootParsed: unknown,
  ) {}

  private documentName(absoluteRef: string): string {
    if (absoluteRef === this.rootRef) return this.displayName;
    return isUrl(absoluteRef) ? redactUrl(absoluteRef) : absoluteRef;
  }

  where(problem: NormalizedProblem): string {
    const location = problem.location?.[0];
    const name = this.documentName(location?.source?.absoluteRef ?? this.rootRef);
    return location?.pointer ? `${name}${location.pointer}` : name;
  }

  /** The node a problem points at, in whichever document it is. */
  async node(problem: NormalizedProblem): Promise<unknown> {
    const location = problem.location?.[0];
    if (!location?.pointer) return undefined;
    const absoluteRef = location.source?.absoluteRef ?? this.rootRef;
    let parsed = this.rootParsed;
    if (absoluteRef !== this.rootRef) {
      const cached = await this.resolver.cache.get(absoluteRef)?.catch(() => undefined);
      parsed = cached && "parsed" in cached ? cached.parsed : undefined;
    }
    return resolveLocalPointer(parsed, location.pointer);
  }
}

/** A limit reached or a refused ref ends the load, whatever else Redocly reported. */
async function throwIfConfinedOrLimited(
  resolver: ConfinedResolver,
  problems: readonly NormalizedProblem[],
  at: ProblemLocator,
  displayName: string,
): Promise<void> {
  if (resolver.limitReached) throw resolver.limitReached;
  if (resolver.refused.length === 0) return;
  for (const problem of problems) {
    const refused = resolver.refused.find((candidate) => problem.message === `Can't resolve $ref: ${candidate.message}`);
    if (!refused) continue;
    const node = (await at.node(problem)) as Record<string, unknown> | string | undefined;
    const [kind, text] =
      typeof node === "string"
        ? ["mapping", node]
        : typeof node?.$ref === "string"
          ? ["$ref", node.$ref]
          : typeof node?.externalValue === "string"
            ? ["externalValue", node.externalValue]
            : ["$ref", refused.absoluteRef];
    throw new CodegenError(`${kind} "${text}" is refused: ${refused.reason}${refused.optIn ? `; ${OPT_IN_HINT}` : ""}`, at.where(problem));
  }
  // Redocly resolves refs in places it does not report on (extensions): refused all the same.
  const [refused] = resolver.refused;
  const shown = isUrl(refused!.absoluteRef) ? redactUrl(refused!.absoluteRef) : refused!.absoluteRef;
  throw new CodegenError(`a $ref to "${shown}" is refused: ${refused!.reason}${refused!.optIn ? `; ${OPT_IN_HINT}` : ""}`, displayName);
}

async function throwFirstError(problems: readonly NormalizedProblem[], at: ProblemLocator): Promise<void> {
  const failure = problems.find((problem) => problem.severity === "error");
  if (!failure) return;
  let message = oneLine(failure.message);
  const ref = ((await at.node(failure)) as { $ref?: unknown } | undefined)?.$ref;
  if (/resolve \$ref/i.test(message) && typeof ref === "string") message = message.replace(/\$ref/, `$ref "${ref}"`);
  throw new CodegenError(message, at.where(failure));
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
        const target = resolveLocalPointer(document, current) as Record<string, unknown> | undefined;
        current = target && typeof target === "object" && typeof target.$ref === "string" && target.$ref.startsWith("#") ? target.$ref : undefined;
      }
      if (current !== undefined) {
        const loop = chain.slice(chain.indexOf(current));
        return { chain: loop, pointer: `${loop.at(-1)}/$ref` };
      }
    }
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i -= 1) stack.push([entries[i]![1], `${pointer}/${encodePointerSegment(entries[i]![0])}`]);
  }
  return undefined;
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
  if ([...refs].every((ref) => resolveLocalPointer(document, ref) !== undefined)) return undefined;
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
    if (typeof ref === "string" && resolveLocalPointer(document, ref) === undefined) return { ref, pointer: `${pointer}/$ref` };
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i -= 1) stack.push([entries[i]![1], `${pointer}/${encodePointerSegment(entries[i]![0])}`]);
  }
  return undefined;
}
