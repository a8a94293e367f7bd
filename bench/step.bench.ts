// Step-model speed: layouts evaluated per second on one core, and the search of GPT-3 175B on 1,024 H100s,
// exhaustive and pruned (issue 5 targets: 1 million layouts/s/core; search < 2 s).
import { completeLayout, resolveRun, validateRunConfig } from "../src/core/run/run-config.ts";
import { emptyEvaluation, evaluateLayout, stepContext } from "../src/core/run/step-model.ts";
import { searchLayouts } from "../src/core/run/layout-search.ts";

const gpt3 = validateRunConfig({
  model: { layers: 96, hidden: 12288, heads: 96, ffn: 49152, vocab: 51200, seqLen: 2048 },
  hardware: { gpu: "h100-sxm", count: 1024 },
  training: { globalBatch: 1536, precision: "bf16" },
});

export default function (log: (line: string) => void): void {
  const run = resolveRun(gpt3);
  const ctx = stepContext(run);
  // Two layouts that differ in tp, alternated: the step model keeps the last layer-kernel times for an
  // unchanged (tp, ep, cp, micro-batch) key, which the search exploits (ZeRO and recompute vary innermost); here
  // every evaluation misses that cache, so this is the full cost of one evaluation.
  const layouts = [completeLayout({ tp: 8, pp: 8, vp: 3, recompute: "selective", zero: 1 }, 1024), completeLayout({ tp: 4, pp: 8, vp: 3, recompute: "selective", zero: 1 }, 1024)];
  const out = emptyEvaluation();
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += evaluateLayout(ctx, layouts[i & 1]!, out).time.stepTime; // warm-up
  const n = 2_000_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += evaluateLayout(ctx, layouts[i & 1]!, out).time.stepTime;
  const dt = (performance.now() - t0) / 1000;
  log(`evaluateLayout (GPT-3 175B, tp8/tp4 pp8 vp3 alternated, no reuse): ${(n / dt / 1e6).toFixed(2)} million layouts/s on one core (${((dt / n) * 1e9).toFixed(0)} ns each)`);

  for (const exhaustive of [true, false]) {
    searchLayouts(gpt3, { top: 10, exhaustive }); // warm-up
    const runs = 3;
    const t1 = performance.now();
    let result = searchLayouts(gpt3, { top: 10, exhaustive });
    for (let i = 1; i < runs; i++) result = searchLayouts(gpt3, { top: 10, exhaustive });
    const ds = (performance.now() - t1) / 1000 / runs;
    log(
      `search GPT-3 175B on 1,024 H100 (global batch 1,536), ${exhaustive ? "exhaustive" : "pruned"}: ${ds.toFixed(3)} s, ${result.considered.toLocaleString("en-US")} valid layouts, ${result.evaluated.toLocaleString("en-US")} evaluated (${(result.considered / ds / 1e6).toFixed(2)} million considered/s incl. enumeration), ${result.fitting.toLocaleString("en-US")} of these fit`,
    );
  }
  if (sink === 0) log("(unreachable)");
}
