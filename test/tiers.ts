// The two test tiers. The end-to-end tier is the files below: they run real programs (tspc, tsc, the CLI,
// node, npm installs of the packed tarballs, the demo, bundler builds), which only they can show. Every
// other test file is the unit tier (`npm run test:unit`): in-process calls, and local servers, nothing
// spawned; test/tiers.test.ts holds the unit files to that, so a new file that spawns fails until listed here.

export const E2E_FILES = [
  "test/adversarial/adversarial.test.ts",
  "test/bench/bench-lib.test.ts",
  "test/codegen/cli.test.ts",
  "test/codegen/fixes-compile.test.ts",
  "test/codegen/github.test.ts",
  "test/codegen/glue.test.ts",
  "test/codegen/hostile-spec.test.ts",
  "test/codegen/out-safety.test.ts",
  "test/codegen/prefect-types.test.ts",
  "test/corpus/fixed-subset.test.ts",
  "test/corpus/tools.test.ts",
  "test/docs/readme-commands.test.ts",
  "test/docs/readme-typescript.test.ts",
  "test/examples/quickstart.test.ts",
  "test/habits/static-checks.test.ts",
  "test/http/prefect-env-demo.test.ts",
  "test/matrix/matrix.test.ts",
  "test/package/pack.test.ts",
  "test/package/package-checks.test.ts",
  "test/resolution/duplicate-runtime.test.ts",
  "test/resolution/readme-quickstart.test.ts",
  "test/resolution/two-clients.test.ts",
  "test/transformer/diagnostics.test.ts",
  "test/transformer/differential.test.ts",
  "test/transformer/doors/bun.test.ts",
  "test/transformer/doors/doors.test.ts",
  "test/transformer/doors/require-hook.test.ts",
  "test/transformer/e2e.test.ts",
  "test/transformer/import-shapes.test.ts",
  "test/transformer/keys.test.ts",
  "test/transformer/parity.test.ts",
  "test/transformer/watch.test.ts",
  "test/wire/wire-classes.test.ts",
];

export const ALL_TEST_FILES = "test/**/*.test.ts";
