import { staticName, type AstNode } from "./ast.js";
import type { ClientKey } from "./keys.js";
import { pickClient, type ParameterShape } from "../rules.js";

/** Where the tagged function receives its client, and the local variable the body reads it from (see ../locate-client.ts). */
export type ClientBinding =
  /** `client: C = injected()` or `client?: C`: `parameter` is the whole parameter (an `AssignmentPattern` with a default). */
  (
    | { kind: "parameter"; parameter: AstNode; local: AstNode; initializer: AstNode | undefined }
    /** `{ client }: { client?: C } = {}` (also `{ client: c }`): `element` is the pattern's `Property`. */
    | { kind: "property"; parameter: AstNode; element: AstNode; local: AstNode; initializer: AstNode | undefined }
  ) & {
    /** The `injected()` call inside `initializer` (set by the analysis): the rewrite removes it, and only it. */
    placeholder?: AstNode;
    key?: ClientKey;
  };

export type ClientSearch = { found: true; binding: ClientBinding } | { found: false; unsupported?: { node: AstNode; reason: string } };

/** `constructor(private client = …)`: the parameter inside the property. */
const unwrapProperty = (written: AstNode): AstNode => (written.type === "TSParameterProperty" ? (written.parameter as AstNode) : written);
/** The name or pattern a parameter binds, inside `...` and a default. */
const bindingOf = (parameter: AstNode): AstNode =>
  (parameter.type === "RestElement" ? parameter.argument : parameter.type === "AssignmentPattern" ? parameter.left : parameter) as AstNode;

/** A parameter as the shared client search (../rules.ts) sees it. */
function shapeOf(written: AstNode): ParameterShape<AstNode> {
  const parameter = unwrapProperty(written);
  const name = bindingOf(parameter);
  if (name.type === "Identifier") return { kind: "name", name: name.name as string, rest: parameter.type === "RestElement", node: written };
  if (name.type !== "ObjectPattern") return { kind: "other" };
  return {
    kind: "pattern",
    properties: propertiesOf(name).map((element) => ({
      key: staticName(element.key, element.computed as boolean),
      bindsName: localOf(element).type === "Identifier",
      node: element,
    })),
  };
}

/** A pattern's `Property` elements (its rest element left out). */
const propertiesOf = (pattern: AstNode): AstNode[] => (pattern.properties as AstNode[]).filter((element) => element.type === "Property");
/** `{ client }`, `{ client: c }`, `{ client = … }`: the name the property binds. */
const localOf = (element: AstNode): AstNode => {
  const value = element.value as AstNode;
  return value.type === "AssignmentPattern" ? (value.left as AstNode) : value;
};

/** The first parameter named `client`, or the first `client` property destructured from a parameter (the rule: ../rules.ts). */
export function locateClient(parameters: readonly AstNode[]): ClientSearch {
  const pick = pickClient(parameters.map(shapeOf));
  if (!pick.found) return pick;
  const parameter = unwrapProperty(parameters[pick.parameter]!);
  if (pick.property === undefined) {
    const withDefault = parameter.type === "AssignmentPattern";
    return {
      found: true,
      binding: { kind: "parameter", parameter, local: bindingOf(parameter), initializer: withDefault ? (parameter.right as AstNode) : undefined },
    };
  }
  const element = propertiesOf(bindingOf(parameter))[pick.property]!;
  const value = element.value as AstNode;
  return {
    found: true,
    binding: {
      kind: "property",
      parameter,
      element,
      local: localOf(element),
      initializer: value.type === "AssignmentPattern" ? (value.right as AstNode) : undefined,
    },
  };
}
