import type * as ts from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import type { ClientKey } from "./client-key.js";
import { findTaggedFunctions, type ImportBinding, type RewritableFunction } from "./find-tagged.js";
import type { ClientBinding } from "./locate-client.js";
import { rewriteFunction } from "./rewrite-function.js";
import { isDirective, mayNeedTransform, RUNTIME_MODULE } from "./tag.js";

export interface TransformResult {
  /** The same object as the input when nothing was rewritten (so the emit is byte-identical). */
  sourceFile: ts.SourceFile;
  diagnostics: ts.Diagnostic[];
}

export interface TransformOptions {
  /**
   * The program's type checker, when the host has one (tspc): it tells a class imported by name from an
   * interface, so a keyless `injected()` annotated with an imported interface is a compile error rather
   * than a run-time one. Per-file hosts (Vite, ts-jest's isolated mode) have none.
   */
  checker?: ts.TypeChecker;
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
  options: TransformOptions = {},
): TransformResult {
  if (sourceFile.isDeclarationFile || !mayNeedTransform(sourceFile.text)) return { sourceFile, diagnostics: [] };

  const { targets, rebuiltImports, diagnostics } = findTaggedFunctions(tsInstance, sourceFile, {
    checker: options.checker,
    verbatimModuleSyntax: context?.getCompilerOptions().verbatimModuleSyntax === true,
  });
  if (targets.size === 0) return { sourceFile, diagnostics };

  const factory = context?.factory ?? tsInstance.factory;
  // One namespace import for the whole file. A namespace (not named) import, because the
  // CommonJS emit leaves calls through a synthesized named import as bare identifiers, and
  // `runtime.getOrCreateClient(...)` stays a property access under every module setting.
  const runtime = factory.createUniqueName("inject_client_runtime");
  const keyImports = new KeyImports(factory);
  const keyOf = (binding: ClientBinding) => keyExpression(tsInstance, factory, binding, binding.key, runtime, keyImports);

  const visit = (node: ts.Node): ts.Node => {
    const binding = targets.get(node);
    const visited = tsInstance.visitEachChild(node, visit, context);
    return binding ? rewriteFunction(tsInstance, factory, visited as RewritableFunction, binding, runtime, keyOf(binding)) : visited;
  };
  const rewritten = tsInstance.visitEachChild(sourceFile, visit, context);

  const runtimeImport = namespaceImport(factory, runtime, RUNTIME_MODULE);
  const statements = rewritten.statements.flatMap((statement) => {
    // An import the visit left alone is the original node; a rewritten function points back at it.
    const original = tsInstance.getOriginalNode(statement) as ts.Statement;
    const kept =
      tsInstance.isImportDeclaration(original) && rebuiltImports.has(original)
        ? rebuildImport(tsInstance, statement as ts.ImportDeclaration, rebuiltImports.get(original)!, context)
        : statement;
    // A class key's module is imported right where the user imported the class, so modules still
    // evaluate in the order the file lists them.
    return [...(kept ? [kept] : []), ...keyImports.after(original)];
  });
  let directives = 0;
  while (directives < statements.length && isDirective(tsInstance, statements[directives]!)) directives++;
  statements.splice(directives, 0, runtimeImport);

  return {
    sourceFile: factory.updateSourceFile(rewritten, statements),
    diagnostics,
  };
}

function namespaceImport(factory: ts.NodeFactory, name: ts.Identifier, module: string): ts.ImportDeclaration {
  return factory.createImportDeclaration(
    undefined,
    // `undefined`, not `false`: TypeScript 5.9 turned this argument into an import phase; both read it as a plain import.
    factory.createImportClause(undefined, undefined, factory.createNamespaceImport(name)),
    factory.createStringLiteral(module),
  );
}

/** The namespace imports the rewrite adds for class keys the user imported only as types: one per module. */
class KeyImports {
  readonly #byModule = new Map<string, ts.Identifier>();
  readonly #byDeclaration = new Map<ts.ImportDeclaration, ts.ImportDeclaration[]>();

  constructor(readonly factory: ts.NodeFactory) {}

  namespaceFor(key: Extract<ClientKey, { kind: "import" }>): ts.Identifier {
    let name = this.#byModule.get(key.module);
    if (!name) {
      name = this.factory.createUniqueName(`${key.localName}_module`);
      this.#byModule.set(key.module, name);
      const list = this.#byDeclaration.get(key.declaration) ?? [];
      list.push(namespaceImport(this.factory, name, key.module));
      this.#byDeclaration.set(key.declaration, list);
    }
    return name;
  }

  after(statement: ts.Statement): ts.ImportDeclaration[] {
    return this.#byDeclaration.get(statement as ts.ImportDeclaration) ?? [];
  }
}

/** The class key as an expression of the rewritten function (undefined: unkeyed resolution). */
function keyExpression(
  tsInstance: TypeScriptApi,
  factory: ts.NodeFactory,
  binding: ClientBinding,
  key: ClientKey | undefined,
  runtime: ts.Identifier,
  keyImports: KeyImports,
): ts.Expression | undefined {
  if (key === undefined) return undefined;
  if (key.kind === "argument") return key.expression;
  if (key.kind === "local") return factory.createIdentifier(key.name);
  const access = factory.createPropertyAccessExpression(keyImports.namespaceFor(key), key.exportName);
  // A keyless `injected()` promised a class; unchecked (no type checker), an interface would come
  // through as `undefined` and resolve unkeyed. The guard makes that a clear error instead.
  if (key.checked || !binding.placeholder) return access;
  const missing = factory.createCallExpression(factory.createPropertyAccessExpression(runtime, "missingClientClass"), undefined, [
    factory.createStringLiteral(key.localName),
    factory.createStringLiteral(key.module),
  ]);
  return factory.createBinaryExpression(access, tsInstance.SyntaxKind.QuestionQuestionToken, missing);
}

/**
 * The import with only `kept` bindings (see `Analysis.rebuiltImports`); `undefined` when it no longer
 * imports anything (the runtime is imported by the rewrite anyway).
 */
function rebuildImport(
  tsInstance: TypeScriptApi,
  declaration: ts.ImportDeclaration,
  kept: ReadonlySet<ImportBinding>,
  context: ts.TransformationContext | undefined,
): ts.ImportDeclaration | undefined {
  if (kept.size === 0) return undefined;
  const clause = declaration.importClause!;
  const bindings = clause.namedBindings;
  const keepsNamed =
    bindings !== undefined && (tsInstance.isNamespaceImport(bindings) ? kept.has(bindings) : bindings.elements.some((element) => kept.has(element)));
  // visitEachChild rebuilds the clause with whichever signature this TypeScript's factory has.
  const drop = (node: ts.Node): ts.VisitResult<ts.Node | undefined> => {
    if (node === clause.name) return kept.has(clause.name) ? node : undefined;
    if (node === bindings) return keepsNamed ? (tsInstance.isNamedImports(node) ? tsInstance.visitEachChild(node, drop, context) : node) : undefined;
    if (tsInstance.isImportSpecifier(node)) return kept.has(node) ? node : undefined;
    return tsInstance.isImportClause(node) ? tsInstance.visitEachChild(node, drop, context) : node;
  };
  return tsInstance.visitEachChild(declaration, drop, context);
}
