// Loaded with `node --require` (or NODE_OPTIONS) in every process a benchmark measures: at exit it
// appends "<pid> <maxRSS KiB> <user+system CPU µs>" to $BENCH_PEAK_RSS_FILE, so peak memory needs no
// /usr/bin/time, and CPU time (less sensitive than wall time to other load on the machine) comes along.
// A process killed by a signal writes nothing; the runner reports its peak as unknown.
"use strict";
const fs = require("node:fs");
const out = process.env.BENCH_PEAK_RSS_FILE;
if (out) {
  process.on("exit", () => {
    try {
      const usage = process.resourceUsage();
      fs.appendFileSync(out, `${process.pid} ${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}\n`);
    } catch {
      // nothing to report to
    }
  });
}
