import type * as ts from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import type { RewritableFunction } from "./find-tagged.js";
import type { ClientBinding } from "./locate-client.js";
import { isDirective } from "./tag.js";

/**
 * Rewrites one tagged function in place (same node kind, name and parameters, so no wrapper,
 * no extra stack frame, unchanged `fn.name` and `fn.length`). The body becomes:
 *
 *   const resolved = runtime.getOrCreateClient(client, Key);
 *   client = resolved[0];
 *   const owned = !resolved[1];
 *   let result, completed = false;
 *   try {
 *     if (owned) await runtime.openClient(resolved[0]);
 *     body: { ...original body, each `return X;` -> `result = X; break body;` }
 *     if (owned) result = await result;
 *     completed = true;
 *     return result;
 *   } finally {
 *     if (owned) await (completed ? runtime.closeClient(resolved[0]) : runtime.closeClient(resolved[0]).catch(() => {}));
 *   }
 *
 * (Without a `return` in the body there is no `result` and no label: the body, then `completed = true;`.
 * Without a key, as for `client?: SomeInterface`, `getOrCreateClient(client)` resolves unkeyed.)
 *
 * Why this shape:
 * - `return X` becomes an assignment and a `break`, not `return await X`: awaiting at the return
 *   site would let the user's own `try/catch` around it catch X's rejection, which the original
 *   code (and the runtime wrapper) never does. The user's own `finally` blocks still run first.
 * - Only an owned client waits for the result (a plain `return p` inside try/finally would run
 *   `finally`, and close the client, before `p` settles); a passed or context client adds no
 *   await, so those paths cost what the hand-written resolution costs.
 * - The one `finally` is the runtime wrapper's contract: closed exactly once; on failure (open,
 *   the body, or the awaited result) the error propagates and a close error is ignored, on
 *   success a close error is reported. One cleanup site and no `catch` clause is also the
 *   smallest code on the passed/context path (measured: no slower than any other shape tried).
 * - `resolved[0]`, not `client`, is closed: the body may reassign `client`. `client` itself is
 *   reassigned rather than shadowed by a new `const`: a new binding would change what parameter
 *   defaults, `arguments` (sloppy mode) and a body that assigns `client` see, for no measured gain.
 */
export function rewriteFunction(
  tsInstance: TypeScriptApi,
  factory: ts.NodeFactory,
  fn: RewritableFunction,
  binding: ClientBinding,
  runtime: ts.Identifier,
  key: ts.Expression | undefined,
): RewritableFunction {
  const names = {
    resolved: factory.createUniqueName("resolved"),
    owned: factory.createUniqueName("owned"),
    result: factory.createUniqueName("result"),
    completed: factory.createUniqueName("completed"),
    body: factory.createUniqueName("body"),
  };
  const parameters = fn.parameters.map((parameter) => rewriteParameter(factory, parameter, binding));

  const original = fn.body!;
  const [directives, statements] = tsInstance.isBlock(original)
    ? splitDirectives(tsInstance, original.statements)
    : [[], [tsInstance.setTextRange(factory.createReturnStatement(original), original)]];

  let returns = 0;
  const rewriteReturns = (node: ts.Node): ts.VisitResult<ts.Node> => {
    if (tsInstance.isReturnStatement(node)) {
      returns++;
      // Two statements where one stood: statement lists splice them in, and an `if`/loop body
      // gets them wrapped in a block (visitEachChild lifts arrays to blocks).
      const replacement: ts.Statement[] = [];
      if (node.expression) {
        replacement.push(factory.createExpressionStatement(factory.createAssignment(names.result, node.expression)));
      }
      replacement.push(factory.createBreakStatement(names.body));
      // The first statement stands for the return: its comments and source-map position.
      tsInstance.setOriginalNode(tsInstance.setTextRange(replacement[0]!, node), node);
      return replacement;
    }
    // Nested functions and classes have returns of their own.
    if (tsInstance.isFunctionLike(node) || tsInstance.isClassLike(node)) return node;
    // Only statements can contain a return statement of this function.
    if (!isStatementContainer(tsInstance, node)) return node;
    return tsInstance.visitEachChild(node, rewriteReturns, undefined);
  };
  const body = tsInstance.visitNodes(factory.createNodeArray(statements), rewriteReturns, tsInstance.isStatement);

  const clientOf = () => factory.createElementAccessExpression(names.resolved, 0);
  const call = (exportName: string, ...args: ts.Expression[]) =>
    factory.createCallExpression(factory.createPropertyAccessExpression(runtime, exportName), undefined, args);
  const ifOwned = (statement: ts.Statement) => factory.createIfStatement(names.owned, statement);
  const declare = (flags: ts.NodeFlags, ...declarations: Array<[ts.Identifier, ts.Expression | undefined]>) =>
    factory.createVariableStatement(
      undefined,
      factory.createVariableDeclarationList(
        declarations.map(([name, initializer]) => factory.createVariableDeclaration(name, undefined, undefined, initializer)),
        flags,
      ),
    );
  const assign = (name: ts.Identifier, value: ts.Expression) => factory.createExpressionStatement(factory.createAssignment(name, value));

  const client = factory.createIdentifier(binding.local.text);
  const resolve = declare(tsInstance.NodeFlags.Const, [
    names.resolved,
    key ? call("getOrCreateClient", client, key) : call("getOrCreateClient", client),
  ]);
  // Errors thrown while resolving (no factory set, say) point at the client parameter.
  tsInstance.setSourceMapRange(resolve, binding.kind === "parameter" ? binding.parameter : binding.element);

  const prologue: ts.Statement[] = [
    resolve,
    assign(factory.createIdentifier(binding.local.text), clientOf()),
    declare(tsInstance.NodeFlags.Const, [names.owned, factory.createLogicalNot(factory.createElementAccessExpression(names.resolved, 1))]),
    declare(tsInstance.NodeFlags.Let, ...(returns > 0 ? [[names.result, undefined] as [ts.Identifier, undefined]] : []), [
      names.completed,
      factory.createFalse(),
    ]),
  ];

  const tryBlock: ts.Statement[] = [ifOwned(factory.createExpressionStatement(factory.createAwaitExpression(call("openClient", clientOf()))))];
  if (returns > 0) {
    tryBlock.push(
      factory.createLabeledStatement(names.body, factory.createBlock(body, true)),
      ifOwned(assign(names.result, factory.createAwaitExpression(names.result))),
      assign(names.completed, factory.createTrue()),
      factory.createReturnStatement(names.result),
    );
  } else {
    tryBlock.push(...body, assign(names.completed, factory.createTrue()));
  }

  const ignoreCloseError = factory.createArrowFunction(undefined, undefined, [], undefined, undefined, factory.createBlock([]));
  const close = factory.createConditionalExpression(
    names.completed,
    factory.createToken(tsInstance.SyntaxKind.QuestionToken),
    call("closeClient", clientOf()),
    factory.createToken(tsInstance.SyntaxKind.ColonToken),
    factory.createCallExpression(factory.createPropertyAccessExpression(call("closeClient", clientOf()), "catch"), undefined, [ignoreCloseError]),
  );
  const finallyBlock = factory.createBlock(
    [ifOwned(factory.createExpressionStatement(factory.createAwaitExpression(factory.createParenthesizedExpression(close))))],
    true,
  );

  const newBody = tsInstance.setTextRange(
    factory.createBlock([...directives, ...prologue, factory.createTryStatement(factory.createBlock(tryBlock, true), undefined, finallyBlock)], true),
    original,
  );
  return updateFunction(tsInstance, factory, fn, parameters, newBody);
}

/**
 * Removes `injected()` (the transformer's placeholder) from the client binding. Any other default
 * (`client = makeClient()`) stays: like a passed client, its value is used as is.
 */
function rewriteParameter(factory: ts.NodeFactory, parameter: ts.ParameterDeclaration, binding: ClientBinding): ts.ParameterDeclaration {
  if (parameter !== binding.parameter || !binding.placeholder) return parameter;
  if (binding.kind === "parameter") {
    // `client = void 0` rather than no default: a default keeps `fn.length` what it was.
    return factory.updateParameterDeclaration(
      parameter,
      parameter.modifiers,
      parameter.dotDotDotToken,
      parameter.name,
      parameter.questionToken,
      parameter.type,
      factory.createVoidZero(),
    );
  }
  const pattern = parameter.name as ts.ObjectBindingPattern;
  const elements = pattern.elements.map((element) =>
    element === binding.element
      ? factory.updateBindingElement(element, element.dotDotDotToken, element.propertyName, element.name, undefined)
      : element,
  );
  return factory.updateParameterDeclaration(
    parameter,
    parameter.modifiers,
    parameter.dotDotDotToken,
    factory.updateObjectBindingPattern(pattern, elements),
    parameter.questionToken,
    parameter.type,
    parameter.initializer,
  );
}

function splitDirectives(tsInstance: TypeScriptApi, statements: readonly ts.Statement[]): [ts.Statement[], ts.Statement[]] {
  let count = 0;
  while (count < statements.length && isDirective(tsInstance, statements[count]!)) count++;
  return [statements.slice(0, count), statements.slice(count)];
}

function isStatementContainer(tsInstance: TypeScriptApi, node: ts.Node): boolean {
  const k = tsInstance.SyntaxKind;
  switch (node.kind) {
    case k.Block:
    case k.IfStatement:
    case k.DoStatement:
    case k.WhileStatement:
    case k.ForStatement:
    case k.ForInStatement:
    case k.ForOfStatement:
    case k.LabeledStatement:
    case k.SwitchStatement:
    case k.CaseBlock:
    case k.CaseClause:
    case k.DefaultClause:
    case k.TryStatement:
    case k.CatchClause:
    case k.WithStatement:
      return true;
    default:
      return false;
  }
}

function updateFunction(
  tsInstance: TypeScriptApi,
  factory: ts.NodeFactory,
  fn: RewritableFunction,
  parameters: ts.ParameterDeclaration[],
  body: ts.Block,
): RewritableFunction {
  if (tsInstance.isFunctionDeclaration(fn)) {
    return factory.updateFunctionDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, parameters, fn.type, body);
  }
  if (tsInstance.isFunctionExpression(fn)) {
    return factory.updateFunctionExpression(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, parameters, fn.type, body);
  }
  if (tsInstance.isArrowFunction(fn)) {
    return factory.updateArrowFunction(fn, fn.modifiers, fn.typeParameters, parameters, fn.type, fn.equalsGreaterThanToken, body);
  }
  return factory.updateMethodDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.questionToken, fn.typeParameters, parameters, fn.type, body);
}
