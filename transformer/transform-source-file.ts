import type * as ts from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import { findTaggedFunctions, type RewritableFunction } from "./find-tagged.js";
import { rewriteFunction } from "./rewrite-function.js";
import { isDirective, mayNeedTransform, RUNTIME_MODULE } from "./tag.js";

export interface TransformResult {
  /** The same object as the input when nothing was rewritten (so the emit is byte-identical). */
  sourceFile: ts.SourceFile;
  diagnostics: ts.Diagnostic[];
}

/**
 * The transformer's core, shared by the ts-patch entry, the ts-node/ts-jest factory and the Vite
 * plugin: one source file in, one source file out, plus diagnostics. Pure: it reads nothing but
 * its arguments; `context` is only needed so nested nodes are visited the way the host expects.
 */
export function transformSourceFile(
  tsInstance: TypeScriptApi,
  sourceFile: ts.SourceFile,
  context?: ts.TransformationContext,
): TransformResult {
  if (sourceFile.isDeclarationFile || !mayNeedTransform(sourceFile.text)) return { sourceFile, diagnostics: [] };

  const { targets, unusedImports, diagnostics } = findTaggedFunctions(tsInstance, sourceFile);
  if (targets.size === 0) return { sourceFile, diagnostics };

  const factory = context?.factory ?? tsInstance.factory;
  // One namespace import for the whole file. A namespace (not named) import, because the
  // CommonJS emit leaves calls through a synthesized named import as bare identifiers, and
  // `runtime.getOrCreateClient(...)` stays a property access under every module setting.
  const runtime = factory.createUniqueName("inject_client_runtime");

  const visit = (node: ts.Node): ts.Node => {
    const binding = targets.get(node);
    const visited = tsInstance.visitEachChild(node, visit, context);
    return binding ? rewriteFunction(tsInstance, factory, visited as RewritableFunction, binding, runtime) : visited;
  };
  const rewritten = tsInstance.visitEachChild(sourceFile, visit, context);

  const runtimeImport = factory.createImportDeclaration(
    undefined,
    // `undefined`, not `false`: TypeScript 5.9 turned this argument into an import phase; both read it as a plain import.
    factory.createImportClause(undefined, undefined, factory.createNamespaceImport(runtime)),
    factory.createStringLiteral(RUNTIME_MODULE),
  );
  const statements = rewritten.statements.flatMap((statement) => {
    const kept = unusedImports.size > 0 && tsInstance.isImportDeclaration(statement) ? withoutUnused(tsInstance, statement, unusedImports, context) : statement;
    return kept ? [kept] : [];
  });
  let directives = 0;
  while (directives < statements.length && isDirective(tsInstance, statements[directives]!)) directives++;
  statements.splice(directives, 0, runtimeImport);

  return {
    sourceFile: factory.updateSourceFile(rewritten, statements),
    diagnostics,
  };
}

/**
 * The import without the bindings only the removed `injected()` placeholders used; `undefined`
 * when it no longer imports anything at run time (the runtime is imported by the rewrite anyway).
 */
function withoutUnused(
  tsInstance: TypeScriptApi,
  declaration: ts.ImportDeclaration,
  unused: ReadonlySet<ts.Node>,
  context: ts.TransformationContext | undefined,
): ts.ImportDeclaration | undefined {
  const clause = declaration.importClause;
  const bindings = clause?.namedBindings;
  if (!clause || !bindings) return declaration;
  if (tsInstance.isNamespaceImport(bindings) ? !unused.has(bindings) : !bindings.elements.some((element) => unused.has(element))) {
    return declaration;
  }
  const remaining = tsInstance.isNamespaceImport(bindings) ? [] : bindings.elements.filter((element) => !unused.has(element));
  if (!clause.name && remaining.every((element) => element.isTypeOnly)) return undefined;
  // visitEachChild rebuilds the clause with whichever signature this TypeScript's factory has.
  const drop = (node: ts.Node): ts.VisitResult<ts.Node | undefined> =>
    unused.has(node) ? undefined : tsInstance.isImportClause(node) || tsInstance.isNamedImports(node) ? tsInstance.visitEachChild(node, drop, context) : node;
  return tsInstance.visitEachChild(declaration, drop, context);
}
