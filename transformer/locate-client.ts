import type * as ts from "typescript";
import type { TypeScriptApi } from "./typescript-api.js";
import type { ClientKey } from "./client-key.js";
import { reasons } from "./messages.js";

/** Where the tagged function receives its client, and the local variable the body reads it from. */
export type ClientBinding = (
  /** `client: C = injected()` or `client?: C`, at any position. */
  | { kind: "parameter"; parameter: ts.ParameterDeclaration; local: ts.Identifier; initializer: ts.Expression | undefined }
  /** `{ client }: { client?: C } = {}` (also `{ client: c }`): the runtime wrapper's options convention. */
  | { kind: "property"; parameter: ts.ParameterDeclaration; element: ts.BindingElement; local: ts.Identifier; initializer: ts.Expression | undefined }
) & {
  /** The `injected()` call inside `initializer` (set by the analysis): the rewrite removes it, and only it. */
  placeholder?: ts.CallExpression;
  /** The class the client is resolved by (set by the analysis); none: unkeyed resolution. */
  key?: ClientKey;
};

export type ClientSearch =
  | { found: true; binding: ClientBinding }
  | { found: false; unsupported?: { node: ts.Node; reason: string } };

const CLIENT = "client";

function propertyNameText(tsInstance: TypeScriptApi, element: ts.BindingElement): string | undefined {
  const name = element.propertyName ?? element.name;
  if (tsInstance.isIdentifier(name) || tsInstance.isStringLiteral(name)) return name.text;
  return undefined;
}

/** The first parameter named `client`, or the first `client` property destructured from a parameter. */
export function locateClient(tsInstance: TypeScriptApi, parameters: readonly ts.ParameterDeclaration[]): ClientSearch {
  for (const parameter of parameters) {
    const name = parameter.name;
    if (tsInstance.isIdentifier(name)) {
      if (name.text !== CLIENT) continue;
      if (parameter.dotDotDotToken) {
        return { found: false, unsupported: { node: parameter, reason: reasons.restClient } };
      }
      return { found: true, binding: { kind: "parameter", parameter, local: name, initializer: parameter.initializer } };
    }
    if (!tsInstance.isObjectBindingPattern(name)) continue;
    for (const element of name.elements) {
      if (element.dotDotDotToken || propertyNameText(tsInstance, element) !== CLIENT) continue;
      if (!tsInstance.isIdentifier(element.name)) {
        return {
          found: false,
          unsupported: {
            node: element,
            reason: reasons.nestedClient,
          },
        };
      }
      return {
        found: true,
        binding: { kind: "property", parameter, element, local: element.name, initializer: element.initializer },
      };
    }
  }
  return { found: false };
}
