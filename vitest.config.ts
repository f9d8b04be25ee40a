import { fileURLToPath } from "node:url";
import { injectClient } from "@inject-client/transformer/vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests of tagged code run the rewritten code, as users' Vitest suites would (see README, "The transformer").
  plugins: [injectClient({ include: /\/test\/(fixtures\/)?transformer\// })],
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default", ["json", { outputFile: ".tmp/vitest-report.json" }]],
    // settingsFromEnv reads Prefect's profiles.toml: keep the developer's own profiles out of the tests.
    env: { PREFECT_HOME: fileURLToPath(new URL(".tmp/no-prefect-home", import.meta.url)), PREFECT_PROFILES_PATH: "" },
  },
});
