import type * as ts from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import type { RewritableFunction } from "./find-tagged.js";
import type { ClientBinding } from "./locate-client.js";
import { isDirective } from "./tag.js";

/**
 * Rewrites one tagged function in place (same node kind, name and parameters, so no wrapper,
 * no extra stack frame, unchanged `fn.name` and `fn.length`). The body becomes:
 *
 *   const resolved = runtime.getOrCreateClient(client);
 *   client = resolved[0];
 *   let owned = !resolved[1];
 *   let result;
 *   try {
 *     if (owned) await runtime.openClient(resolved[0]);
 *     body: { ...original body, each `return X;` -> `result = X; break body;` }
 *     return owned ? await result : result;
 *   } catch (error) {
 *     if (owned) { owned = false; await runtime.closeClient(resolved[0]).catch(() => {}); }
 *     throw error;
 *   } finally {
 *     if (owned) await runtime.closeClient(resolved[0]);
 *   }
 *
 * Why this shape:
 * - `return X` becomes an assignment and a `break`, not `return await X`: awaiting at the return
 *   site would let the user's own `try/catch` around it catch X's rejection, which the original
 *   code (and the runtime wrapper) never does. The user's own `finally` blocks still run first.
 * - Only an owned client waits for the result (a plain `return p` inside try/finally would run
 *   `finally`, and close the client, before `p` settles); a passed or context client adds no
 *   await, so those paths cost what the hand-written resolution costs.
 * - The catch/finally pair is the runtime wrapper's contract: closed exactly once; on failure the
 *   body's (or open's) error wins over a close error, on success a close error is reported.
 * - `resolved[0]`, not `client`, is closed: the body may reassign `client`.
 */
export function rewriteFunction(
  tsInstance: TypeScriptApi,
  factory: ts.NodeFactory,
  fn: RewritableFunction,
  binding: ClientBinding,
  runtime: ts.Identifier,
): RewritableFunction {
  const names = {
    resolved: factory.createUniqueName("resolved"),
    owned: factory.createUniqueName("owned"),
    result: factory.createUniqueName("result"),
    body: factory.createUniqueName("body"),
    error: factory.createUniqueName("error"),
  };
  const parameters = fn.parameters.map((parameter) => rewriteParameter(tsInstance, factory, parameter, binding));

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
  const call = (exportName: string, argument: ts.Expression) =>
    factory.createCallExpression(factory.createPropertyAccessExpression(runtime, exportName), undefined, [argument]);
  const ifOwned = (statement: ts.Statement) => factory.createIfStatement(names.owned, statement);

  const resolve = factory.createVariableStatement(
    undefined,
    factory.createVariableDeclarationList(
      [factory.createVariableDeclaration(names.resolved, undefined, undefined, call("getOrCreateClient", factory.createIdentifier(binding.local.text)))],
      tsInstance.NodeFlags.Const,
    ),
  );
  // Errors thrown while resolving (no factory set, say) point at the client parameter.
  tsInstance.setSourceMapRange(resolve, binding.kind === "parameter" ? binding.parameter : binding.element);

  const prologue: ts.Statement[] = [
    resolve,
    factory.createExpressionStatement(factory.createAssignment(factory.createIdentifier(binding.local.text), clientOf())),
    factory.createVariableStatement(
      undefined,
      factory.createVariableDeclarationList(
        [
          factory.createVariableDeclaration(
            names.owned,
            undefined,
            undefined,
            factory.createLogicalNot(factory.createElementAccessExpression(names.resolved, 1)),
          ),
        ],
        tsInstance.NodeFlags.Let,
      ),
    ),
  ];
  if (returns > 0) {
    prologue.push(
      factory.createVariableStatement(
        undefined,
        factory.createVariableDeclarationList([factory.createVariableDeclaration(names.result)], tsInstance.NodeFlags.Let),
      ),
    );
  }

  const tryBlock: ts.Statement[] = [ifOwned(factory.createExpressionStatement(factory.createAwaitExpression(call("openClient", clientOf()))))];
  if (returns > 0) {
    tryBlock.push(factory.createLabeledStatement(names.body, factory.createBlock(body, true)));
    tryBlock.push(
      factory.createReturnStatement(
        factory.createConditionalExpression(
          names.owned,
          factory.createToken(tsInstance.SyntaxKind.QuestionToken),
          factory.createAwaitExpression(names.result),
          factory.createToken(tsInstance.SyntaxKind.ColonToken),
          names.result,
        ),
      ),
    );
  } else {
    tryBlock.push(...body);
  }

  const ignoreCloseError = factory.createArrowFunction(undefined, undefined, [], undefined, undefined, factory.createBlock([]));
  const catchClause = factory.createCatchClause(
    names.error,
    factory.createBlock(
      [
        ifOwned(
          factory.createBlock(
            [
              factory.createExpressionStatement(factory.createAssignment(names.owned, factory.createFalse())),
              factory.createExpressionStatement(
                factory.createAwaitExpression(
                  factory.createCallExpression(
                    factory.createPropertyAccessExpression(call("closeClient", clientOf()), "catch"),
                    undefined,
                    [ignoreCloseError],
                  ),
                ),
              ),
            ],
            true,
          ),
        ),
        factory.createThrowStatement(names.error),
      ],
      true,
    ),
  );
  const finallyBlock = factory.createBlock(
    [ifOwned(factory.createExpressionStatement(factory.createAwaitExpression(call("closeClient", clientOf()))))],
    true,
  );

  const newBody = tsInstance.setTextRange(
    factory.createBlock(
      [...directives, ...prologue, factory.createTryStatement(factory.createBlock(tryBlock, true), catchClause, finallyBlock)],
      true,
    ),
    original,
  );
  return updateFunction(tsInstance, factory, fn, parameters, newBody);
}

/** Removes `injected()` (the transformer's placeholder) from the client binding. */
function rewriteParameter(
  tsInstance: TypeScriptApi,
  factory: ts.NodeFactory,
  parameter: ts.ParameterDeclaration,
  binding: ClientBinding,
): ts.ParameterDeclaration {
  if (parameter !== binding.parameter || !binding.initializer) return parameter;
  if (binding.kind === "parameter") {
    // `client = void 0` rather than no default: a default keeps `fn.length` what it was.
    return factory.updateParameterDeclaration(
      parameter,
      parameter.modifiers,
      parameter.dotDotDotToken,
      parameter.name,
      parameter.questionToken,
      parameter.type,
      isPlaceholder(tsInstance, binding.initializer) ? factory.createVoidZero() : binding.initializer,
    );
  }
  if (!isPlaceholder(tsInstance, binding.initializer)) return parameter;
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

/** `injected()` in any spelling the analysis accepted (it already checked the callee). */
function isPlaceholder(tsInstance: TypeScriptApi, initializer: ts.Expression): boolean {
  let expression = initializer;
  while (tsInstance.isParenthesizedExpression(expression) || tsInstance.isAsExpression(expression) || tsInstance.isNonNullExpression(expression) || tsInstance.isSatisfiesExpression(expression)) {
    expression = expression.expression;
  }
  if (!tsInstance.isCallExpression(expression) || expression.arguments.length !== 0) return false;
  const callee = expression.expression;
  if (tsInstance.isIdentifier(callee)) return true;
  return tsInstance.isPropertyAccessExpression(callee) && callee.name.text === "injected";
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
  return factory.updateMethodDeclaration(
    fn,
    fn.modifiers,
    fn.asteriskToken,
    fn.name,
    fn.questionToken,
    fn.typeParameters,
    parameters,
    fn.type,
    body,
  );
}
