// What the figures were measured on.
import os from "node:os";
import { createRequire } from "node:module";

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  os: string;
  typescript: string;
  /** 1/5/15-minute load averages when the run started, and (set by run.ts) when it ended. */
  loadAtStart: string;
  loadAtEnd?: string;
}

export function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(" / ");
}

export function describeMachine(): Machine {
  const require = createRequire(import.meta.url);
  let typescript = "not installed";
  try {
    typescript = (require("typescript/package.json") as { version: string }).version;
  } catch {
    // leave as is
  }
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: os.availableParallelism?.() ?? cpus.length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    typescript,
    loadAtStart: loadAverage(),
  };
}

export function machineLines(machine: Machine): string[] {
  return [
    `- Date: ${machine.date}`,
    `- CPU: ${machine.cpu}, ${machine.cores} cores`,
    `- Memory: ${machine.memory}`,
    `- Node: ${machine.node}`,
    `- OS: ${machine.os}`,
    `- TypeScript (tsc, tspc): ${machine.typescript}`,
    `- Load average (1/5/15 min) at start: ${machine.loadAtStart}${machine.loadAtEnd ? `; at end: ${machine.loadAtEnd}` : ""}` +
      (Number.parseFloat(machine.loadAtStart) > machine.cores * 0.5
        ? " — the machine was shared with other work: trust CPU-time ratios over wall-time ones"
        : ""),
  ];
}
