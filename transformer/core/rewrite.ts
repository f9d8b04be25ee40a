/**
 * The rewrite as text edits (the oxc twin of ../rewrite-function.ts): the same body shape, spliced
 * into the source with magic-string so every untouched character, type annotation and comment stays
 * where it was. Added code never adds a line, so line numbers hold even where no source map is read.
 */
import type MagicString from "magic-string";
import { RUNTIME_MODULE } from "../tag.js";
import { forEachChild, type AstNode } from "./ast.js";
import type { Target } from "./analyze.js";
import type { ClientKey } from "./keys.js";

export type ModuleFormat = "esm" | "cjs";

const IDENTIFIER_PART = /[\p{ID_Continue}$\u200c\u200d]/u;

/** Whether `name` appears in `code` as a whole word (as an identifier would; in comments and strings too). */
function appearsIn(code: string, name: string): boolean {
  for (let at = code.indexOf(name); at !== -1; at = code.indexOf(name, at + 1)) {
    const before = at > 0 ? code[at - 1]! : "";
    const after = code[at + name.length] ?? "";
    if (!(before && IDENTIFIER_PART.test(before)) && !(after && IDENTIFIER_PART.test(after))) return true;
  }
  return false;
}

/** Names the added code declares: none appears anywhere in the file (so none shadows or is shadowed). */
export class UniqueNames {
  readonly #issued = new Set<string>();
  constructor(readonly code: string) {}
  next(base: string): string {
    let name = base;
    for (let suffix = 1; this.#issued.has(name) || appearsIn(this.code, name); suffix++) name = `${base}_${suffix}`;
    this.#issued.add(name);
    return name;
  }
}

/** The added imports: the runtime namespace, and one namespace per module a class key comes from. */
class AddedImports {
  readonly runtime: string;
  readonly #byModule = new Map<string, string>();
  constructor(
    readonly s: MagicString,
    readonly names: UniqueNames,
    readonly format: ModuleFormat,
    readonly top: number,
  ) {
    this.runtime = names.next("inject_client_runtime");
  }

  statement(name: string, module: string): string {
    const specifier = JSON.stringify(module);
    return this.format === "cjs" ? `const ${name} = require(${specifier}); ` : `import * as ${name} from ${specifier}; `;
  }

  /** The namespace a class key is read from, imported right after the user's import of it (modules evaluate in the order written). */
  namespaceFor(key: Extract<ClientKey, { kind: "import" }>): string {
    let name = this.#byModule.get(key.module);
    if (!name) {
      name = this.names.next(`${key.localName}_module`);
      this.#byModule.set(key.module, name);
      const statement = this.statement(name, key.module);
      if (key.declaration) this.s.appendLeft(key.declaration.end, ` ${statement.trimEnd()}`);
      else this.s.appendLeft(this.top, statement);
    }
    return name;
  }
}

function propertyAccess(object: string, name: string): string {
  return /^[\p{ID_Start}$_][\p{ID_Continue}$]*$/u.test(name) ? `${object}.${name}` : `${object}[${JSON.stringify(name)}]`;
}

function keyText(code: string, target: Target, imports: AddedImports): string | undefined {
  const key = target.binding.key;
  if (!key) return undefined;
  if (key.kind === "argument") return code.slice(key.expression.start, key.expression.end);
  if (key.kind === "local") return key.name;
  const access = propertyAccess(imports.namespaceFor(key), key.exportName);
  // With no type checker, the imported name may be an interface (no value at run time): a keyless
  // `injected()` promised a class, so say so rather than resolve unkeyed. Without a placeholder it is
  // the optional form, which resolves unkeyed when there is no class.
  if (!target.binding.placeholder) return access;
  return `(${access} ?? ${imports.runtime}.missingClientClass(${JSON.stringify(key.localName)}, ${JSON.stringify(key.module)}))`;
}

const STATEMENT_CONTAINERS = new Set([
  "BlockStatement",
  "IfStatement",
  "DoWhileStatement",
  "WhileStatement",
  "ForStatement",
  "ForInStatement",
  "ForOfStatement",
  "LabeledStatement",
  "SwitchStatement",
  "SwitchCase",
  "TryStatement",
  "CatchClause",
  "WithStatement",
]);

/** The function's own `return` statements (not those of nested functions or classes). */
function ownReturns(body: AstNode): AstNode[] {
  const found: AstNode[] = [];
  const visit = (node: AstNode) => {
    if (node.type === "ReturnStatement") found.push(node);
    else if (STATEMENT_CONTAINERS.has(node.type)) forEachChild(node, visit);
  };
  forEachChild(body, visit);
  return found;
}

/** Edits one tagged function (see ../rewrite-function.ts for the shape and why). */
type LocalNames = [resolved: string, owned: string, result: string, completed: string, label: string];

function rewriteTarget(
  code: string,
  s: MagicString,
  target: Target,
  imports: AddedImports,
  [resolved, owned, result, completed, label]: LocalNames,
): void {
  const { fn, binding } = target;
  const rt = imports.runtime;
  const client = binding.local.name as string;
  const key = keyText(code, target, imports);

  if (binding.placeholder) {
    const initializer = binding.initializer!;
    // `client = void 0` keeps `fn.length`; the destructured form simply loses its default.
    if (binding.kind === "parameter") s.update(initializer.start, initializer.end, "void 0");
    else s.remove(binding.local.end, initializer.end);
  }

  const body = fn.body as AstNode;
  const returns = body.type === "BlockStatement" ? ownReturns(body) : [];
  const hasResult = body.type !== "BlockStatement" || returns.length > 0;
  const prologue =
    `const ${resolved} = ${rt}.getOrCreateClient(${client}${key ? `, ${key}` : ""}); ${client} = ${resolved}[0]; const ${owned} = !${resolved}[1]; ` +
    `let ${hasResult ? `${result}, ` : ""}${completed} = false; try { if (${owned}) await ${rt}.openClient(${resolved}[0]); `;
  const close = `} finally { if (${owned}) await (${completed} ? ${rt}.closeClient(${resolved}[0]) : ${rt}.closeClient(${resolved}[0]).catch(() => {})); }`;
  const settle = `if (${owned}) ${result} = await ${result}; ${completed} = true; return ${result}; `;

  if (body.type !== "BlockStatement") {
    // A concise arrow body is one `return`.
    s.appendLeft(body.start, `{ ${prologue}${result} = `);
    s.appendLeft(body.end, `; ${settle}${close} }`);
    return;
  }

  for (const statement of returns) {
    const argument = statement.argument as AstNode | null;
    const hasSemicolon = code[statement.end - 1] === ";";
    const sequence = argument?.type === "SequenceExpression";
    s.update(statement.start, statement.start + "return".length, argument ? `{ ${result} =${sequence ? " (" : ""}` : `{ break ${label}`);
    if (sequence) s.appendLeft(argument.end, ")");
    const tail = argument ? `; break ${label}; }` : "; }";
    if (hasSemicolon) s.update(statement.end - 1, statement.end, tail);
    else s.appendLeft(statement.end, tail);
  }

  const statements = body.body as AstNode[];
  let directives = 0;
  while (
    directives < statements.length &&
    statements[directives]!.type === "ExpressionStatement" &&
    typeof statements[directives]!.directive === "string"
  ) {
    directives++;
  }
  const start = directives > 0 ? statements[directives - 1]!.end : body.start + 1;
  s.appendLeft(start, ` ${prologue}${returns.length > 0 ? `${label}: {` : "{"}`);
  s.appendLeft(body.end - 1, returns.length > 0 ? ` } ${settle}${close} ` : ` } ${completed} = true; ${close} `);
}

/** Where added imports go: after a hashbang line and the file's directives, on their line. */
function topOf(code: string, program: AstNode): number {
  const statements = program.body as AstNode[];
  let directives = 0;
  while (
    directives < statements.length &&
    statements[directives]!.type === "ExpressionStatement" &&
    typeof statements[directives]!.directive === "string"
  ) {
    directives++;
  }
  if (directives > 0) return statements[directives - 1]!.end;
  if (program.hashbang) {
    const lineEnd = code.indexOf("\n", program.hashbang.end as number);
    return lineEnd === -1 ? code.length : lineEnd + 1;
  }
  return 0;
}

export function rewrite(code: string, s: MagicString, program: AstNode, targets: Target[], format: ModuleFormat): void {
  const names = new UniqueNames(code);
  const top = topOf(code, program);
  const imports = new AddedImports(s, names, format, top);
  const ordered = [...targets].sort((a, b) => a.fn.start - b.fn.start);
  const locals = new Map(
    ordered.map((target) => [target, ["resolved", "owned", "result", "completed", "body"].map((base) => names.next(base)) as LocalNames]),
  );
  // Inner functions first: their edits at a shared offset must come before the enclosing function's.
  for (const target of ordered.reverse()) rewriteTarget(code, s, target, imports, locals.get(target)!);
  const separator = top > 0 && !code.slice(0, top).endsWith("\n") ? " " : "";
  s.prependLeft(top, `${separator}${imports.statement(imports.runtime, RUNTIME_MODULE)}`);
}
