// Medians, spreads and ratios of repeated measurements.

export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

export function summarize(samples: number[]): Summary {
  const sorted = samples.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
  };
}

export function ratio(value: number, baseline: number): number {
  return baseline === 0 ? Number.NaN : value / baseline;
}

/** "1.23 s" / "456 ms" / "789 µs" / "12.3 ns", for a value in milliseconds. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;
  if (ms >= 0.001) return `${(ms * 1000).toFixed(ms >= 0.1 ? 0 : 1)} µs`;
  return `${(ms * 1e6).toFixed(1)} ns`;
}

/** Nanoseconds, for micro-benchmarks. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return "n/a";
  if (ns >= 1e6) return formatMs(ns / 1e6);
  if (ns >= 1000) return `${(ns / 1000).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
}

export function formatMiB(kib: number): string {
  return Number.isFinite(kib) ? `${(kib / 1024).toFixed(0)} MiB` : "n/a";
}

export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : "n/a";
}

/** "median (min–max)" with the given formatter. */
export function formatSpread(summary: Summary, format: (value: number) => string): string {
  if (summary.n === 0) return "n/a";
  if (summary.n === 1) return format(summary.median);
  return `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`;
}

/**
 * A ratio of two processes' times, judged on CPU time (user + system): on a machine that other work
 * shares, CPU time of a single-threaded tool moves far less than wall time. Both are shown.
 */
export function judged(wall: number, wallBase: number, cpu: number, cpuBase: number): { cpu: number; wall: number; text: string } {
  const c = ratio(cpu, cpuBase);
  const w = ratio(wall, wallBase);
  return { cpu: c, wall: w, text: `${formatRatio(c)} CPU (${formatRatio(w)} wall)` };
}
