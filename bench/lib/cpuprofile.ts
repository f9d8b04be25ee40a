// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by script.
// Usage: tsx bench/lib/cpuprofile.ts <file.cpuprofile> [top N] [filter substring]
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function summarizeProfile(file: string, top = 25, filter?: string): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byScript = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    const script = frame.url.replace(/^file:\/\//, "").replace(/.*node_modules\//, "") || "(native/vm)";
    const key = `${frame.functionName || "(anonymous)"}  ${script}:${frame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byScript.set(script, (byScript.get(script) ?? 0) + us);
  }
  const lines = [`total sampled: ${(total / 1000).toFixed(0)} ms`];
  const list = (title: string, map: Map<string, number>) => {
    lines.push(title);
    for (const [key, us] of [...map]
      .filter(([key]) => !filter || key.includes(filter))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)) {
      lines.push(`  ${(us / 1000).toFixed(0).padStart(7)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
    }
  };
  list("self time by script:", byScript);
  list("self time by function:", byFunction);
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(summarizeProfile(process.argv[2]!, Number(process.argv[3] ?? 25), process.argv[4]));
}
