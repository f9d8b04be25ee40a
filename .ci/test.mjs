// `npm test`: Vitest (arguments passed through), then the one summary line CI reads, "N passed, N failed".
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const report = ".tmp/vitest-report.json";
rmSync(report, { force: true }); // a run that dies before reporting must not be summarised from the last one
const vitestPackage = createRequire(import.meta.url).resolve("vitest/package.json");
const vitest = path.join(path.dirname(vitestPackage), "vitest.mjs");
const run = spawnSync(process.execPath, [vitest, "run", ...process.argv.slice(2)], { stdio: "inherit" });
const summary = spawnSync(process.execPath, [new URL("./summary.mjs", import.meta.url).pathname, report], { stdio: "inherit" });
process.exitCode = run.status === 0 && summary.status === 0 ? 0 : 1;
