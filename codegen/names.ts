// Identifier helpers: camelCase, reserved words, and the names a generated class must not shadow.

/** ECMAScript reserved words, strict-mode and TypeScript contextual keywords that read badly as names. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "export",
  "extends",
  "false",
  "finally",
  "for",
  "function",
  "if",
  "import",
  "in",
  "instanceof",
  "new",
  "null",
  "return",
  "super",
  "switch",
  "this",
  "throw",
  "true",
  "try",
  "typeof",
  "var",
  "void",
  "while",
  "with",
  "implements",
  "interface",
  "let",
  "package",
  "private",
  "protected",
  "public",
  "static",
  "yield",
  "await",
  "async",
  "arguments",
  "eval",
  "undefined",
  "NaN",
  "Infinity",
  "abstract",
  "any",
  "as",
  "asserts",
  "bigint",
  "boolean",
  "declare",
  "get",
  "infer",
  "is",
  "keyof",
  "module",
  "namespace",
  "never",
  "number",
  "object",
  "readonly",
  "require",
  "set",
  "string",
  "symbol",
  "type",
  "unique",
  "unknown",
  "satisfies",
  "accessor",
  "out",
  "override",
  "constructor",
  "from",
  "of",
  "global",
]);

/**
 * Members a generated method must not shadow: the base class's (`OpenAPIClient`, `ManagedClient`), what
 * `defineOperations` adds (`stream`, the streaming view of the methods), the static factory, and what
 * every object inherits.
 */
export const CLASS_MEMBERS: ReadonlySet<string> = new Set([
  "api",
  "request",
  "open",
  "closed",
  "fromEnv",
  "settings",
  "apiHealthcheck",
  "serverType",
  "stream",
  "defineOperations",
  "constructor",
  "prototype",
  "name",
  "length",
  "toString",
  "toLocaleString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "__proto__",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  "then",
]);

/** Splits on anything that is not a letter or digit, and on lower-to-upper case changes. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `read_flow` -> `readFlow`, `repos/get-content` -> `reposGetContent`, `HTTPStatus` -> `httpStatus`. */
export function camelCase(text: string): string {
  const parts = words(text);
  if (parts.length === 0) return "";
  const [first, ...rest] = parts;
  const head = /^[A-Z0-9]+$/.test(first!) ? first!.toLowerCase() : first!.charAt(0).toLowerCase() + first!.slice(1);
  const name = head + rest.map((word) => capitalize(/^[A-Z0-9]+$/.test(word) && word.length > 1 ? word.toLowerCase() : word)).join("");
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

export function pascalCase(text: string): string {
  return capitalize(camelCase(text).replace(/^_/, ""));
}

/**
 * A class name derived from a spec title: PascalCase, with `Api` in front when the title starts with a
 * digit (`1Password Connect` -> `Api1PasswordConnectClient`), and `Client` at the end.
 */
export function classNameFromTitle(title: string | undefined): string {
  let base = pascalCase(title ?? "") || "Api";
  if (/^[0-9]/.test(base)) base = `Api${base}`;
  const name = base.endsWith("Client") ? base : `${base}Client`;
  return GENERATED_MODULE_NAMES.has(name) ? `Api${name}` : name;
}

/**
 * Names the generated index.ts declares, imports or exports besides the class: a class of that name would clash.
 * (Each method's types, `ReadFlowResponse`, depend on the spec: see `classNameClash` in operation-types.ts.)
 */
const GENERATED_MODULE_NAMES: ReadonlySet<string> = new Set([
  "OpenAPIClient",
  "defineClientClass",
  "defineOperations",
  "setDefaultClientFactory",
  "settingsFromEnv",
  "CallOptions",
  "WithRequired",
  "ClientSettings",
  "HttpMethod",
  "paths",
  "components",
  "operations",
  "defaults",
  "Operation",
  "StreamingMethods",
]);

/** Why a class name cannot be used (undefined when it can), for `--name` and a config's `className`. */
export function classNameProblem(name: string): string | undefined {
  if (!isIdentifier(name)) {
    return `the class name "${name}" is not a valid identifier: it must start with a letter, \`_\` or \`$\` and contain only letters, digits, \`_\` and \`$\``;
  }
  if (RESERVED_WORDS.has(name)) return `the class name "${name}" is a reserved word`;
  if (GENERATED_MODULE_NAMES.has(name)) return `the class name "${name}" clashes with a name the generated module declares or imports`;
  return undefined;
}

export function isIdentifier(text: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(text);
}

/** A property key as written in source: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return isIdentifier(name) ? name : JSON.stringify(name);
}

/**
 * A key of an object literal that runs (not a type): `__proto__`, bare or quoted, would set the object's
 * prototype there, so it is written computed, `["__proto__"]`, which makes it an own key.
 */
export function objectKey(name: string): string {
  return name === "__proto__"
    ? '["__proto__"]'
    : propertyKey(name)
        .replace(/\u2028/g, "\\u2028")
        .replace(/\u2029/g, "\\u2029");
}
