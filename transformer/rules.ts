// The transformer's decisions, for both engines: the tspc door reads TypeScript's AST, the oxc core
// reads ESTree, and each turns what it sees into the shapes below; which parameter holds the client and
// what a tagged subject gets (a rewrite, or which diagnostic) are decided here, once. The messages are
// ./messages.ts; the differential and parity suites hold the two engines' results equal.
import { InjectClientDiagnostic, type InjectClientDiagnosticCode } from "./diagnostics.js";
import { misuse, reasons } from "./messages.js";

const CLIENT = "client";

/** A parameter as the client search sees it. */
export type ParameterShape<Node> =
  /** `client`, `client = …`, `...client`: a plain name. */
  | { kind: "name"; name: string; rest: boolean; node: Node }
  /** `{ a, client: c = … }`: the pattern's properties in order (rest elements left out); `key` undefined when computed. */
  | { kind: "pattern"; properties: ReadonlyArray<{ key: string | undefined; bindsName: boolean; node: Node }> }
  /** Anything else (an array pattern): never the client. */
  | { kind: "other" };

/** Whether a function has a client to inject, or why it cannot have one. */
export type ClientFound<Node> = { found: true } | { found: false; unsupported?: { node: Node; reason: string } };

/** Which parameter (and property of it) holds the client, or why none can. */
export type ClientPick<Node> = { found: true; parameter: number; property?: number } | Extract<ClientFound<Node>, { found: false }>;

/** The first parameter named `client`, or the first `client` property destructured from a parameter. */
export function pickClient<Node>(parameters: ReadonlyArray<ParameterShape<Node>>): ClientPick<Node> {
  for (const [index, parameter] of parameters.entries()) {
    if (parameter.kind === "name") {
      if (parameter.name !== CLIENT) continue;
      if (parameter.rest) return { found: false, unsupported: { node: parameter.node, reason: reasons.restClient } };
      return { found: true, parameter: index };
    }
    if (parameter.kind !== "pattern") continue;
    for (const [at, property] of parameter.properties.entries()) {
      if (property.key !== CLIENT) continue;
      if (!property.bindsName) return { found: false, unsupported: { node: property.node, reason: reasons.nestedClient } };
      return { found: true, parameter: index, property: at };
    }
  }
  return { found: false };
}

/** What a tag sits on, as far as the verdict goes. */
export type SubjectShape<Node> =
  /** A constructor or accessor: cannot be async. */
  | { kind: "constructor" | "get" | "set"; name: string }
  /** An overload signature, or a declare/abstract/interface member: no body to rewrite. */
  | { kind: "bodiless"; name: string }
  /** Not a function at all; `described` as "a class declaration", "a value (`42`)". */
  | { kind: "other"; described: string }
  /** A function with a body: `client` is where the search found it. */
  | { kind: "function"; name: string; async: boolean; generator: boolean; client: ClientFound<Node> };

export type SubjectVerdict<Node> =
  | { rewrite: true }
  /** `node`: where to report it, when not at the tag. */
  | { rewrite: false; code: InjectClientDiagnosticCode; message: string; node?: Node };

/** The rule for a tagged subject, in the order the checks are made: the first that fails is the diagnostic. */
export function judgeSubject<Node>(subject: SubjectShape<Node>): SubjectVerdict<Node> {
  switch (subject.kind) {
    case "constructor":
      return { rewrite: false, code: InjectClientDiagnostic.NotAsync, message: misuse.cannotBeAsync("the function", "a constructor") };
    case "get":
    case "set":
      return { rewrite: false, code: InjectClientDiagnostic.NotAsync, message: misuse.cannotBeAsync(subject.name, `a ${subject.kind} accessor`) };
    case "bodiless":
      return { rewrite: false, code: InjectClientDiagnostic.NoBody, message: misuse.noBody(subject.name) };
    case "other":
      return { rewrite: false, code: InjectClientDiagnostic.TagNotOnFunction, message: misuse.notAFunction(subject.described) };
    case "function": {
      const { name, client } = subject;
      if (!subject.async) return { rewrite: false, code: InjectClientDiagnostic.NotAsync, message: misuse.notAsync(name) };
      if (subject.generator) return { rewrite: false, code: InjectClientDiagnostic.NotAsync, message: misuse.asyncGenerator(name) };
      if (client.found) return { rewrite: true };
      if (client.unsupported) {
        return {
          rewrite: false,
          code: InjectClientDiagnostic.UnsupportedClientBinding,
          message: misuse.unsupportedBinding(name, client.unsupported.reason),
          node: client.unsupported.node,
        };
      }
      return { rewrite: false, code: InjectClientDiagnostic.NoClientParameter, message: misuse.noClientParameter(name) };
    }
  }
}

/** The class named by a client's annotation, or why none is. */
export type KeyLookup<Key> = { found: true; key: Key } | { found: false; reason: string };

export type KeyDecision<Key> =
  /** `key` undefined: resolve unkeyed. */
  { ok: true; key: Key | undefined } | { ok: false; code: InjectClientDiagnosticCode; message: string };

/**
 * The class the client is resolved by: `injected(Key)`'s argument, else the class the annotation names
 * (`lookUp` runs only then). A keyless `injected()` with no class to name is an error; the other forms
 * then resolve unkeyed, as the runtime wrapper does without `{ key }`.
 */
export function decideKey<Key>(placeholder: { argument: Key | undefined } | undefined, lookUp: () => KeyLookup<Key>, name: string): KeyDecision<Key> {
  if (placeholder?.argument !== undefined) return { ok: true, key: placeholder.argument };
  const lookup = lookUp();
  if (lookup.found) return { ok: true, key: lookup.key };
  if (!placeholder) return { ok: true, key: undefined };
  return { ok: false, code: InjectClientDiagnostic.ClientClassUnknown, message: misuse.clientClassUnknown(name, lookup.reason) };
}
