/**
 * The class a tagged function's client is resolved by, read from the syntax of one file: the rule of
 * ../client-key.ts for hosts without a type checker (bundlers, Node's loaders, the post-emit CLI).
 */
import { RUNTIME_MODULE } from "../tag.js";
import { staticName, type AstNode } from "./ast.js";
import type { ClientBinding } from "./locate-client.js";
import { reasons } from "../messages.js";

export type ClientKey =
  /** `injected(K)`: the argument, emitted as written. */
  | { kind: "argument"; expression: AstNode }
  /** A class declared in this file, referenced by name. */
  | { kind: "local"; name: string }
  /**
   * A class imported by name, as a default import or through a namespace. The annotation is erased, and
   * type stripping drops an import used only as a type, so the rewrite imports the module itself; with
   * no type checker, a keyless `injected()` guards against the name being an interface.
   */
  | { kind: "import"; module: string; exportName: string; localName: string; declaration: AstNode | undefined };

export type KeyLookup = { found: true; key: ClientKey } | { found: false; reason: string };

interface ImportedName {
  module: string;
  exportName: string;
  declaration: AstNode;
}

export interface FileScope {
  classes: Set<string>;
  types: Map<string, string>;
  imports: Map<string, ImportedName>;
  namespaces: Map<string, { module: string; declaration: AstNode }>;
}

const RUNTIME_CLASSES = new Set(["OpenAPIClient"]);

/** `export class A`, `export default class A`: the declaration under an export. */
function unwrapExport(statement: AstNode): AstNode {
  if ((statement.type === "ExportNamedDeclaration" || statement.type === "ExportDefaultDeclaration") && statement.declaration) {
    return statement.declaration as AstNode;
  }
  return statement;
}

export function fileScope(program: AstNode): FileScope {
  const scope: FileScope = { classes: new Set(), types: new Map(), imports: new Map(), namespaces: new Map() };
  for (const written of program.body as AstNode[]) {
    const statement = unwrapExport(written);
    if (statement.type === "ClassDeclaration" && statement.id) scope.classes.add(statement.id.name);
    else if (statement.type === "TSInterfaceDeclaration") scope.types.set(statement.id.name, "an interface");
    else if (statement.type === "TSTypeAliasDeclaration") scope.types.set(statement.id.name, "a type alias");
    else if (statement.type === "TSEnumDeclaration") scope.types.set(statement.id.name, "an enum");
    else if (statement.type === "ImportDeclaration" && statement.specifiers.length > 0) {
      const module = statement.source.value as string;
      for (const specifier of statement.specifiers as AstNode[]) {
        const local = specifier.local.name as string;
        if (specifier.type === "ImportDefaultSpecifier") scope.imports.set(local, { module, exportName: "default", declaration: statement });
        else if (specifier.type === "ImportNamespaceSpecifier") scope.namespaces.set(local, { module, declaration: statement });
        else scope.imports.set(local, { module, exportName: staticName(specifier.imported) ?? local, declaration: statement });
      }
    }
  }
  return scope;
}

function unparenthesizedType(type: AstNode): AstNode {
  let current = type;
  while (current.type === "TSParenthesizedType") current = current.typeAnnotation as AstNode;
  return current;
}

/** `C`, `C | undefined`, `(C | null)`: the one type left once `null` and `undefined` are taken out. */
function essentialType(type: AstNode): AstNode | undefined {
  const current = unparenthesizedType(type);
  if (current.type !== "TSUnionType") return current;
  const rest = (current.types as AstNode[]).filter((member) => member.type !== "TSUndefinedKeyword" && member.type !== "TSNullKeyword");
  return rest.length === 1 ? essentialType(rest[0]!) : undefined;
}

/** The written type of a binding target (`client: T`, `{ … }: T`), through a default (`= …`). */
export function annotationOf(target: AstNode): AstNode | undefined {
  const node = target.type === "AssignmentPattern" ? (target.left as AstNode) : target;
  return (node.typeAnnotation as AstNode | null | undefined)?.typeAnnotation as AstNode | undefined;
}

function clientAnnotation(binding: ClientBinding): AstNode | string {
  const type = annotationOf(binding.parameter);
  if (binding.kind === "parameter") return type ?? "it has no type annotation";
  if (!type) return reasons.optionsUntyped;
  const literal = essentialType(type);
  if (!literal || literal.type !== "TSTypeLiteral") return reasons.optionsTypeOutOfSight;
  const property = staticName(binding.element.key, binding.element.computed as boolean);
  const member = (literal.members as AstNode[]).find(
    (candidate) => candidate.type === "TSPropertySignature" && !candidate.computed && staticName(candidate.key) === property,
  );
  return (member?.typeAnnotation?.typeAnnotation as AstNode | undefined) ?? "the options type declares no typed `client`";
}

function fromImport(imported: { module: string; exportName: string; declaration: AstNode }, localName: string, written: string): KeyLookup {
  if (imported.module === RUNTIME_MODULE && !RUNTIME_CLASSES.has(imported.exportName)) {
    return { found: false, reason: reasons.runtimeType(written, RUNTIME_MODULE) };
  }
  return {
    found: true,
    key: { kind: "import", module: imported.module, exportName: imported.exportName, localName, declaration: imported.declaration },
  };
}

/** The class the annotation of `client` names, from this file's syntax alone. */
export function keyFromAnnotation(code: string, scope: FileScope, binding: ClientBinding): KeyLookup {
  const annotation = clientAnnotation(binding);
  if (typeof annotation === "string") return { found: false, reason: annotation };
  const type = essentialType(annotation);
  const written = code.slice(annotation.start, annotation.end).replace(/\s+/g, " ");
  if (!type) return { found: false, reason: reasons.union(written) };
  if (type.type === "TSTypeLiteral") return { found: false, reason: reasons.inlineType };
  if (type.type !== "TSTypeReference") return { found: false, reason: reasons.notAClassType(written) };
  const typeName = type.typeName as AstNode;
  if (typeName.type === "Identifier") {
    const name = typeName.name as string;
    if (scope.classes.has(name)) return { found: true, key: { kind: "local", name } };
    const described = scope.types.get(name);
    if (described) return { found: false, reason: reasons.declaredAsOther(name, described) };
    const imported = scope.imports.get(name);
    if (imported) return fromImport(imported, name, name);
    return { found: false, reason: reasons.unknownName(name) };
  }
  if (typeName.type === "TSQualifiedName" && typeName.left.type === "Identifier") {
    const namespace = scope.namespaces.get(typeName.left.name as string);
    if (namespace) {
      const right = typeName.right.name as string;
      return fromImport({ module: namespace.module, exportName: right, declaration: namespace.declaration }, right, `${typeName.left.name}.${right}`);
    }
  }
  return { found: false, reason: reasons.notDeclaredOrImported(written) };
}
