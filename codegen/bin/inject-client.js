#!/usr/bin/env node
// The `inject-client` command. This shim is committed (dist/ is built by `npm run build`) so that npm can
// link the binary at install time, before the build has run.
import("../dist/cli.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/cli.js")) {
    console.error("inject-client: @inject-client/codegen is not built (dist/ is missing): run `npm run build`.");
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
