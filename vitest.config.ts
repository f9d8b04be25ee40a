import { fileURLToPath } from "node:url";
import { injectClient } from "@inject-client/transformer/vite";
import { configDefaults, defineConfig } from "vitest/config";
import { ALL_TEST_FILES, E2E_FILES } from "./test/tiers.js";

export default defineConfig({
  // Tests of tagged code run the rewritten code, as users' Vitest suites would (see README, "The transformer").
  plugins: [injectClient({ include: /\/test\/(fixtures\/)?transformer\// })],
  test: {
    // Two tiers, one run and one report (`npm test`): `vitest run --project unit` is the in-process tier,
    // `--project e2e` the one that runs real programs (see test/tiers.ts).
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [ALL_TEST_FILES],
          exclude: [...configDefaults.exclude, ...E2E_FILES],
          // The unit files share each worker's modules instead of re-importing the generator and TypeScript
          // per file (4x faster on 2 cores); they restore what they change (factories, process.env).
          isolate: false,
          // Bounds, not expectations: generous enough for a 2-core machine that is busy with other work.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { extends: true, test: { name: "e2e", include: E2E_FILES, testTimeout: 120_000, hookTimeout: 180_000 } },
    ],
    reporters: ["default", ["json", { outputFile: ".tmp/vitest-report.json" }]],
    // settingsFromEnv reads Prefect's profiles.toml: keep the developer's own profiles out of the tests.
    env: { PREFECT_HOME: fileURLToPath(new URL(".tmp/no-prefect-home", import.meta.url)), PREFECT_PROFILES_PATH: "" },
  },
});
