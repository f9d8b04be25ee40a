// The text of every transformer diagnostic, for both engines (the tspc door on TypeScript's AST and the
// oxc core): one wording, so the two report the same message by construction, not by copy.

export const misuse = {
  cannotBeAsync: (name: string, described: string) =>
    `${name} is ${described}, and those cannot be async, so they cannot wait for a client to close. Tag an async function or method instead.`,
  noBody: (name: string) =>
    `${name} has no body here (an overload signature, or a declare/abstract/interface declaration): there is nothing to rewrite. Put the tag on the implementation.`,
  notAFunction: (described: string) =>
    `the tag is on ${described}, not a function. Put it on an async function, arrow function bound by const, or method.`,
  notAsync: (name: string) =>
    `${name} is not async. A client the transformer creates is closed after the body's promise settles, and only an async function has that promise. Declare it \`async\`.`,
  asyncGenerator: (name: string) =>
    `${name} is an async generator: a created client would have to stay open for as long as the caller iterates, which no single await can tell. Use an async function.`,
  unsupportedBinding: (name: string, reason: string) => `in ${name}: ${reason}.`,
  noClientParameter: (name: string) =>
    `${name} has no client to inject: declare a parameter \`client: YourClient = injected()\` (or \`client?: YourClient\`), or destructure it from an options parameter, \`{ client }: { client?: YourClient } = {}\`.`,
  clientClassUnknown: (name: string, reason: string) =>
    `in ${name}, cannot tell which client class \`client\` is: ${reason}. Name the class in the placeholder: write \`injected(TheClass)\`, e.g. \`client: PrefectClient = injected(PrefectClient)\`.`,
  injectedOutside: (inParameter: boolean) =>
    `injected() only works as the default of the \`client\` parameter (or \`client\` property) of a function tagged /** @injectClient */; here it would throw at run time.${
      inParameter ? " Tag the function with /** @injectClient */." : ""
    }`,
};

/** Why the client cannot be found or keyed: the `reason` the messages above quote. */
export const reasons = {
  restClient: "`...client` is a rest parameter, not a client",
  nestedClient:
    "`client` is destructured further (`{ client: { ... } }`); bind it to a name, e.g. `{ client }`, so the resolved client can be assigned",
  optionsUntyped: "the options parameter has no type annotation",
  optionsTypeOutOfSight: "the options parameter's type is not written inline, so its `client` member is out of sight",
  runtimeType: (written: string, module: string) => `\`${written}\` is a type from ${module}, not a client class`,
  union: (written: string) => `its type (\`${written}\`) is a union`,
  inlineType: "its type is an inline type, not a class",
  notAClassType: (written: string) => `its type (\`${written}\`) is not a class`,
  declaredAsOther: (name: string, described: string) => `\`${name}\` is ${described}, not a class`,
  unknownName: (name: string) => `\`${name}\` is neither a class declared in this file nor imported into it`,
  notDeclaredOrImported: (written: string) => `\`${written}\` is not a class this file declares or imports`,
};
