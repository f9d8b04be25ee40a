// Modules oxc-parser's package exports without declarations of their own.
declare module "oxc-parser/src-js/generated/visit/keys" {
  /** Per node type, the fields that hold child nodes, in source order. */
  const visitorKeys: Readonly<Record<string, readonly string[]>>;
  export default visitorKeys;
}

declare module "oxc-parser/src-js/bindings" {
  /** The native `parseSync`: each field of the result is read (and its Rust-side memory taken) on first access. */
  export const parseSync: (
    fileName: string,
    code: string,
    options: object,
  ) => { readonly program: string; readonly comments: unknown; readonly errors: readonly unknown[]; readonly module: { hasModuleSyntax: boolean } };
}

declare module "oxc-parser/src-js/wrap" {
  /** JSON.parse of the binding's `program`, with the BigInt and RegExp literal values filled in. */
  export function jsonParseAst(programJson: string): unknown;
}
