// What the generator may emit, checked on the TypeScript AST and token stream of a generated index.ts.
// Allowed: imports of the runtime and the sibling files, type-only exports, type declarations, constants
// that are pure data (literals only: an operations table), and one class whose code (constructor,
// static blocks, `fromEnv`) is the same as in a reference generated from a benign spec, plus async
// methods whose body is one `return this.request(<string>, <string>, { path: {...}, body }, options)`.
// Anything else (a statement, a member, an expression, a template, an identifier carrying spec text)
// came from the spec, and is reported.
import ts from "typescript";

export interface ShapeReport {
  problems: string[];
  /** The generated method names, in order. */
  methods: string[];
  className?: string;
}

const MODULES = new Set(["inject-client/runtime", "./types.js", "./methods.js"]);
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function text(node: ts.Node, file: ts.SourceFile): string {
  return node.getText(file).slice(0, 120);
}

/** Parse errors: text from the spec that ended a comment or a string early shows up here first. */
export function parseDiagnostics(file: ts.SourceFile): string[] {
  const diagnostics = (file as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diagnostics.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
}

/** Every token outside comments and string literals: identifiers must be plain ASCII and never carry a canary. */
function checkTokens(source: string, canary: string, problems: string[]): void {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, source);
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const token = scanner.getTokenText();
    if (kind === ts.SyntaxKind.MultiLineCommentTrivia) {
      if (token.indexOf("*/") !== token.length - 2) problems.push(`a block comment holds "*/" before its end: ${token.slice(0, 80)}`);
    } else if (kind === ts.SyntaxKind.SingleLineCommentTrivia) {
      if (/[\u2028\u2029\r]/.test(token)) problems.push(`a line comment holds a line terminator: ${JSON.stringify(token.slice(0, 80))}`);
    } else if (kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral || kind === ts.SyntaxKind.TemplateHead) {
      problems.push(`a template literal (the generator writes none): ${token.slice(0, 80)}`);
    } else if (kind === ts.SyntaxKind.Identifier || kind === ts.SyntaxKind.PrivateIdentifier) {
      if (!IDENTIFIER.test(token)) problems.push(`a non-ASCII or odd identifier: ${JSON.stringify(token.slice(0, 80))}`);
      if (token.includes(canary)) problems.push(`an identifier carries spec text: ${token.slice(0, 80)}`);
    } else if (kind === ts.SyntaxKind.Unknown) {
      problems.push(`an unknown token: ${JSON.stringify(token.slice(0, 80))}`);
    }
  }
}

function checkMethodBody(method: ts.MethodDeclaration, file: ts.SourceFile, problems: string[]): void {
  const where = `method ${method.name.getText(file).slice(0, 60)}`;
  const statements = method.body?.statements ?? [];
  const only = statements[0];
  if (statements.length !== 1 || !only || !ts.isReturnStatement(only) || !only.expression || !ts.isCallExpression(only.expression)) {
    problems.push(`${where}: the body is not one \`return this.request(...)\``);
    return;
  }
  const call = only.expression;
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword || callee.name.text !== "request") {
    problems.push(`${where}: calls ${text(callee, file)}, not this.request`);
  }
  const [method_, route, input, options, ...rest] = call.arguments;
  if (rest.length > 0 || !method_ || !route || !input || !options)
    problems.push(`${where}: this.request takes 4 arguments, not ${call.arguments.length}`);
  if (method_ && !ts.isStringLiteral(method_)) problems.push(`${where}: the HTTP method is not a string literal`);
  if (route && !ts.isStringLiteral(route)) problems.push(`${where}: the path is not a string literal`);
  if (options && !(ts.isIdentifier(options) && options.text === "options")) problems.push(`${where}: the last argument is not \`options\``);
  const parameterNames = new Set(method.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : "")));
  if (input && !ts.isObjectLiteralExpression(input)) {
    problems.push(`${where}: the input is not an object literal`);
  } else if (input && ts.isObjectLiteralExpression(input)) {
    for (const property of input.properties) {
      if (ts.isShorthandPropertyAssignment(property) && property.name.text === "body" && parameterNames.has("body")) continue;
      if (
        ts.isPropertyAssignment(property) &&
        ts.isIdentifier(property.name) &&
        property.name.text === "path" &&
        ts.isObjectLiteralExpression(property.initializer)
      ) {
        for (const field of property.initializer.properties) {
          const value = ts.isShorthandPropertyAssignment(field) ? field.name : ts.isPropertyAssignment(field) ? field.initializer : undefined;
          if (!value || !ts.isIdentifier(value) || !parameterNames.has(value.text))
            problems.push(`${where}: a path field is not one of the parameters: ${text(field, file)}`);
          if (ts.isPropertyAssignment(field) && !(ts.isIdentifier(field.name) || ts.isStringLiteral(field.name)))
            problems.push(`${where}: a computed path key: ${text(field, file)}`);
        }
        continue;
      }
      problems.push(`${where}: an unexpected input field: ${text(property, file)}`);
    }
  }
  for (const parameter of method.parameters) {
    if (!ts.isIdentifier(parameter.name)) problems.push(`${where}: a destructured parameter`);
    if (parameter.initializer) problems.push(`${where}: a parameter default (code): ${text(parameter.initializer, file)}`);
  }
}

function unwrap(node: ts.Expression): ts.Expression {
  return ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node) ? unwrap(node.expression) : node;
}

/** Literals only: objects (plain keys), arrays, strings, numbers, booleans, null. Nothing that runs. */
function isData(node: ts.Expression): boolean {
  const inner = unwrap(node);
  if (ts.isStringLiteral(inner) || ts.isNumericLiteral(inner)) return true;
  if ([ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword].includes(inner.kind)) return true;
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(inner.operand)) return true;
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.every((element) => isData(element));
  if (ts.isObjectLiteralExpression(inner)) {
    return inner.properties.every(
      (property) =>
        ts.isPropertyAssignment(property) &&
        (ts.isIdentifier(property.name) ||
          ts.isStringLiteral(property.name) ||
          ts.isNumericLiteral(property.name) ||
          (ts.isComputedPropertyName(property.name) && ts.isStringLiteral(property.name.expression))) &&
        isData(property.initializer),
    );
  }
  return false;
}

/** Code with the class name and whitespace normalised, to compare with a reference generation. */
function normaliseCode(code: string, className: string): string {
  return code.split(className).join("$Client").replace(/\s+/g, " ");
}

/** The static blocks of a reference index.ts, normalised. */
function classCode(reference: string): string[] {
  const file = ts.createSourceFile("reference.ts", reference, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const blocks: string[] = [];
  for (const statement of file.statements) {
    if (ts.isClassDeclaration(statement) && statement.name) {
      for (const member of statement.members)
        if (ts.isClassStaticBlockDeclaration(member)) blocks.push(normaliseCode(member.getText(file), statement.name.text));
    }
  }
  return blocks;
}

/**
 * Checks a generated index.ts. `canary`: text every code-shaped payload in the spec holds; `reference`:
 * an index.ts generated from a benign spec, whose class code (static blocks) this one's must equal.
 */
export function checkGeneratedShape(source: string, options: { canary?: string; reference?: string } = {}): ShapeReport {
  const canary = options.canary ?? "PWNED";
  const problems: string[] = [];
  const methods: string[] = [];
  let className: string | undefined;
  const file = ts.createSourceFile("index.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  problems.push(...parseDiagnostics(file).map((message) => `parse error: ${message}`));
  checkTokens(source, canary, problems);

  const reference = options.reference === undefined ? undefined : classCode(options.reference);
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      if (MODULES.has(statement.moduleSpecifier.text) && statement.importClause && !statement.importClause.name) continue;
    } else if (ts.isExportDeclaration(statement)) {
      if (
        statement.isTypeOnly &&
        statement.moduleSpecifier &&
        ts.isStringLiteral(statement.moduleSpecifier) &&
        MODULES.has(statement.moduleSpecifier.text)
      )
        continue;
    } else if (ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
      continue; // types run nothing; their identifiers went through checkTokens
    } else if (ts.isVariableStatement(statement)) {
      const declarations = statement.declarationList.declarations;
      const nonData = declarations.filter((declaration) => !declaration.initializer || !isData(declaration.initializer));
      if (nonData.length === 0) {
        for (const declaration of declarations) {
          if (
            ts.isIdentifier(declaration.name) &&
            declaration.name.text === "operations" &&
            ts.isObjectLiteralExpression(unwrap(declaration.initializer!))
          ) {
            for (const property of (unwrap(declaration.initializer!) as ts.ObjectLiteralExpression).properties) {
              if (property.name && ts.isIdentifier(property.name)) methods.push(property.name.text);
              else problems.push(`an operations entry whose name is not an identifier: ${text(property, file)}`);
            }
          }
        }
        continue;
      }
      problems.push(`a constant that is not pure data: ${text(nonData[0]!, file)}`);
      continue;
    } else if (ts.isClassDeclaration(statement) && statement.name && className === undefined) {
      className = statement.name.text;
      const heritage = statement.heritageClauses?.[0]?.types[0];
      if (statement.heritageClauses?.length !== 1 || !heritage || heritage.getText(file) !== "OpenAPIClient<paths>")
        problems.push(`the class does not extend OpenAPIClient<paths>`);
      let constructors = 0;
      for (const member of statement.members) {
        if (ts.isConstructorDeclaration(member)) {
          constructors += 1;
          if (member.body?.getText(file).replace(/\s+/g, " ") !== "{ super({ ...defaults, ...settings }); }")
            problems.push(`the constructor is not the generator's`);
          continue;
        }
        if (ts.isClassStaticBlockDeclaration(member)) {
          const code = normaliseCode(member.getText(file), className);
          if (reference && !reference.includes(code)) problems.push(`a static block that differs from the reference's: ${code.slice(0, 200)}`);
          continue;
        }
        if (ts.isMethodDeclaration(member)) {
          if (!ts.isIdentifier(member.name)) {
            problems.push(`a method name that is not an identifier: ${text(member.name, file)}`);
            continue;
          }
          const isStatic = member.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword) === true;
          if (isStatic && member.name.text === "fromEnv") {
            if (member.body?.getText(file).replace(/\s+/g, " ") !== `{ return new ${className}(settingsFromEnv()); }`)
              problems.push("fromEnv is not the generator's");
            continue;
          }
          if (isStatic || !member.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword))
            problems.push(`method ${member.name.text} is not an async instance method`);
          methods.push(member.name.text);
          checkMethodBody(member, file, problems);
          continue;
        }
        problems.push(`an unexpected class member: ${text(member, file)}`);
      }
      if (constructors !== 1) problems.push(`${constructors} constructors`);
      continue;
    } else if (
      ts.isExpressionStatement(statement) &&
      className &&
      statement.getText(file) === `setDefaultClientFactory(() => ${className}.fromEnv());`
    ) {
      continue;
    }
    problems.push(`an unexpected top-level statement: ${text(statement, file)}`);
  }
  if (className === undefined) problems.push("no class");
  return { problems, methods, className };
}

/** The statements of a generated .d.ts (types, methods): declarations only (it runs nothing, but must still parse). */
export function checkDeclarationShape(source: string, canary = "PWNED"): string[] {
  const problems: string[] = [];
  const file = ts.createSourceFile("types.d.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  problems.push(...parseDiagnostics(file).map((message) => `parse error: ${message}`));
  for (const statement of file.statements) {
    const typeImport =
      ts.isImportDeclaration(statement) &&
      statement.importClause?.isTypeOnly === true &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      MODULES.has(statement.moduleSpecifier.text);
    if (!(typeImport || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)))
      problems.push(`an unexpected statement in a declaration file: ${text(statement, file)}`);
  }
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text.includes(canary)) problems.push(`an identifier carries spec text: ${node.text.slice(0, 80)}`);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return problems;
}
