import type * as ts from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import type { ClientKey } from "./client-key.js";
import { pickClient, type ParameterShape } from "./rules.js";

/** Where the tagged function receives its client, and the local variable the body reads it from. */
export type ClientBinding =
  /** `client: C = injected()` or `client?: C`, at any position. */
  (
    | { kind: "parameter"; parameter: ts.ParameterDeclaration; local: ts.Identifier; initializer: ts.Expression | undefined }
    /** `{ client }: { client?: C } = {}` (also `{ client: c }`): the runtime wrapper's options convention. */
    | {
        kind: "property";
        parameter: ts.ParameterDeclaration;
        element: ts.BindingElement;
        local: ts.Identifier;
        initializer: ts.Expression | undefined;
      }
  ) & {
    /** The `injected()` call inside `initializer` (set by the analysis): the rewrite removes it, and only it. */
    placeholder?: ts.CallExpression;
    /** The class the client is resolved by (set by the analysis); none: unkeyed resolution. */
    key?: ClientKey;
  };

export type ClientSearch = { found: true; binding: ClientBinding } | { found: false; unsupported?: { node: ts.Node; reason: string } };

function propertyNameText(tsInstance: TypeScriptApi, element: ts.BindingElement): string | undefined {
  const name = element.propertyName ?? element.name;
  if (tsInstance.isIdentifier(name) || tsInstance.isStringLiteral(name)) return name.text;
  return undefined;
}

/** A parameter as the shared client search (../rules.ts) sees it. */
function shapeOf(tsInstance: TypeScriptApi, parameter: ts.ParameterDeclaration): ParameterShape<ts.Node> {
  const name = parameter.name;
  if (tsInstance.isIdentifier(name)) return { kind: "name", name: name.text, rest: parameter.dotDotDotToken !== undefined, node: parameter };
  if (!tsInstance.isObjectBindingPattern(name)) return { kind: "other" };
  return {
    kind: "pattern",
    properties: name.elements
      .filter((element) => !element.dotDotDotToken)
      .map((element) => ({ key: propertyNameText(tsInstance, element), bindsName: tsInstance.isIdentifier(element.name), node: element })),
  };
}

/** The first parameter named `client`, or the first `client` property destructured from a parameter (the rule: ../rules.ts). */
export function locateClient(tsInstance: TypeScriptApi, parameters: readonly ts.ParameterDeclaration[]): ClientSearch {
  const pick = pickClient(parameters.map((parameter) => shapeOf(tsInstance, parameter)));
  if (!pick.found) return pick;
  const parameter = parameters[pick.parameter]!;
  if (pick.property === undefined) {
    return { found: true, binding: { kind: "parameter", parameter, local: parameter.name as ts.Identifier, initializer: parameter.initializer } };
  }
  const element = (parameter.name as ts.ObjectBindingPattern).elements.filter((candidate) => !candidate.dotDotDotToken)[pick.property]!;
  return { found: true, binding: { kind: "property", parameter, element, local: element.name as ts.Identifier, initializer: element.initializer } };
}
