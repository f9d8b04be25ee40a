/**
 * The TypeScript compiler object, as hosts hand it over (tspc's `extras.ts`, ts-jest's
 * `compilerModule`, `require("typescript")`). Not `typeof ts` of an `import type * as ts`: from an
 * ES module that namespace type also demands a `default` export the real object lacks.
 * Transformer modules take the compiler as an argument and never load it themselves, so the
 * one a host compiles with (TypeScript 5 or 6) is the one used.
 */
export type TypeScriptApi = typeof import("typescript");
