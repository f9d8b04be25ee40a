import { staticName, type AstNode } from "./ast.js";
import type { ClientKey } from "./keys.js";
import { reasons } from "../messages.js";

/** Where the tagged function receives its client, and the local variable the body reads it from (see ../locate-client.ts). */
export type ClientBinding = (
  /** `client: C = injected()` or `client?: C`: `parameter` is the whole parameter (an `AssignmentPattern` with a default). */
  | { kind: "parameter"; parameter: AstNode; local: AstNode; initializer: AstNode | undefined }
  /** `{ client }: { client?: C } = {}` (also `{ client: c }`): `element` is the pattern's `Property`. */
  | { kind: "property"; parameter: AstNode; element: AstNode; local: AstNode; initializer: AstNode | undefined }
) & {
  /** The `injected()` call inside `initializer` (set by the analysis): the rewrite removes it, and only it. */
  placeholder?: AstNode;
  key?: ClientKey;
};

export type ClientSearch = { found: true; binding: ClientBinding } | { found: false; unsupported?: { node: AstNode; reason: string } };

const CLIENT = "client";

/** The first parameter named `client`, or the first `client` property destructured from a parameter. */
export function locateClient(parameters: readonly AstNode[]): ClientSearch {
  for (const written of parameters) {
    // `constructor(private client = …)`: the parameter inside the property.
    const parameter = written.type === "TSParameterProperty" ? (written.parameter as AstNode) : written;
    const rest = parameter.type === "RestElement";
    const withDefault = parameter.type === "AssignmentPattern";
    const name = (rest ? parameter.argument : withDefault ? parameter.left : parameter) as AstNode;
    if (name.type === "Identifier") {
      if (name.name !== CLIENT) continue;
      if (rest) return { found: false, unsupported: { node: written, reason: reasons.restClient } };
      return { found: true, binding: { kind: "parameter", parameter, local: name, initializer: withDefault ? (parameter.right as AstNode) : undefined } };
    }
    if (name.type !== "ObjectPattern") continue;
    for (const element of name.properties as AstNode[]) {
      if (element.type !== "Property" || staticName(element.key, element.computed as boolean) !== CLIENT) continue;
      const value = element.value as AstNode;
      const local = value.type === "AssignmentPattern" ? (value.left as AstNode) : value;
      if (local.type !== "Identifier") {
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
        binding: { kind: "property", parameter, element, local, initializer: value.type === "AssignmentPattern" ? (value.right as AstNode) : undefined },
      };
    }
  }
  return { found: false };
}
