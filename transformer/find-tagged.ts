import type * as ts from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import { fileScope, keyFromAnnotation, type FileScope } from "./client-key.js";
import { diagnosticAt, InjectClientDiagnostic } from "./diagnostics.js";
import { misuse } from "./messages.js";
import { locateClient, type ClientBinding } from "./locate-client.js";
import { decideKey, judgeSubject, type SubjectShape } from "./rules.js";
import { RUNTIME_MODULE, tagOffsets, taggedCommentBefore } from "./tag.js";

/** A function the transformer rewrites. */
export type RewritableFunction = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

export interface Analysis {
  /** Tagged, async, with a body and a client binding: rewrite these (keyed by the original node). */
  targets: Map<ts.Node, ClientBinding>;
  /**
   * `inject-client/runtime` imports to rebuild, each with the bindings it keeps: those whose
   * `injected` (or runtime namespace) only served the placeholders the rewrite removes. TypeScript's
   * import elision still sees the original references and would keep them; and it does not elide
   * anything in a declaration a transformer rebuilt, so the kept bindings are exactly those that
   * exist at run time and are used as values (never a `type` specifier).
   */
  rebuiltImports: Map<ts.ImportDeclaration, Set<ImportBinding>>;
  diagnostics: ts.Diagnostic[];
}

export interface AnalysisOptions {
  /** The host's type checker (tspc has one; Vite's per-file transpile does not): tells imported classes from interfaces. */
  checker?: ts.TypeChecker;
  /** `verbatimModuleSyntax`: TypeScript keeps every non-type import as written, so the rebuilt imports do too. */
  verbatimModuleSyntax?: boolean;
}

/** What an import declaration binds: its default name, a namespace import, or a named specifier. */
export type ImportBinding = ts.Identifier | ts.NamespaceImport | ts.ImportSpecifier;

/** The runtime's value imports: every binding, and how `injected` is reachable (imported names, namespaces). */
interface RuntimeImports {
  injectedNames: Set<string>;
  namespaces: Set<string>;
  bindings: Map<string, ImportBinding[]>;
  declarations: Map<ts.ImportDeclaration, Array<[name: string, binding: ImportBinding]>>;
}

function collectRuntimeImports(tsInstance: TypeScriptApi, sourceFile: ts.SourceFile): RuntimeImports {
  const found: RuntimeImports = { injectedNames: new Set(), namespaces: new Set(), bindings: new Map(), declarations: new Map() };
  for (const statement of sourceFile.statements) {
    // `import type` declarations are erased whole: nothing there needs counting or rebuilding.
    if (!tsInstance.isImportDeclaration(statement) || !statement.importClause || statement.importClause.isTypeOnly) continue;
    if (!tsInstance.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== RUNTIME_MODULE) continue;
    const own: Array<[string, ImportBinding]> = [];
    const add = (name: string, binding: ImportBinding) => {
      own.push([name, binding]);
      const list = found.bindings.get(name);
      if (list) list.push(binding);
      else found.bindings.set(name, [binding]);
    };
    const { name, namedBindings } = statement.importClause;
    if (name) add(name.text, name);
    if (namedBindings && tsInstance.isNamespaceImport(namedBindings)) {
      found.namespaces.add(namedBindings.name.text);
      add(namedBindings.name.text, namedBindings);
    } else if (namedBindings) {
      for (const specifier of namedBindings.elements) {
        if (!specifier.isTypeOnly && (specifier.propertyName ?? specifier.name).text === "injected") found.injectedNames.add(specifier.name.text);
        add(specifier.name.text, specifier);
      }
    }
    found.declarations.set(statement, own);
  }
  return found;
}

/** Whether `node` only holds types: TypeScript erases every reference inside it. */
function isTypeOnlyContext(tsInstance: TypeScriptApi, node: ts.Node): boolean {
  // `extends ns.Base` of a class is a type node that is also a value reference; `implements X` is not.
  if (tsInstance.isTypeNode(node)) return !tsInstance.isExpressionWithTypeArguments(node);
  if (tsInstance.isHeritageClause(node)) return node.token === tsInstance.SyntaxKind.ImplementsKeyword;
  if (tsInstance.isInterfaceDeclaration(node) || tsInstance.isTypeAliasDeclaration(node)) return true;
  return (
    tsInstance.canHaveModifiers(node) &&
    (tsInstance.getModifiers(node)?.some((modifier) => modifier.kind === tsInstance.SyntaxKind.DeclareKeyword) ?? false)
  );
}

/** The local name an `injected()` call reaches the runtime through: `injected`, an alias, or a namespace. */
function placeholderName(tsInstance: TypeScriptApi, call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (tsInstance.isIdentifier(callee)) return callee.text;
  if (tsInstance.isPropertyAccessExpression(callee) && tsInstance.isIdentifier(callee.expression)) return callee.expression.text;
  return undefined;
}

/** `injected()` / `injected(Key)` / `injected<C>()` / `runtime.injected()`; a bare `injected(...)` counts inside tagged functions. */
function isInjectedCall(tsInstance: TypeScriptApi, node: ts.Node, imports: RuntimeImports, anyBareName: boolean): node is ts.CallExpression {
  if (!tsInstance.isCallExpression(node) || node.arguments.length > 1 || node.arguments.some((argument) => tsInstance.isSpreadElement(argument)))
    return false;
  const callee = node.expression;
  if (tsInstance.isIdentifier(callee)) return imports.injectedNames.has(callee.text) || (anyBareName && callee.text === "injected");
  return (
    tsInstance.isPropertyAccessExpression(callee) &&
    tsInstance.isIdentifier(callee.expression) &&
    imports.namespaces.has(callee.expression.text) &&
    callee.name.text === "injected"
  );
}

function skipWrappers(tsInstance: TypeScriptApi, expression: ts.Expression): ts.Expression {
  let current = expression;
  while (
    tsInstance.isParenthesizedExpression(current) ||
    tsInstance.isAsExpression(current) ||
    tsInstance.isSatisfiesExpression(current) ||
    tsInstance.isNonNullExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** The node(s) a tag written in front of `node` is about: `const f = async () => ...` tags the arrow. */
function taggedSubjects(tsInstance: TypeScriptApi, node: ts.Node): ts.Node[] {
  if (tsInstance.isVariableStatement(node)) {
    return node.declarationList.declarations.map((declaration) =>
      declaration.initializer ? skipWrappers(tsInstance, declaration.initializer) : declaration,
    );
  }
  if (tsInstance.isVariableDeclaration(node) && node.initializer) return [skipWrappers(tsInstance, node.initializer)];
  if (tsInstance.isExportAssignment(node)) return [skipWrappers(tsInstance, node.expression)];
  if ((tsInstance.isPropertyAssignment(node) || tsInstance.isPropertyDeclaration(node)) && node.initializer) {
    return [skipWrappers(tsInstance, node.initializer)];
  }
  if (
    tsInstance.isExpressionStatement(node) &&
    tsInstance.isBinaryExpression(node.expression) &&
    node.expression.operatorToken.kind === tsInstance.SyntaxKind.EqualsToken
  ) {
    return [skipWrappers(tsInstance, node.expression.right)];
  }
  return [node];
}

/** "a class declaration", "an interface declaration", "a value (`42`)": for messages. */
function describe(tsInstance: TypeScriptApi, node: ts.Node, sourceFile: ts.SourceFile): string {
  if (tsInstance.isExpression(node)) {
    const text = node.getText(sourceFile).replace(/\s+/g, " ");
    return `a value (\`${text.length > 40 ? `${text.slice(0, 40)}…` : text}\`)`;
  }
  // "ClassDeclaration" -> "class declaration"
  const kind = (tsInstance.SyntaxKind[node.kind] ?? "node").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`;
}

function functionName(tsInstance: TypeScriptApi, node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && (tsInstance.isIdentifier(named.name) || tsInstance.isPrivateIdentifier(named.name))) return named.name.text;
  const parent = node.parent;
  if (parent && tsInstance.isVariableDeclaration(parent) && tsInstance.isIdentifier(parent.name)) return parent.name.text;
  if (parent && tsInstance.isPropertyAssignment(parent) && tsInstance.isIdentifier(parent.name)) return parent.name.text;
  return "the function";
}

function hasModifier(tsInstance: TypeScriptApi, node: ts.Node, kind: ts.SyntaxKind): boolean {
  return (tsInstance.canHaveModifiers(node) && tsInstance.getModifiers(node)?.some((m) => m.kind === kind)) ?? false;
}

/** What the tag sits on, in the shared rule's terms (./rules.ts); `excuseClientInitializer` finds the client binding and excuses its `injected()`. */
function shapeOf(
  tsInstance: TypeScriptApi,
  sourceFile: ts.SourceFile,
  subject: ts.Node,
  excuseClientInitializer: (fn: ts.SignatureDeclaration) => ClientBinding | undefined,
): { shape: SubjectShape<ts.Node>; binding?: ClientBinding } {
  if (tsInstance.isConstructorDeclaration(subject)) {
    excuseClientInitializer(subject);
    return { shape: { kind: "constructor", name: functionName(tsInstance, subject) } };
  }
  if (tsInstance.isGetAccessorDeclaration(subject) || tsInstance.isSetAccessorDeclaration(subject)) {
    excuseClientInitializer(subject);
    return { shape: { kind: tsInstance.isGetAccessorDeclaration(subject) ? "get" : "set", name: functionName(tsInstance, subject) } };
  }
  if (
    tsInstance.isMethodSignature(subject) ||
    tsInstance.isCallSignatureDeclaration(subject) ||
    ((tsInstance.isFunctionDeclaration(subject) || tsInstance.isMethodDeclaration(subject)) && !subject.body)
  ) {
    excuseClientInitializer(subject);
    return { shape: { kind: "bodiless", name: functionName(tsInstance, subject) } };
  }
  if (
    !tsInstance.isFunctionDeclaration(subject) &&
    !tsInstance.isFunctionExpression(subject) &&
    !tsInstance.isArrowFunction(subject) &&
    !tsInstance.isMethodDeclaration(subject)
  ) {
    return { shape: { kind: "other", described: describe(tsInstance, subject, sourceFile) } };
  }
  const binding = excuseClientInitializer(subject);
  return {
    shape: {
      kind: "function",
      name: functionName(tsInstance, subject),
      async: hasModifier(tsInstance, subject, tsInstance.SyntaxKind.AsyncKeyword),
      generator: subject.asteriskToken !== undefined,
      client: binding ? { found: true } : locateClient(tsInstance, subject.parameters),
    },
    binding,
  };
}

/**
 * Finds the tagged functions of a file and every misuse, without changing anything: the first
 * half of the transform, kept apart so the rewrite only ever sees valid targets.
 */
export function findTaggedFunctions(tsInstance: TypeScriptApi, sourceFile: ts.SourceFile, options: AnalysisOptions = {}): Analysis {
  const text = sourceFile.text;
  const analysis: Analysis = { targets: new Map(), rebuiltImports: new Map(), diagnostics: [] };
  const pendingTags = new Set(tagOffsets(text));
  const claimedComments = new Set<number>();
  const imports = collectRuntimeImports(tsInstance, sourceFile);
  let scope: FileScope | undefined;
  /** `injected()` calls that sit where the rewrite removes them (or where another diagnostic already explains). */
  const excusedCalls = new Set<ts.Node>();
  /** Identifiers naming a runtime import binding, outside the runtime imports and types: value references. */
  const references = new Map<string, number>();
  let uncounted = 0; // > 0 inside a runtime import or a type (erased from the output)

  const report = (node: ts.Node, code: (typeof InjectClientDiagnostic)[keyof typeof InjectClientDiagnostic], message: string) =>
    analysis.diagnostics.push(diagnosticAt(tsInstance, sourceFile, node, code, message));

  function excuseClientInitializer(fn: ts.SignatureDeclaration): ClientBinding | undefined {
    const search = locateClient(tsInstance, fn.parameters);
    if (!search.found) return undefined;
    const initializer = search.binding.initializer;
    const call = initializer && skipWrappers(tsInstance, initializer);
    if (call && isInjectedCall(tsInstance, call, imports, true)) {
      excusedCalls.add(call);
      // Only an `injected()` default is the transformer's to remove; any other default stays.
      return { ...search.binding, placeholder: call };
    }
    return search.binding;
  }

  function checkSubject(subject: ts.Node, tagNode: ts.Node): void {
    const where = subject === tagNode ? subject : tagNode;
    const { shape, binding } = shapeOf(tsInstance, sourceFile, subject, excuseClientInitializer);
    const verdict = judgeSubject(shape);
    if (!verdict.rewrite) {
      report(verdict.node ?? where, verdict.code, verdict.message);
      return;
    }
    if (shape.kind !== "function" || !binding || !resolveKey(binding, shape.name)) return;
    analysis.targets.set(subject, binding);
  }

  /** Sets the binding's key by the shared rule (../rules.ts `decideKey`); false after reporting why it cannot. */
  function resolveKey(binding: ClientBinding, name: string): boolean {
    const placeholder = binding.placeholder;
    const argument = placeholder?.arguments.length === 1 ? { kind: "argument" as const, expression: placeholder.arguments[0]! } : undefined;
    const decision = decideKey(
      placeholder && { argument },
      () => keyFromAnnotation(tsInstance, sourceFile, (scope ??= fileScope(tsInstance, sourceFile)), binding, options.checker),
      name,
    );
    if (!decision.ok) {
      report(placeholder!, decision.code, decision.message);
      return false;
    }
    if (decision.key) binding.key = decision.key;
    return true;
  }

  function claimTag(node: ts.Node): void {
    if (pendingTags.size === 0 || node.kind === tsInstance.SyntaxKind.SourceFile) return;
    // Only a node whose leading trivia holds a candidate can own the tag (cheap range test first).
    let candidate = false;
    for (const offset of pendingTags) if (offset >= node.pos && offset < node.end) candidate = true;
    if (!candidate) return;
    const start = node.getStart(sourceFile);
    let inTrivia = false;
    for (const offset of pendingTags) if (offset >= node.pos && offset < start) inTrivia = true;
    if (!inTrivia) return;
    const comment = taggedCommentBefore(tsInstance, text, node);
    if (!comment || claimedComments.has(comment.pos)) return;
    claimedComments.add(comment.pos);
    for (const offset of pendingTags) if (offset >= comment.pos && offset < comment.end) pendingTags.delete(offset);
    for (const subject of taggedSubjects(tsInstance, node)) checkSubject(subject, node);
  }

  function visit(node: ts.Node): void {
    claimTag(node);
    if (
      uncounted === 0 &&
      node.kind === tsInstance.SyntaxKind.Identifier &&
      imports.bindings.has((node as ts.Identifier).text) &&
      !(node.parent && tsInstance.isPropertyAccessExpression(node.parent) && node.parent.name === node)
    ) {
      const name = (node as ts.Identifier).text;
      references.set(name, (references.get(name) ?? 0) + 1);
    }
    if (imports.bindings.size > 0 && (imports.declarations.has(node as ts.ImportDeclaration) || isTypeOnlyContext(tsInstance, node))) {
      uncounted++;
      tsInstance.forEachChild(node, visit);
      uncounted--;
      return;
    }
    if (isInjectedCall(tsInstance, node, imports, false) && !excusedCalls.has(node)) {
      const inParameter = node.parent !== undefined && tsInstance.isParameter(node.parent);
      report(node, InjectClientDiagnostic.InjectedOutsideTaggedFunction, misuse.injectedOutside(inParameter));
    }
    tsInstance.forEachChild(node, visit);
  }

  visit(sourceFile);

  analysis.rebuiltImports = importsToRebuild(tsInstance, imports, analysis.targets, references, options);
  return analysis;
}

/**
 * A runtime import whose `injected` (or namespace) was used only by placeholders the rewrite removes is
 * rebuilt without it, keeping the bindings still used as values. Counting by name is conservative: a
 * shadowing local keeps a binding.
 */
function importsToRebuild(
  tsInstance: TypeScriptApi,
  imports: RuntimeImports,
  targets: Analysis["targets"],
  references: ReadonlyMap<string, number>,
  options: AnalysisOptions,
): Analysis["rebuiltImports"] {
  const rebuilt: Analysis["rebuiltImports"] = new Map();
  const removed = new Map<string, number>();
  for (const binding of targets.values()) {
    const name = binding.placeholder && placeholderName(tsInstance, binding.placeholder);
    if (name && imports.bindings.has(name)) removed.set(name, (removed.get(name) ?? 0) + 1);
  }
  const valueUses = (name: string) => (references.get(name) ?? 0) - (removed.get(name) ?? 0);
  for (const [declaration, bindings] of imports.declarations) {
    const served = bindings.some(
      ([name]) => (imports.injectedNames.has(name) || imports.namespaces.has(name)) && (removed.get(name) ?? 0) > 0 && valueUses(name) === 0,
    );
    if (!served) continue;
    const kept = new Set<ImportBinding>();
    for (const [name, binding] of bindings) {
      if (tsInstance.isImportSpecifier(binding) && binding.isTypeOnly) continue;
      if (valueUses(name) <= 0 && !(options.verbatimModuleSyntax && !imports.injectedNames.has(name) && !imports.namespaces.has(name))) continue;
      const local = tsInstance.isNamespaceImport(binding) ? binding.name : tsInstance.isImportSpecifier(binding) ? binding.name : binding;
      if (options.checker && hasNoValue(tsInstance, options.checker, local)) continue;
      kept.add(binding);
    }
    rebuilt.set(declaration, kept);
  }
  return rebuilt;
}

/** An imported name that is only a type (an interface, a type alias): it does not exist at run time. */
function hasNoValue(tsInstance: TypeScriptApi, checker: ts.TypeChecker, name: ts.Identifier): boolean {
  const symbol = checker.getSymbolAtLocation(name);
  if (!symbol || !(symbol.flags & tsInstance.SymbolFlags.Alias)) return false;
  const target = checker.getAliasedSymbol(symbol);
  return target.declarations !== undefined && target.declarations.length > 0 && (target.flags & tsInstance.SymbolFlags.Value) === 0;
}
