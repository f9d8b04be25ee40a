// The bundler doors' public types, written without unplugin's: its declaration file imports every bundler's
// types (esbuild, rollup, webpack, @rspack/core, bun, farm, rsbuild, …), so a project that checks library
// declarations (`skipLibCheck: false`) would fail on each one it has not installed. Each door's plugin type
// is instead the part of its bundler's plugin type that a plugin must have, which the real plugin is.
import type { CoreResult } from "../core/transform.js";

export interface InjectClientPluginOptions {
  /**
   * Only transform module ids that match. Default: every .ts/.tsx/.mts/.cts file outside node_modules;
   * with `include`, also the JavaScript ids it matches (.js/.jsx/.mjs/.cjs), e.g. emitted code.
   */
  include?: RegExp | ((id: string) => boolean);
  /** Never transform module ids that match. */
  exclude?: RegExp | ((id: string) => boolean);
}

export interface TransformedModule {
  code: string;
  /** Null when the build has no source maps (a map would be built for nothing). */
  map: CoreResult["map"] | null;
}

/** A Rollup or Rolldown plugin (their `Plugin` requires only a name; the hooks are there at run time). */
export interface InjectClientRollupPlugin {
  name: string;
}

/** An esbuild plugin. */
export interface InjectClientEsbuildPlugin {
  name: string;
  setup(build: unknown): void | Promise<void>;
}

/** A webpack or Rspack plugin. */
export interface InjectClientWebpackPlugin {
  apply(compiler: unknown): void;
}
