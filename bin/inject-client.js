#!/usr/bin/env node
// The `inject-client` command. This shim is committed (dist/ is built by `prepare`) so that npm can
// link the binary at install time, before the build has run.
import("../dist/codegen/cli.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/codegen/cli.js")) {
    console.error("inject-client: the package is not built (dist/ is missing): run `npm run build` in it.");
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
