import { injectClient } from "inject-client/vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests of tagged code run the rewritten code, as users' Vitest suites would (see README, "The transformer").
  plugins: [injectClient({ include: /\/test\/(fixtures\/)?transformer\// })],
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default", ["json", { outputFile: ".tmp/vitest-report.json" }]],
  },
});
