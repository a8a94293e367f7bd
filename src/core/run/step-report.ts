// Readable tables of a step prediction, a search and a validation (the CLI prints them, the web app renders them).

import { formatFixed } from "../format.ts";
import type { Table } from "../table.ts";
import type { ValidationSummary } from "./calibration-check.ts";
import type { LeaveOneOut } from "./calibration-fit.ts";
import { describeLayout, type SearchResult } from "./layout-search.ts";
import { crossSiteRow } from "./diloco-report.ts";
import type { StepPrediction } from "./step.ts";

const fmt = (x: number): string => String(Number(x.toPrecision(3)));
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const sec = (x: number): string => (x === 0 ? "0" : x >= 1 ? x.toFixed(3) : x >= 1e-3 ? x.toFixed(4) : x.toExponential(2));

export function stepSummaryTable(p: StepPrediction): Table {
  const b = p.breakdown;
  return {
    columns: ["quantity", "value"],
    rows: [
      ["layout", describeLayout(b.layout)],
      ["micro-batches per pipeline", b.microBatchesPerPipeline],
      ["step time (s)", sec(p.stepTimeSeconds)],
      ["tokens/s per GPU", p.tokensPerSecondPerGpu.toFixed(1)],
      ["model FLOPs per token", p.modelFlopsPerToken.toExponential(4)],
      ["MFU (vs dense BF16 peak)", pct(p.mfu)],
      ["MFU (vs peak of training precision)", pct(p.mfuAtPrecisionPeak)],
      ["HFU (recompute counted)", pct(b.hardwareFlopsUtilization)],
      ["memory per GPU (GiB)", `${p.memoryPerGpuGiB.total.toFixed(1)} of ${b.memoryGiB.usable.toFixed(1)} usable (${b.memoryGiB.hbm.toFixed(0)} GiB HBM, ${pct(b.memoryGiB.reserveFraction)} reserve)`],
      ["fits in memory", p.fitsInMemory ? "yes" : "NO"],
      [
        "training stack",
        `${p.software.framework}: attention ${p.software.attention}, compile ${p.software.compile ? "on" : "off"}, TP overlap ${p.software.tpCommOverlap ? "on" : "off"}${p.software.fp8Recipe === undefined ? "" : `, FP8 ${p.software.fp8Recipe}${p.software.fp8AllGather ? " with FP8 all-gather" : ""}`}${p.software.optimizerStates === undefined ? "" : `, ${p.software.optimizerStates} optimizer states`}`,
      ],
      [
        "efficiency used",
        `${b.efficiency.gpu}: matmul ${fmt(b.efficiency.matmul)} (half at dim ${b.efficiency.matmulHalfDim}), attention ${b.efficiency.attentionKernel} ${b.efficiency.attentionKernel === "unfused" ? "(GEMMs + scores through HBM)" : fmt(b.efficiency.attention)}, element-wise traffic ×${fmt(b.efficiency.elementwiseTraffic)}, HBM ${b.efficiency.elementwiseHbm}, collectives up ${b.efficiency.collectiveScaleUp} / out ${b.efficiency.collectiveScaleOut}${b.efficiency.tpOverlapHidden > 0 ? `, TP hidden ${fmt(b.efficiency.tpOverlapHidden)}` : ""}${b.efficiency.calibrated ? " (calibrated)" : " (NOT calibrated)"}`,
      ],
    ],
  };
}

export function stepTimeTable(p: StepPrediction): Table {
  const t = p.breakdown.timeSeconds;
  const c = p.breakdown.communication;
  const total = p.stepTimeSeconds;
  const row = (name: string, s: number, note: string): [string, string, string, string] => [name, sec(s), pct(s / total), note];
  const comm = (x: { totalSeconds: number; level: string; overlap: string }): string =>
    x.totalSeconds > 0 ? `${x.level}, ${x.overlap}, total ${sec(x.totalSeconds)} s` : "";
  return {
    columns: ["where the step time goes", "seconds", "share", "network level, overlap"],
    rows: [
      row("compute (fwd + bwd, slowest stage)", t.compute, ""),
      row("recompute", t.recompute, p.breakdown.layout.recompute),
      row("tensor-parallel comm (exposed)", t.tensorParallelExposed, comm(c.tensorParallel)),
      row("context-parallel K/V ring (exposed)", t.contextParallelExposed, comm(c.contextParallel)),
      row("expert-parallel all-to-all (exposed)", t.expertParallelExposed, comm(c.expertParallel)),
      row("pipeline p2p (exposed)", t.pipelineP2pExposed, comm(c.pipelineP2p)),
      row("ZeRO-3/FSDP gathers (exposed)", t.zero3GatherExposed, comm(c.zero3Gather)),
      row("activation offload (exposed)", t.activationOffloadExposed, comm(c.activationOffload)),
      row("pipeline bubble", t.pipelineBubble, p.breakdown.layout.pipelineSchedule),
      row("data-parallel grad sync (exposed)", t.dataParallelExposed, comm(c.dataParallel)),
      row("optimizer step", t.optimizer, ""),
      ...(p.sites ? [crossSiteRow(p.sites, row)] : []),
      row("total", total, ""),
    ],
  };
}

export function stepMemoryTable(p: StepPrediction): Table {
  const m = p.memoryPerGpuGiB;
  const b = p.breakdown.memoryGiB;
  const stored = m.activations - b.logits - b.moeBuffers - b.zero3Buffers;
  return {
    columns: ["memory per GPU (most loaded stage)", "GiB"],
    rows: [
      ["weights", formatFixed(m.weights, 2)],
      ["gradients", formatFixed(m.gradients, 2)],
      ["optimizer states", formatFixed(m.optimizer, 2)],
      ["activations (stored, in flight)", formatFixed(stored, 2)],
      ["logits (one micro-batch)", formatFixed(b.logits, 2)],
      ["MoE dispatch buffers", formatFixed(b.moeBuffers, 2)],
      ["ZeRO-3 gathered layers", formatFixed(b.zero3Buffers, 2)],
      ["total", formatFixed(m.total, 2)],
    ],
  };
}

export function searchTable(r: SearchResult): Table {
  return {
    columns: ["rank", "layout", "step s", "tokens/s/GPU", "MFU", "memory GiB"],
    rows: r.best.map((x, i) => [
      i + 1,
      describeLayout(x.layout),
      sec(x.stepTimeSeconds),
      x.tokensPerSecondPerGpu.toFixed(1),
      pct(x.mfu),
      x.memoryPerGpuGiB.toFixed(1),
    ]),
  };
}

export function validationTable(v: ValidationSummary): Table {
  const opt = (x: number | null, f: (y: number) => string): string => (x === null ? "-" : f(x));
  const signed = (x: number): string => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
  return {
    columns: ["id", "tier", "step s pred", "step s meas", "error", "tok/s/GPU pred", "tok/s/GPU meas", "error", "MFU pred", "MFU meas", "error", "mem GiB pred", "mem GiB meas", "error"],
    rows: [
      ...v.rows.map((r) => [
        r.id,
        r.tier,
        sec(r.predictedStepTimeSeconds),
        opt(r.measuredStepTimeSeconds, sec),
        signed(r.stepTimeError),
        r.predictedTokensPerSecondPerGpu.toFixed(1),
        opt(r.measuredTokensPerSecondPerGpu, (x) => x.toFixed(1)),
        opt(r.tokensPerSecondError, signed),
        pct(r.predictedMfu),
        opt(r.measuredMfu, pct),
        opt(r.mfuError, signed),
        r.predictedMemoryGiB.toFixed(1),
        opt(r.measuredMemoryGiB, (x) => x.toFixed(1)),
        opt(r.memoryError, signed),
      ]),
      ["median |error|", "", "", "", pct(v.medianAbsStepTimeError), "", "", opt(v.medianAbsTokensPerSecondError, pct), "", "", opt(v.medianAbsMfuError, pct), "", "", opt(v.medianAbsMemoryError, pct)],
      ["max |error|", "", "", "", pct(v.maxAbsStepTimeError), "", "", "", "", "", "", "", "", ""],
    ],
  };
}

/** Median |step-time error| per framework and per GPU generation. */
export function validationGroupTable(v: ValidationSummary): Table {
  return {
    columns: ["group", "rows", "median |error|"],
    rows: [
      ...v.byFramework.map((g) => [`framework ${g.group}`, g.rows, pct(g.medianAbsStepTimeError)]),
      ...v.byGeneration.map((g) => [`GPU ${g.group}`, g.rows, pct(g.medianAbsStepTimeError)]),
    ],
  };
}

/** Leave-one-family-out next to in-sample, per framework. */
export function leaveOneOutTable(rows: readonly LeaveOneOut[]): Table {
  const signed = (x: number): string => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(0)}%`;
  return {
    columns: ["framework left out", "rows", "median |error| in-sample", "median |error| left out", "each row left out"],
    rows: rows.map((r) => [r.framework, r.rows, pct(r.inSampleMedianAbsError), pct(r.medianAbsError), r.errors.map((e) => `${e.id} ${signed(e.error)}`).join(", ")]),
  };
}

/** The refitted constants next to the shipped ones. */
export function refitTable(rows: ReadonlyArray<{ name: string; shipped: number; value: number; prior: number; rows: readonly string[]; meaning: string }>): Table {
  return {
    columns: ["constant", "shipped", "refit", "prior", "rows", "meaning"],
    rows: rows.map((r) => [r.name, fmt(r.shipped), fmt(r.value), fmt(r.prior), r.rows.length > 6 ? `${r.rows.length} rows` : r.rows.join(", "), r.meaning]),
  };
}
