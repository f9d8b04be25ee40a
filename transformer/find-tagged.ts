import type * as ts from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import { diagnosticAt, InjectClientDiagnostic } from "./diagnostics.js";
import { locateClient, type ClientBinding } from "./locate-client.js";
import { RUNTIME_MODULE, tagOffsets, taggedCommentBefore } from "./tag.js";

/** A function the transformer rewrites. */
export type RewritableFunction = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

export interface Analysis {
  /** Tagged, async, with a body and a client binding: rewrite these (keyed by the original node). */
  targets: Map<ts.Node, ClientBinding>;
  /**
   * Bindings of `inject-client/runtime` imports (`injected` specifiers, namespace imports) that
   * only served the `injected()` placeholders the rewrite removes: the emit drops them, since
   * TypeScript's import elision still sees the original references and would keep them.
   */
  unusedImports: Set<ts.ImportSpecifier | ts.NamespaceImport>;
  diagnostics: ts.Diagnostic[];
}

/** How `injected` is reachable in this file: imported names and runtime namespaces. */
interface InjectedImports {
  names: Set<string>;
  namespaces: Set<string>;
  /** The import bindings of those names, and the declarations that hold them. */
  bindings: Map<string, Array<ts.ImportSpecifier | ts.NamespaceImport>>;
  declarations: Set<ts.ImportDeclaration>;
}

function collectInjectedImports(tsInstance: TypeScriptApi, sourceFile: ts.SourceFile): InjectedImports {
  const found: InjectedImports = { names: new Set(), namespaces: new Set(), bindings: new Map(), declarations: new Set() };
  const add = (name: string, binding: ts.ImportSpecifier | ts.NamespaceImport) => {
    const list = found.bindings.get(name);
    if (list) list.push(binding);
    else found.bindings.set(name, [binding]);
  };
  for (const statement of sourceFile.statements) {
    if (!tsInstance.isImportDeclaration(statement) || !statement.importClause) continue;
    if (!tsInstance.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== RUNTIME_MODULE) continue;
    found.declarations.add(statement);
    const bindings = statement.importClause.namedBindings;
    if (!bindings) continue;
    if (tsInstance.isNamespaceImport(bindings)) {
      found.namespaces.add(bindings.name.text);
      add(bindings.name.text, bindings);
      continue;
    }
    for (const specifier of bindings.elements) {
      if ((specifier.propertyName ?? specifier.name).text === "injected") {
        found.names.add(specifier.name.text);
        add(specifier.name.text, specifier);
      }
    }
  }
  return found;
}

/** The local name an `injected()` call reaches the runtime through: `injected`, an alias, or a namespace. */
function placeholderName(tsInstance: TypeScriptApi, call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (tsInstance.isIdentifier(callee)) return callee.text;
  if (tsInstance.isPropertyAccessExpression(callee) && tsInstance.isIdentifier(callee.expression)) return callee.expression.text;
  return undefined;
}

/** `injected()` / `injected<C>()` / `runtime.injected()`; a bare `injected()` counts inside tagged functions. */
function isInjectedCall(tsInstance: TypeScriptApi, node: ts.Node, imports: InjectedImports, anyBareName: boolean): node is ts.CallExpression {
  if (!tsInstance.isCallExpression(node) || node.arguments.length !== 0) return false;
  const callee = node.expression;
  if (tsInstance.isIdentifier(callee)) return imports.names.has(callee.text) || (anyBareName && callee.text === "injected");
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

/**
 * Finds the tagged functions of a file and every misuse, without changing anything: the first
 * half of the transform, kept apart so the rewrite only ever sees valid targets.
 */
export function findTaggedFunctions(tsInstance: TypeScriptApi, sourceFile: ts.SourceFile): Analysis {
  const text = sourceFile.text;
  const analysis: Analysis = { targets: new Map(), unusedImports: new Set(), diagnostics: [] };
  const pendingTags = new Set(tagOffsets(text));
  const claimedComments = new Set<number>();
  const imports = collectInjectedImports(tsInstance, sourceFile);
  /** `injected()` calls that sit where the rewrite removes them (or where another diagnostic already explains). */
  const excusedCalls = new Set<ts.Node>();
  /** Identifiers naming an `injected` import or a runtime namespace, outside the runtime imports and types. */
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
    if (
      tsInstance.isConstructorDeclaration(subject) ||
      tsInstance.isGetAccessorDeclaration(subject) ||
      tsInstance.isSetAccessorDeclaration(subject)
    ) {
      excuseClientInitializer(subject);
      report(where, InjectClientDiagnostic.NotAsync, `${functionName(tsInstance, subject)} is ${describe(tsInstance, subject, sourceFile)}, and those cannot be async, so they cannot wait for a client to close. Tag an async function or method instead.`);
      return;
    }
    if (
      tsInstance.isMethodSignature(subject) ||
      tsInstance.isCallSignatureDeclaration(subject) ||
      ((tsInstance.isFunctionDeclaration(subject) || tsInstance.isMethodDeclaration(subject)) && !subject.body)
    ) {
      excuseClientInitializer(subject);
      report(
        where,
        InjectClientDiagnostic.NoBody,
        `${functionName(tsInstance, subject)} has no body here (an overload signature, or a declare/abstract/interface declaration): there is nothing to rewrite. Put the tag on the implementation.`,
      );
      return;
    }
    if (
      !tsInstance.isFunctionDeclaration(subject) &&
      !tsInstance.isFunctionExpression(subject) &&
      !tsInstance.isArrowFunction(subject) &&
      !tsInstance.isMethodDeclaration(subject)
    ) {
      report(where, InjectClientDiagnostic.TagNotOnFunction, `the tag is on ${describe(tsInstance, subject, sourceFile)}, not a function. Put it on an async function, arrow function bound by const, or method.`);
      return;
    }
    const name = functionName(tsInstance, subject);
    const binding = excuseClientInitializer(subject);
    if (!hasModifier(tsInstance, subject, tsInstance.SyntaxKind.AsyncKeyword)) {
      report(
        where,
        InjectClientDiagnostic.NotAsync,
        `${name} is not async. A client the transformer creates is closed after the body's promise settles, and only an async function has that promise. Declare it \`async\`.`,
      );
      return;
    }
    if (subject.asteriskToken) {
      report(
        where,
        InjectClientDiagnostic.NotAsync,
        `${name} is an async generator: a created client would have to stay open for as long as the caller iterates, which no single await can tell. Use an async function.`,
      );
      return;
    }
    if (!binding) {
      const search = locateClient(tsInstance, subject.parameters);
      if (!search.found && search.unsupported) {
        report(search.unsupported.node, InjectClientDiagnostic.UnsupportedClientBinding, `in ${name}: ${search.unsupported.reason}.`);
      } else {
        report(
          where,
          InjectClientDiagnostic.NoClientParameter,
          `${name} has no client to inject: declare a parameter \`client: YourClient = injected()\` (or \`client?: YourClient\`), or destructure it from an options parameter, \`{ client }: { client?: YourClient } = {}\`.`,
        );
      }
      return;
    }
    analysis.targets.set(subject, binding);
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
    if (
      imports.bindings.size > 0 &&
      (imports.declarations.has(node as ts.ImportDeclaration) ||
        // `extends ns.Base` is a type node that is also a value reference.
        (tsInstance.isTypeNode(node) && !tsInstance.isExpressionWithTypeArguments(node)))
    ) {
      uncounted++;
      tsInstance.forEachChild(node, visit);
      uncounted--;
      return;
    }
    if (isInjectedCall(tsInstance, node, imports, false) && !excusedCalls.has(node)) {
      const enclosing = node.parent && tsInstance.isParameter(node.parent) ? " Tag the function with /** @injectClient */." : "";
      report(
        node,
        InjectClientDiagnostic.InjectedOutsideTaggedFunction,
        `injected() only works as the default of the \`client\` parameter (or \`client\` property) of a function tagged /** @injectClient */; here it would throw at run time.${enclosing}`,
      );
    }
    tsInstance.forEachChild(node, visit);
  }

  visit(sourceFile);

  // An import whose every reference was a placeholder the rewrite removes is dropped with them.
  // Counting by name is conservative: a shadowing local or a type query of the same name keeps it.
  const removed = new Map<string, number>();
  for (const binding of analysis.targets.values()) {
    const name = binding.placeholder && placeholderName(tsInstance, binding.placeholder);
    if (name && imports.bindings.has(name)) removed.set(name, (removed.get(name) ?? 0) + 1);
  }
  for (const [name, count] of removed) {
    if (references.get(name) === count) for (const binding of imports.bindings.get(name)!) analysis.unusedImports.add(binding);
  }
  return analysis;
}
