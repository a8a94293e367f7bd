// MoE parallel folding (src/core/run/moe-folding.ts; Liu et al. 2025, arXiv 2504.14960; Megatron-Core
// --expert-tensor-parallel-size): parallelism.expertTp, the expert layers' own tensor-parallel size.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import type { RealRun } from "../../src/core/run/calibration-check.ts";
import { searchLayouts } from "../../src/core/run/layout-search.ts";
import { routedExpertRows } from "../../src/core/run/moe-folding.ts";
import { completeLayout, resolveRun, validateRunConfig, type ParallelismInput, type RunConfig } from "../../src/core/run/run-config.ts";
import { predictStep } from "../../src/core/run/step.ts";
import { evaluateLayout, stepContext } from "../../src/core/run/step-model.ts";
import { readRunFolder } from "../../tools/held-out-section.ts";

const root = join(import.meta.dirname, "..", "..");
const readRuns = (dir: string): RealRun[] => readRunFolder(join(root, dir));

/** A 16-layer MoE (15 MoE layers, 64 experts, top-8) on 32 H100 (8 per NVLink domain). */
const moe = (parallelism: ParallelismInput, sharedExperts = 0): RunConfig =>
  validateRunConfig({
    model: {
      layers: 16, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, ffnKind: "swiglu", vocab: 32000, seqLen: 4096,
      moe: { experts: 64, topK: 8, expertFfn: 1024, sharedExperts, denseLayers: 1 },
    },
    hardware: { gpu: "h100-sxm", count: 32 },
    parallelism: { pp: 1, zero: 1, recompute: "none", microBatch: 1, ...parallelism },
    training: { globalBatch: 64 },
  });

function evaluate(config: RunConfig) {
  const run = resolveRun(config);
  const ctx = stepContext(run);
  const layout = completeLayout(config.parallelism, run.gpuCount);
  const e = evaluateLayout(ctx, layout);
  // evaluateLayout reuses its output's inner records only when given one: copy what the tests compare.
  return { ctx, layout, time: { ...e.time }, comm: { ...e.comm }, memory: { ...e.memory }, microBatches: e.microBatches };
}

const relative = (a: number, b: number): number => Math.abs(a / b - 1);

describe("MoE parallel folding: expertTp = tp is the unfolded model", () => {
  it("every MoE row of the calibration and held-out sets predicts the same with expertTp = tp given explicitly", () => {
    const rows = [...readRuns(join("data", "real-runs")), ...readRuns(join("data", "held-out-runs"))].filter(
      (r) => (r.config as { model: { moe?: object } }).model.moe !== undefined && (r.config as { parallelism?: { expertTp?: number } }).parallelism?.expertTp === undefined,
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const r of rows) {
      const config = validateRunConfig(r.config, r.id);
      const tp = config.parallelism?.tp ?? 1;
      const explicit = validateRunConfig({ ...(r.config as object), parallelism: { ...config.parallelism, expertTp: tp } }, r.id);
      expect(predictStep(explicit), r.id).toEqual(predictStep(config));
    }
  });

  it("an unfolded EP group is strided by tp: ep 8 over tp 2 spans two 8-GPU domains", () => {
    const unfolded = evaluate(moe({ tp: 2, ep: 8, expertTp: 2 }));
    expect(unfolded.comm.expertParallelLevel).toBe("scale-out");
  });
});

describe("MoE parallel folding: a folded layout's terms, by hand", () => {
  // tp 2, dp 16, ep 8 on 32 H100: unfolded (expertTp 2) the EP group is ranks 0, 2, …, 14 (two domains);
  // folded (expertTp 1) it is ranks 0 … 7 (one domain), and the expert-data-parallel group doubles (16/8 → 32/8).
  const folded = evaluate(moe({ tp: 2, ep: 8, expertTp: 1 }));
  const unfolded = evaluate(moe({ tp: 2, ep: 8, expertTp: 2 }));
  const { ctx } = folded;
  const T = 4096; // tokens of one micro-batch (microBatch 1 × seqLen 4096, cp 1)
  const h = 4096;
  const mb = 64 / 16; // micro-batches per step: globalBatch / dp
  const n = 16; // layers on the one stage
  const moeFraction = 15 / 16;

  it("the all-to-all moves each rank's sequence-parallel shard of routed copies over an EP group inside one NVLink domain", () => {
    const bytes = (T * 8 * h * 2) / 2; // tokens/tp × topK copies of h in 16 bits
    const a2a = ctx.net.allToAll(bytes, { size: 8, inner: 8 });
    // dispatch + combine, forward and backward, on the 15 MoE layers of 16
    expect(relative(folded.comm.expertParallel, mb * n * moeFraction * 4 * a2a)).toBeLessThan(1e-12);
    expect(folded.comm.expertParallelLevel).toBe("scale-up");
    const a2aUnfolded = ctx.net.allToAll(bytes, { size: 8, inner: 4 });
    expect(relative(unfolded.comm.expertParallel, mb * n * moeFraction * 4 * a2aUnfolded)).toBeLessThan(1e-12);
    expect(folded.comm.expertParallel).toBeLessThan(unfolded.comm.expertParallel);
  });

  it("expert weights and gradients double per GPU (routed/(1·8) instead of routed/(2·8)); optimizer states do not (expert-dp 4 instead of 2)", () => {
    const routed = ctx.counts.routedExpertParams; // per MoE layer
    const extra = 15 * routed * (1 / 8 - 1 / 16); // expert parameters per GPU added by folding
    expect(relative(folded.memory.weights - unfolded.memory.weights, 2 * extra)).toBeLessThan(1e-9);
    expect(relative(folded.memory.gradients - unfolded.memory.gradients, 2 * extra)).toBeLessThan(1e-9);
    // 12 bytes over expert-dp: 15·routed/8/4 folded = 15·routed/16/2 unfolded
    expect(relative(folded.memory.optimizer, unfolded.memory.optimizer)).toBeLessThan(1e-12);
    // The routed activations per GPU are the same (tokens/tp·topK rows of expertFfn, or tokens·topK rows of
    // expertFfn/tp), and so are the dispatch buffers.
    expect(folded.memory.activations).toBe(unfolded.memory.activations);
    expect(folded.memory.moeBuffers).toBe(unfolded.memory.moeBuffers);
  });

  it("routed-expert GEMMs: half the rows per GPU (each GEMM twice as wide)", () => {
    expect(routedExpertRows(folded.layout, T, 8, 64)).toBe(((T * 8) / 64) * 8 * (1 / 2));
    expect(routedExpertRows(unfolded.layout, T, 8, 64)).toBe(((T * 8) / 64) * 8);
  });

  it("without shared experts the MoE layers skip the sequence-parallel gather/scatter of the MLP half", () => {
    const tpOne = ctx.net.allReduce(T * h * 2, { size: 2, inner: 8 }); // one gather + scatter pair over tp
    // Per layer forward: the attention pair, and the MLP pair on the dense layer only; ×2 for the backward;
    // plus the embedding's reduction and the gather before the output layer (sequence parallel).
    const foldedTp = mb * (n * 2 * (tpOne + (1 - moeFraction) * tpOne) + 2 * tpOne);
    expect(relative(folded.comm.tensorParallel, foldedTp)).toBeLessThan(1e-12);
    expect(relative(unfolded.comm.tensorParallel, mb * (n * 2 * 2 * tpOne + 2 * tpOne))).toBeLessThan(1e-12);
  });

  it("with shared experts (the dense part's tensor parallelism) the MoE layers keep their gather/scatter on tp", () => {
    const f = evaluate(moe({ tp: 2, ep: 8, expertTp: 1 }, 1));
    const u = evaluate(moe({ tp: 2, ep: 8, expertTp: 2 }, 1));
    expect(f.comm.tensorParallel).toBe(u.comm.tensorParallel);
  });
});

describe("the runs step refused now predict (data/held-out-runs)", () => {
  const runs = ["H-D-gb200-dsv3-128", "H-D-h100-dsv3-1024"].map((id) => JSON.parse(readFileSync(join(root, "data", "held-out-runs", `${id}.json`), "utf8")) as RealRun);

  it("NeMo 25.04 DeepSeek-V3 with EP over DP × TP (ETP 1) predicts; without expertTp it is refused as before", () => {
    for (const r of runs) {
      const config = validateRunConfig(r.config, r.id);
      expect(config.parallelism?.expertTp, r.id).toBe(1);
      const p = predictStep(config);
      expect(p.tokensPerSecondPerGpu, r.id).toBeGreaterThan(0);
      expect(Number.isFinite(p.stepTimeSeconds), r.id).toBe(true);
      expect(p.breakdown.layout.expertTp, r.id).toBe(1);
      const { expertTp: _, ...unfolded } = config.parallelism ?? {};
      expect(() => predictStep({ ...config, parallelism: unfolded }), r.id).toThrow(/^parallelism\.ep: \d+ is not allowed; expected a divisor of dp·cp/);
    }
  });
});

describe("parallelism.expertTp: bad values and the search", () => {
  const tmp = mkdtempSync(join(tmpdir(), "scaleplan-moefold-"));
  const step = async (parallelism: string, model = "moe: { experts: 64, topK: 8, expertFfn: 1024 }"): Promise<{ code: number; err: string }> => {
    const file = join(tmp, "run.yaml");
    writeFileSync(file, `model: { layers: 4, hidden: 1024, heads: 8, vocab: 1000, seqLen: 1024${model ? `, ${model}` : ""} }\nhardware: { gpu: h100-sxm, count: 16 }\nparallelism: ${parallelism}\ntraining: { globalBatch: 16 }\n`);
    const io = memoryIO();
    return { code: await runCli(["step", "--config", file], io), err: io.err };
  };

  it("one line naming the field, exit 2", async () => {
    for (const [parallelism, model, message] of [
      ["{ tp: 2, ep: 4, expertTp: 0 }", undefined, /parallelism\.expertTp/],
      ["{ tp: 4, ep: 4, expertTp: 3 }", undefined, /^scaleplan: parallelism\.expertTp: 3 is not allowed; expected a divisor of parallelism\.tp \(4\)/],
      ["{ tp: 2, expertTp: 1 }", "", /^scaleplan: parallelism\.expertTp: 1 is not allowed; expected absent or equal to tp \(2\) for a dense model/],
      ["{ tp: 2, ep: 32, expertTp: 1 }", undefined, /^scaleplan: parallelism\.ep: 32 is not allowed; expected a divisor of \(tp\/expertTp\)·dp·cp \(2\/1·8·1 = 16\)/],
    ] as const) {
      const r = await step(parallelism, model);
      expect(r.code, parallelism).toBe(2);
      expect(r.err.trim().split("\n"), parallelism).toHaveLength(1);
      expect(r.err, parallelism).toMatch(message);
    }
    expect((await step("{ tp: 2, ep: 16, expertTp: 1 }")).code).toBe(0);
  });

  it("the search explores expertTp 1 and tp: a fixed ep over dp × tp is reached only folded", () => {
    const config = moe({ tp: 2, ep: 32 });
    const r = searchLayouts({ ...config, parallelism: { tp: 2, ep: 32, pp: 1 } }, { top: 3 });
    expect(r.best.length).toBeGreaterThan(0);
    for (const b of r.best) expect(b.layout.expertTp).toBe(1);
    const free = searchLayouts({ ...config, parallelism: { tp: 2, pp: 1 } }, { top: 3 });
    const unfoldedOnly = searchLayouts({ ...config, parallelism: { tp: 2, pp: 1, expertTp: 2 } }, { top: 3 });
    expect(free.considered).toBeGreaterThan(unfoldedOnly.considered);
    expect(free.best[0]!.stepTimeSeconds).toBeLessThanOrEqual(unfoldedOnly.best[0]!.stepTimeSeconds);
  });

  it("a dense model's search never folds", () => {
    const dense = validateRunConfig({
      model: { layers: 8, hidden: 2048, heads: 16, vocab: 32000, seqLen: 2048 },
      hardware: { gpu: "h100-sxm", count: 16 },
      training: { globalBatch: 32 },
    });
    const r = searchLayouts(dense, { top: 20 });
    for (const b of r.best) expect(b.layout.expertTp).toBe(b.layout.tp);
  });
});
