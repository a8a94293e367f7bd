// Step-model speed on a folded MoE layout (moe-folding.ts): layouts evaluated per second on one core for
// DeepSeek-V3 on 1,024 H100 (the held-out row H-D-h100-dsv3-1024's model), folded (tp 2, expertTp 1, ep 64) and
// unfolded (tp 2, expertTp 2, ep 32) alternated so that every evaluation misses the layer-kernel cache; and the
// search with tp 2 and pp 16 fixed, which explores expertTp ∈ {2, 1} (issue 5 target: 1 million layouts/s/core).
import { searchLayouts } from "../src/core/run/layout-search.ts";
import { completeLayout, resolveRun, validateRunConfig } from "../src/core/run/run-config.ts";
import { emptyEvaluation, evaluateLayout, stepContext } from "../src/core/run/step-model.ts";

const deepseekV3 = validateRunConfig({
  model: {
    layers: 61, hidden: 7168, heads: 128, ffn: 18432, ffnKind: "swiglu", vocab: 129280, seqLen: 4096,
    moe: { experts: 256, topK: 8, expertFfn: 2048, sharedExperts: 1, denseLayers: 3 },
    attention: "mla",
    mla: { qLoraRank: 1536, kvLoraRank: 512, qkHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 },
  },
  hardware: { gpu: "h100-sxm", count: 1024 },
  training: { globalBatch: 8192 },
  software: { framework: "nemo" },
});

export default function (log: (line: string) => void): void {
  const ctx = stepContext(resolveRun(deepseekV3));
  const base = { tp: 2, pp: 16, recompute: "none", zero: 1 } as const;
  const layouts = [completeLayout({ ...base, ep: 64, expertTp: 1 }, 1024), completeLayout({ ...base, ep: 32, expertTp: 2 }, 1024)];
  const out = emptyEvaluation();
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += evaluateLayout(ctx, layouts[i & 1]!, out).time.stepTime; // warm-up
  const n = 1_000_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += evaluateLayout(ctx, layouts[i & 1]!, out).time.stepTime;
  const dt = (performance.now() - t0) / 1000;
  log(`evaluateLayout (DeepSeek-V3, 1,024 H100, tp2 pp16: ep64 etp1 / ep32 etp2 alternated, no reuse): ${(n / dt / 1e6).toFixed(2)} million layouts/s on one core (${((dt / n) * 1e9).toFixed(0)} ns each)`);

  const fixed = { ...deepseekV3, parallelism: { tp: 2, pp: 16 } };
  for (const exhaustive of [true, false]) {
    searchLayouts(fixed, { top: 10, exhaustive }); // warm-up
    const t1 = performance.now();
    const result = searchLayouts(fixed, { top: 10, exhaustive });
    const ds = (performance.now() - t1) / 1000;
    const best = result.best[0];
    log(
      `search DeepSeek-V3 on 1,024 H100, tp 2 and pp 16 fixed, ${exhaustive ? "exhaustive" : "pruned"}: ${ds.toFixed(3)} s, ${result.considered.toLocaleString("en-US")} valid layouts, ${result.evaluated.toLocaleString("en-US")} evaluated (${(result.considered / ds / 1e6).toFixed(2)} million considered/s incl. enumeration), ${result.fitting.toLocaleString("en-US")} of these fit; best expertTp ${best?.layout.expertTp ?? "-"}, ep ${best?.layout.ep ?? "-"}`,
    );
  }
  if (sink === 0) log("(unreachable)");
}
