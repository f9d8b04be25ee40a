// Prints "N passed, N failed" from Vitest's JSON report; a missing report counts as a failure.
import { readFileSync } from "node:fs";

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, "utf8"));
} catch (error) {
  console.log(`no Vitest report at ${file}: ${error.message}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
// A file that fails to load has no test results of its own: count it as one failure.
const brokenFiles = report.testResults.filter((file) => file.status === "failed" && file.assertionResults.length === 0).length;
const failed = report.numFailedTests + brokenFiles;
console.log(`${report.numPassedTests} passed, ${failed} failed`);
if (report.numTotalTests === 0) process.exit(1);
