import { injectClient } from "@inject-client/transformer/vite";
import { defineConfig } from "vitest/config";

// Vitest compiles with esbuild, which ignores TypeScript transformers: the plugin applies the
// @injectClient rewrite so the tests run the same code tspc builds.
export default defineConfig({
  plugins: [injectClient()],
  test: { include: ["test/**/*.test.ts"] },
});
