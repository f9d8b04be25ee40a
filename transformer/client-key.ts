import type * as ts from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import type { ClientBinding } from "./locate-client.js";
import { RUNTIME_MODULE } from "./tag.js";
import { reasons } from "./messages.js";

/** The class a tagged function's client is resolved by: the second argument the rewrite passes to `getOrCreateClient`. */
export type ClientKey =
  /** `injected(K)`: the argument, emitted as written (it already keeps its import alive). */
  | { kind: "argument"; expression: ts.Expression }
  /** A class declared in this file, referenced by name. */
  | { kind: "local"; name: string }
  /**
   * A class imported by name, as a default import or through a namespace. The annotation is erased, and
   * TypeScript drops an import used only as a type, so the rewrite imports the module itself.
   * `checked`: a type checker confirmed it is a class (else the rewrite of a keyless `injected()` guards
   * against an interface, which has no value at run time).
   */
  | { kind: "import"; module: string; exportName: string; localName: string; declaration: ts.ImportDeclaration; checked: boolean };

export type KeyLookup = { found: true; key: ClientKey } | { found: false; reason: string };

interface ImportedName {
  module: string;
  /** The name the module exports it under (`default` for a default import). */
  exportName: string;
  declaration: ts.ImportDeclaration;
}

/** The top-level names of a file that an annotation may refer to. */
export interface FileScope {
  classes: Set<string>;
  /** Interfaces, type aliases and enums, with how to describe them. */
  types: Map<string, string>;
  imports: Map<string, ImportedName>;
  namespaces: Map<string, { module: string; declaration: ts.ImportDeclaration }>;
}

/** The only class inject-client/runtime exports that a client can be an instance of (every generated client is one). */
const RUNTIME_CLASSES = new Set(["OpenAPIClient"]);

export function fileScope(tsInstance: TypeScriptApi, sourceFile: ts.SourceFile): FileScope {
  const scope: FileScope = { classes: new Set(), types: new Map(), imports: new Map(), namespaces: new Map() };
  for (const statement of sourceFile.statements) {
    if (tsInstance.isClassDeclaration(statement) && statement.name) scope.classes.add(statement.name.text);
    else if (tsInstance.isInterfaceDeclaration(statement)) scope.types.set(statement.name.text, "an interface");
    else if (tsInstance.isTypeAliasDeclaration(statement)) scope.types.set(statement.name.text, "a type alias");
    else if (tsInstance.isEnumDeclaration(statement)) scope.types.set(statement.name.text, "an enum");
    else if (tsInstance.isImportDeclaration(statement) && statement.importClause && tsInstance.isStringLiteral(statement.moduleSpecifier)) {
      const module = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause.name) scope.imports.set(clause.name.text, { module, exportName: "default", declaration: statement });
      const bindings = clause.namedBindings;
      if (bindings && tsInstance.isNamespaceImport(bindings)) scope.namespaces.set(bindings.name.text, { module, declaration: statement });
      else if (bindings) {
        for (const specifier of bindings.elements) {
          scope.imports.set(specifier.name.text, { module, exportName: (specifier.propertyName ?? specifier.name).text, declaration: statement });
        }
      }
    }
  }
  return scope;
}

/** `C`, `C | undefined`, `(C | null)`: the one type left once `null` and `undefined` are taken out. */
function essentialType(tsInstance: TypeScriptApi, type: ts.TypeNode): ts.TypeNode | undefined {
  let current = type;
  while (tsInstance.isParenthesizedTypeNode(current)) current = current.type;
  if (!tsInstance.isUnionTypeNode(current)) return current;
  const rest = current.types.filter(
    (member) =>
      member.kind !== tsInstance.SyntaxKind.UndefinedKeyword &&
      !(tsInstance.isLiteralTypeNode(member) && member.literal.kind === tsInstance.SyntaxKind.NullKeyword),
  );
  return rest.length === 1 ? essentialType(tsInstance, rest[0]!) : undefined;
}

/** The annotation that says what `client` is: the parameter's type, or the `client` member of an inline options type. */
function clientAnnotation(tsInstance: TypeScriptApi, binding: ClientBinding): ts.TypeNode | string {
  const type = binding.parameter.type;
  if (binding.kind === "parameter") return type ?? "it has no type annotation";
  if (!type) return reasons.optionsUntyped;
  const literal = essentialType(tsInstance, type);
  if (!literal || !tsInstance.isTypeLiteralNode(literal)) return reasons.optionsTypeOutOfSight;
  const property = (binding.element.propertyName ?? binding.element.name) as ts.Identifier;
  const member = literal.members.find(
    (candidate): candidate is ts.PropertySignature =>
      tsInstance.isPropertySignature(candidate) &&
      (tsInstance.isIdentifier(candidate.name) || tsInstance.isStringLiteral(candidate.name)) &&
      candidate.name.text === property.text,
  );
  return member?.type ?? "the options type declares no typed `client`";
}

/** Whether the checker sees a class (a value) behind `name`; undefined when it cannot tell (an unresolved module). */
function isClassPerChecker(tsInstance: TypeScriptApi, checker: ts.TypeChecker, name: ts.Node): boolean | undefined {
  let symbol = checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & tsInstance.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  if (!symbol || !symbol.declarations || symbol.declarations.length === 0) return undefined;
  return (symbol.flags & tsInstance.SymbolFlags.Value) !== 0;
}

function fromImport(
  tsInstance: TypeScriptApi,
  imported: ImportedName,
  localName: string,
  name: ts.Node,
  written: string,
  checker: ts.TypeChecker | undefined,
): KeyLookup {
  if (imported.module === RUNTIME_MODULE && !RUNTIME_CLASSES.has(imported.exportName)) {
    return { found: false, reason: reasons.runtimeType(written, RUNTIME_MODULE) };
  }
  const isClass = checker ? isClassPerChecker(tsInstance, checker, name) : undefined;
  if (isClass === false) return { found: false, reason: `\`${written}\` (from "${imported.module}") is a type, not a class` };
  return {
    found: true,
    key: {
      kind: "import",
      module: imported.module,
      exportName: imported.exportName,
      localName,
      declaration: imported.declaration,
      checked: isClass === true,
    },
  };
}

/**
 * The class the annotation of `client` names, read from the syntax of this file (plus the type checker,
 * when the host has one, to tell an imported class from an imported interface).
 */
export function keyFromAnnotation(
  tsInstance: TypeScriptApi,
  sourceFile: ts.SourceFile,
  scope: FileScope,
  binding: ClientBinding,
  checker: ts.TypeChecker | undefined,
): KeyLookup {
  const annotation = clientAnnotation(tsInstance, binding);
  if (typeof annotation === "string") return { found: false, reason: annotation };
  const type = essentialType(tsInstance, annotation);
  const written = annotation.getText(sourceFile).replace(/\s+/g, " ");
  if (!type) return { found: false, reason: reasons.union(written) };
  if (tsInstance.isTypeLiteralNode(type)) return { found: false, reason: reasons.inlineType };
  if (!tsInstance.isTypeReferenceNode(type)) return { found: false, reason: reasons.notAClassType(written) };
  const typeName = type.typeName;
  if (tsInstance.isIdentifier(typeName)) {
    const name = typeName.text;
    if (scope.classes.has(name)) return { found: true, key: { kind: "local", name } };
    const described = scope.types.get(name);
    if (described) return { found: false, reason: reasons.declaredAsOther(name, described) };
    const imported = scope.imports.get(name);
    if (imported) return fromImport(tsInstance, imported, name, typeName, name, checker);
    return { found: false, reason: reasons.unknownName(name) };
  }
  if (tsInstance.isIdentifier(typeName.left)) {
    const namespace = scope.namespaces.get(typeName.left.text);
    if (namespace) {
      const imported = { module: namespace.module, exportName: typeName.right.text, declaration: namespace.declaration };
      return fromImport(tsInstance, imported, typeName.right.text, typeName.right, `${typeName.left.text}.${typeName.right.text}`, checker);
    }
  }
  return { found: false, reason: reasons.notDeclaredOrImported(written) };
}
