/**
 * Finds the tagged functions of a file and every misuse, without changing anything: the oxc twin of
 * ../find-tagged.ts: the decisions are ../rules.ts, the messages ../messages.ts, shared by both; a differential
 * test holds the two equal.
 */
import { InjectClientDiagnostic, type InjectClientDiagnosticCode } from "../diagnostics.js";
import { misuse } from "../messages.js";
import { hasTagLine, RUNTIME_MODULE } from "../tag.js";
import { forEachChild, isFunctionLike, skipWrappers, staticName, type AstNode, type ParsedFile } from "./ast.js";
import { fileScope, keyFromAnnotation, type ClientKey, type FileScope, type KeyLookup } from "./keys.js";
import { locateClient, type ClientBinding } from "./locate-client.js";
import { anyWithin } from "./offsets.js";
import { decideKey, judgeSubject, type SubjectShape } from "../rules.js";

/** A function to rewrite: its parameters and body are those of `fn` (a method's value, for methods). */
export interface Target {
  fn: AstNode;
  binding: ClientBinding;
}

export interface Finding {
  node: AstNode;
  code: InjectClientDiagnosticCode;
  message: string;
}

export interface Analysis {
  targets: Target[];
  findings: Finding[];
  /** The local names `injected` is imported (or required) by. */
  injectedNames: ReadonlySet<string>;
}

/** How `injected` is reachable: imported (or required) names and runtime namespaces. */
interface RuntimeImports {
  injectedNames: Set<string>;
  namespaces: Set<string>;
}

/** `require("inject-client/runtime")`, also inside an interop helper (`__importStar(require(…))`), as CommonJS emit writes it. */
function isRuntimeRequire(node: AstNode | null | undefined): boolean {
  if (!node || node.type !== "CallExpression") return false;
  const [first] = node.arguments as AstNode[];
  if (node.callee.type === "Identifier" && node.callee.name === "require") return first?.type === "Literal" && first.value === RUNTIME_MODULE;
  return node.arguments.length === 1 && isRuntimeRequire(first);
}

function collectRuntimeImports(program: AstNode): RuntimeImports {
  const found: RuntimeImports = { injectedNames: new Set(), namespaces: new Set() };
  for (const statement of program.body as AstNode[]) {
    if (statement.type === "ImportDeclaration") {
      // `import type` declarations are erased whole.
      if (statement.importKind === "type" || statement.source.value !== RUNTIME_MODULE) continue;
      for (const specifier of statement.specifiers as AstNode[]) {
        if (specifier.type === "ImportNamespaceSpecifier") found.namespaces.add(specifier.local.name);
        else if (specifier.type === "ImportSpecifier" && specifier.importKind !== "type" && staticName(specifier.imported) === "injected") {
          found.injectedNames.add(specifier.local.name);
        }
      }
    } else if (statement.type === "VariableDeclaration") {
      for (const declarator of statement.declarations as AstNode[]) {
        if (!isRuntimeRequire(declarator.init)) continue;
        if (declarator.id.type === "Identifier") found.namespaces.add(declarator.id.name);
        else if (declarator.id.type === "ObjectPattern") {
          for (const property of declarator.id.properties as AstNode[]) {
            if (property.type === "Property" && staticName(property.key, property.computed) === "injected" && property.value.type === "Identifier") {
              found.injectedNames.add(property.value.name);
            }
          }
        }
      }
    }
  }
  return found;
}

/** `ns.injected`, and CommonJS emit's `(0, ns.injected)`. */
function namespaceMember(callee: AstNode): AstNode | undefined {
  let current = callee;
  if (current.type === "ParenthesizedExpression" && current.expression.type === "SequenceExpression") {
    const [zero, member] = current.expression.expressions as AstNode[];
    if (current.expression.expressions.length === 2 && zero!.type === "Literal" && zero!.value === 0) current = member!;
  }
  if (current.type === "MemberExpression" && !current.computed && current.object.type === "Identifier" && current.property.type === "Identifier") {
    return current;
  }
  return undefined;
}

/** The local name an `injected()` call reaches the runtime through. */
export function placeholderName(call: AstNode): string | undefined {
  if (call.callee.type === "Identifier") return call.callee.name as string;
  return namespaceMember(call.callee)?.object.name as string | undefined;
}

function isInjectedCall(node: AstNode, imports: RuntimeImports, anyBareName: boolean): boolean {
  if (node.type !== "CallExpression" || node.arguments.length > 1 || node.arguments.some((argument: AstNode) => argument.type === "SpreadElement"))
    return false;
  const callee = node.callee as AstNode;
  if (callee.type === "Identifier") return imports.injectedNames.has(callee.name) || (anyBareName && callee.name === "injected");
  const member = namespaceMember(callee);
  return member !== undefined && imports.namespaces.has(member.object.name) && member.property.name === "injected";
}

/** TypeScript's SyntaxKind names for the ESTree nodes that differ, so messages read as tspc's do. */
const TYPESCRIPT_KIND: Record<string, string> = {
  VariableDeclarator: "VariableDeclaration",
  VariableDeclaration: "VariableStatement",
  BlockStatement: "Block",
  ExportNamedDeclaration: "ExportDeclaration",
  ExportAllDeclaration: "ExportDeclaration",
  PropertyDefinition: "PropertyDeclaration",
  AccessorProperty: "PropertyDeclaration",
  StaticBlock: "ClassStaticBlockDeclaration",
  SwitchCase: "CaseClause",
  TSModuleDeclaration: "ModuleDeclaration",
  TSConstructSignatureDeclaration: "ConstructSignature",
  TSCallSignatureDeclaration: "CallSignature",
  TSIndexSignature: "IndexSignature",
  TSPropertySignature: "PropertySignature",
  TSImportEqualsDeclaration: "ImportEqualsDeclaration",
  TSExportAssignment: "ExportAssignment",
  TSNamespaceExportDeclaration: "NamespaceExportDeclaration",
  TSEnumMember: "EnumMember",
  Decorator: "Decorator",
};

/** Nodes TypeScript calls expressions (the rest are declarations, statements, members). */
function isExpression(node: AstNode): boolean {
  if (/(Expression|Literal)$/.test(node.type) && node.type !== "TSEmptyBodyFunctionExpression") return true;
  return ["Identifier", "Literal", "Super", "JSXElement", "JSXFragment", "PrivateIdentifier", "MetaProperty"].includes(node.type);
}

/**
 * Whether `fn` is this transform's output already: its body opens (after any directives) with the
 * rewrite's `const resolved = <runtime>.getOrCreateClient(client…)`. The tag stays in the output, so a
 * second pass (the post-emit CLI run again over files an incremental tsc did not emit anew) would wrap
 * the function twice, the outer wrapper unkeyed.
 */
function isRewritten(fn: AstNode, binding: ClientBinding): boolean {
  const body = fn.body as AstNode | null | undefined;
  if (body?.type !== "BlockStatement") return false;
  const first = (body.body as AstNode[]).find((statement) => typeof statement.directive !== "string");
  if (first?.type !== "VariableDeclaration" || (first.declarations as AstNode[]).length !== 1) return false;
  const call = (first.declarations as AstNode[])[0]!.init as AstNode | null;
  const callee = call?.type === "CallExpression" ? (call.callee as AstNode) : undefined;
  const argument = (call?.arguments as AstNode[] | undefined)?.[0];
  return (
    callee?.type === "MemberExpression" &&
    callee.computed === false &&
    (callee.object as AstNode).type === "Identifier" &&
    staticName(callee.property as AstNode) === "getOrCreateClient" &&
    argument?.type === "Identifier" &&
    argument.name === binding.local.name
  );
}

/** "a class declaration", "an interface declaration", "a value (`42`)": for messages. */
function describe(node: AstNode, code: string): string {
  if (isExpression(node)) {
    const text = code.slice(node.start, node.end).replace(/\s+/g, " ");
    return `a value (\`${text.length > 40 ? `${text.slice(0, 40)}…` : text}\`)`;
  }
  let kind = TYPESCRIPT_KIND[node.type] ?? node.type.replace(/^TS/, "");
  if (node.type === "Property" && node.shorthand) kind = "ShorthandPropertyAssignment";
  else if (node.type === "Property") kind = "PropertyAssignment";
  kind = kind.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`;
}

/** What a tag in front of `node` is about: `const f = async () => …` tags the arrow; `export …` its declaration. */
function taggedSubjects(node: AstNode): AstNode[] {
  switch (node.type) {
    case "ExportNamedDeclaration":
      return node.declaration ? taggedSubjects(node.declaration as AstNode) : [node];
    case "ExportDefaultDeclaration": {
      const declaration = node.declaration as AstNode;
      return /Declaration$|^TSDeclareFunction$/.test(declaration.type) ? [declaration] : [skipWrappers(declaration)];
    }
    case "TSExportAssignment":
      return [skipWrappers(node.expression as AstNode)];
    case "VariableDeclaration":
      return (node.declarations as AstNode[]).map((declarator) => (declarator.init ? skipWrappers(declarator.init) : declarator));
    case "VariableDeclarator":
      return node.init ? [skipWrappers(node.init)] : [node];
    case "Property":
      return node.method || node.kind !== "init" || node.shorthand ? [node] : [skipWrappers(node.value as AstNode)];
    case "PropertyDefinition":
    case "AccessorProperty":
      return node.value ? [skipWrappers(node.value as AstNode)] : [node];
    case "ExpressionStatement":
      return node.expression.type === "AssignmentExpression" && node.expression.operator === "="
        ? [skipWrappers(node.expression.right as AstNode)]
        : [node];
    default:
      return [node];
  }
}

/** Where the tags are: each tag comment keyed by the offset of the first token after it. */
function tagPositions(code: string, comments: ParsedFile["comments"]): Map<number, true> {
  const positions = new Map<number, true>();
  for (let index = 0; index < comments.length; index++) {
    const comment = comments[index]!;
    if (comment.type !== "Block" || !comment.value.startsWith("*") || !hasTagLine(comment.value.slice(1))) continue;
    // The next token: past whitespace and any comments that follow (they share the node's leading trivia).
    let at = comment.end;
    for (let next = index + 1; ; next++) {
      while (at < code.length && /\s/.test(code[at]!)) at++;
      const following = comments[next];
      if (!following || following.start !== at) break;
      at = following.end;
    }
    positions.set(at, true);
  }
  return positions;
}

export interface AnalyzeOptions {
  /**
   * The key of the n-th tagged function, when this file's own syntax cannot say (emitted JavaScript has
   * no annotations): the post-emit CLI reads them from the TypeScript source, in the same order.
   */
  keyFor?: (index: number) => ClientKey | undefined;
}

const IDENTIFIER_PART = /[\p{ID_Continue}$\u200c\u200d]/u;

/** Offsets of `name` in the text where it stands as a whole word (in code, comments or strings alike). */
function wordOffsets(code: string, name: string, into: number[]): void {
  for (let at = code.indexOf(name); at !== -1; at = code.indexOf(name, at + name.length)) {
    const before = at > 0 ? code[at - 1]! : "";
    const after = code[at + name.length] ?? "";
    if (!(before && IDENTIFIER_PART.test(before)) && !(after && IDENTIFIER_PART.test(after))) into.push(at);
  }
}

/**
 * The offsets the walk must reach: where each tag's node starts, and every word that can name
 * `injected` (its local names; `ns.injected` spells it too). A subtree containing none of them holds
 * nothing the analysis reports, so the walk skips it: in a typical file it visits a few paths, not
 * every node.
 */
class Waypoints {
  readonly #offsets: number[];
  constructor(tags: Iterable<number>, code: string, names: Iterable<string>) {
    const offsets = [...tags];
    for (const name of new Set(["injected", ...names])) wordOffsets(code, name, offsets);
    this.#offsets = offsets.sort((a, b) => a - b);
  }
  /** Whether some offset lies in [start, end). */
  within(start: number, end: number): boolean {
    return anyWithin(this.#offsets, start, end);
  }
}

export function analyze(code: string, parsed: ParsedFile, options: AnalyzeOptions = {}): Analysis {
  const pending = tagPositions(code, parsed.comments);
  const imports = collectRuntimeImports(parsed.program);
  const analysis: Analysis = { targets: [], findings: [], injectedNames: imports.injectedNames };
  const waypoints = new Waypoints(pending.keys(), code, imports.injectedNames);
  const parents = new Map<AstNode, AstNode>();
  const excusedCalls = new Set<AstNode>();
  let scope: FileScope | undefined;

  const report = (node: AstNode, diagnostic: InjectClientDiagnosticCode, message: string) =>
    analysis.findings.push({ node, code: diagnostic, message: `@injectClient: ${message}` });

  function excuseClientInitializer(parameters: AstNode[]): ClientBinding | undefined {
    const search = locateClient(parameters);
    if (!search.found) return undefined;
    const initializer = search.binding.initializer;
    const call = initializer && skipWrappers(initializer);
    if (call && isInjectedCall(call, imports, true)) {
      excusedCalls.add(call);
      return { ...search.binding, placeholder: call };
    }
    return search.binding;
  }

  function functionName(subject: AstNode, fn: AstNode): string {
    if (subject !== fn || subject.type === "TSMethodSignature") {
      // A method: its key, when it is a plain name.
      if (subject.key?.type === "PrivateIdentifier") return `#${subject.key.name}`;
      if (subject.key?.type === "Identifier" && !subject.computed) return subject.key.name as string;
      return "the function";
    }
    if (fn.id?.type === "Identifier") return fn.id.name as string;
    const parent = parents.get(fn);
    if (parent?.type === "VariableDeclarator" && parent.init === fn && parent.id.type === "Identifier") return parent.id.name as string;
    if (
      parent?.type === "Property" &&
      parent.value === fn &&
      !parent.method &&
      parent.kind === "init" &&
      !parent.computed &&
      parent.key.type === "Identifier"
    ) {
      return parent.key.name as string;
    }
    return "the function";
  }

  /** What the tag sits on, in the shared rule's terms (../rules.ts); the client's initializer excused on the way. */
  function shapeOf(subject: AstNode): { shape: SubjectShape<AstNode>; fn: AstNode; binding?: ClientBinding } {
    const isMethod =
      subject.type === "MethodDefinition" ||
      subject.type === "TSAbstractMethodDefinition" ||
      (subject.type === "Property" && (subject.method || subject.kind !== "init"));
    const fn = isMethod ? (subject.value as AstNode) : subject;
    const accessorKind = isMethod || subject.type === "TSMethodSignature" ? (subject.kind as string) : "method";
    if (accessorKind === "constructor" || accessorKind === "get" || accessorKind === "set") {
      excuseClientInitializer((isMethod ? fn.params : subject.params) as AstNode[]);
      return { shape: { kind: accessorKind, name: functionName(subject, fn) }, fn };
    }
    if (
      subject.type === "TSMethodSignature" ||
      subject.type === "TSCallSignatureDeclaration" ||
      subject.type === "TSDeclareFunction" ||
      subject.type === "TSAbstractMethodDefinition" ||
      (isMethod && !fn.body)
    ) {
      excuseClientInitializer((isMethod ? fn.params : subject.params) as AstNode[]);
      const name =
        subject.type === "TSCallSignatureDeclaration"
          ? "the function"
          : isMethod || subject.type === "TSMethodSignature"
            ? functionName(subject, fn)
            : functionName(fn, fn);
      return { shape: { kind: "bodiless", name }, fn };
    }
    if (!isMethod && subject.type !== "FunctionDeclaration" && subject.type !== "FunctionExpression" && subject.type !== "ArrowFunctionExpression") {
      return { shape: { kind: "other", described: describe(subject, code) }, fn };
    }
    const name = functionName(subject, fn);
    const binding = excuseClientInitializer(fn.params as AstNode[]);
    return {
      shape: {
        kind: "function",
        name,
        async: fn.async === true,
        generator: fn.generator === true,
        client: binding ? { found: true } : locateClient(fn.params as AstNode[]),
      },
      fn,
      binding,
    };
  }

  function checkSubject(subject: AstNode, where: AstNode): void {
    const { shape, fn, binding } = shapeOf(subject);
    const verdict = judgeSubject(shape);
    if (!verdict.rewrite) {
      report(verdict.node ?? where, verdict.code, verdict.message);
      return;
    }
    if (shape.kind !== "function" || !binding || isRewritten(fn, binding) || !resolveKey(binding, shape.name)) return;
    analysis.targets.push({ fn, binding });
  }

  let resolved = 0;
  function resolveKey(binding: ClientBinding, name: string): boolean {
    const placeholder = binding.placeholder;
    const index = resolved++;
    const argument = placeholder?.arguments.length === 1 ? { kind: "argument" as const, expression: placeholder.arguments[0] as AstNode } : undefined;
    const decision = decideKey(placeholder && { argument }, () => givenOrAnnotatedKey(binding, index), name);
    if (!decision.ok) {
      report(placeholder!, decision.code, decision.message);
      return false;
    }
    if (decision.key) binding.key = decision.key;
    return true;
  }

  /** The key the post-emit door recorded for this function (its TypeScript source had the annotation), else the annotation's. */
  function givenOrAnnotatedKey(binding: ClientBinding, index: number): KeyLookup {
    const given = options.keyFor?.(index);
    if (given && given.kind !== "argument") return { found: true, key: given.kind === "import" ? { ...given, declaration: undefined } : given };
    scope ??= fileScope(parsed.program);
    return keyFromAnnotation(code, scope, binding);
  }

  function visit(node: AstNode, parent: AstNode | undefined): void {
    if (parent) parents.set(node, parent);
    // The outermost node starting at the token after a tag owns it (pre-order: parents come first).
    if (pending.size > 0 && parent && pending.delete(node.start)) {
      // The walk has not reached the subjects yet: link them to their parents (`const f = …`, `f: …`) for their names.
      linkParents(node, 3);
      for (const subject of taggedSubjects(node)) checkSubject(subject, node);
    }
    if (isInjectedCall(node, imports, false) && !excusedCalls.has(node)) {
      const inParameter = parent !== undefined && isParameterOf(node, parent);
      report(node, InjectClientDiagnostic.InjectedOutsideTaggedFunction, misuse.injectedOutside(inParameter));
    }
    forEachChild(node, (child) => {
      if (waypoints.within(child.start, child.end)) visit(child, node);
    });
  }

  function linkParents(node: AstNode, depth: number): void {
    if (depth === 0) return;
    forEachChild(node, (child) => {
      parents.set(child, node);
      linkParents(child, depth - 1);
    });
  }

  /** `function f(client = injected())`: the call is a parameter's default (TypeScript's `isParameter(call.parent)`). */
  function isParameterOf(call: AstNode, parent: AstNode): boolean {
    if (parent.type !== "AssignmentPattern" || parent.right !== call) return false;
    const owner = parents.get(parent);
    const parameter = owner?.type === "TSParameterProperty" ? owner : parent;
    const holder = owner?.type === "TSParameterProperty" ? parents.get(owner) : owner;
    return holder !== undefined && isFunctionLike(holder) && (holder.params as AstNode[]).includes(parameter);
  }

  visit(parsed.program, undefined);
  return analysis;
}
