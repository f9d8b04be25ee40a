// Why a goal was missed, from profiling on this kind of machine (`node --cpu-prof` + bench/lib/cpuprofile.ts).
// Applied when RESULTS.md is rendered, also to sections merged from an earlier run.
import type { Goal, SectionResult } from "./report.js";

const reasons: { prefix: string; why: (goal: Goal, sections: SectionResult[]) => string }[] = [
  {
    prefix: "P1 ",
    why: () =>
      "a few ns on a ~250–300 ns call, at the edge of what a shared 2-core machine resolves (re-runs moved it by ±3%). A standalone paired test of the " +
      "exact emitted shape (client parameter reassigned, try/catch/finally, labelled block) measured ~1.13x hand-written with a passed client; the same shape " +
      "binding the client to a fresh `const` measured ~1.04x. Transformer-side; see the P1 notes.",
  },
  {
    prefix: "P2 ",
    why: (_goal, sections) => {
      const note = sections.find((s) => s.id === "p2")?.notes.find((n) => n.startsWith("The transformer's own share")) ?? "";
      return (
        "mostly ts-patch, not the transformer: tspc live-patches TypeScript and runs it in a `vm` script on every start (no code cache), " +
        `which costs CPU and ~80 MiB before any plugin loads. ${note} Users who run \`ts-patch install\` (persistent patch) would not pay the live-patch part.`
      );
    },
  },
  {
    prefix: "P3 ",
    why: () =>
      "profiled on GitHub's spec: (1) Redocly runs twice — codegen/load.ts bundles the spec, then `openapiTS(document)` parses, lints and bundles it again " +
      "(Redocly walk/resolve/ref-utils ≈ 1.25x openapi-typescript's own); (2) ts-morph is loaded (with its own bundled TypeScript, ~0.3–0.9 s to import) " +
      "only to assemble text that is already built as strings, and re-parses it (emitClient ≈ 10–15% of the run). openapi-typescript's CLI instead pays " +
      "js-yaml to parse the JSON file, which ours avoids.",
  },
];

export function explainMissed(sections: SectionResult[]): void {
  for (const section of sections) {
    for (const goal of section.goals) {
      if (goal.met !== false || goal.why) continue;
      const reason = reasons.find((r) => goal.name.startsWith(r.prefix));
      if (reason) goal.why = reason.why(goal, sections);
    }
  }
}
