#!/usr/bin/env node
/**
 * `inject-client-transform <outDir>`: the post-emit door (./post-emit.ts) as a command, run after `tsc`.
 * Exit 0 with one summary line; exit 1 with one `file:line:col - error TS470xx: …` line per misuse (and
 * nothing written); exit 2 on a usage error.
 */
import { existsSync, statSync } from "node:fs";
import { formatCoreDiagnostic } from "../core/index.js";
import { transformEmitted } from "./post-emit.js";

function main(args: string[]): number {
  const [outDir, ...rest] = args;
  if (!outDir || rest.length > 0 || outDir.startsWith("-")) {
    process.stderr.write("usage: inject-client-transform <outDir>   (rewrites the tagged functions of the JavaScript tsc emitted there)\n");
    return 2;
  }
  if (!existsSync(outDir) || !statSync(outDir).isDirectory()) {
    process.stderr.write(`inject-client-transform: ${outDir} is not a directory\n`);
    return 2;
  }
  const { rewritten, diagnostics } = transformEmitted(outDir);
  if (diagnostics.length > 0) {
    for (const diagnostic of diagnostics) process.stderr.write(`${formatCoreDiagnostic(diagnostic)}\n`);
    return 1;
  }
  process.stdout.write(`inject-client-transform: ${rewritten.length} file${rewritten.length === 1 ? "" : "s"} rewritten in ${outDir}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
