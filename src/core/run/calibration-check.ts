// `scaleplan validate`: predicted vs measured for every published run of the calibration set.
// The caller passes the runs as plain data (the CLI reads data/real-runs, the web app can bundle them).

import { generationOf, type StepConstants } from "./calibration.ts";
import { predictStep } from "./step.ts";
import { validateRunConfig } from "./run-config.ts";
import { maxOf } from "../util/extent.ts";

/** One published run (the shape of shared/data/real-runs/<id>.json). */
export interface RealRun {
  readonly id: string;
  readonly run: string;
  readonly source?: string;
  readonly tier?: string;
  readonly config: unknown;
  readonly measured: {
    readonly stepTimeSeconds?: number;
    readonly tokensPerSecondPerGpu?: number;
    readonly mfu?: number;
    readonly mfuAtPrecisionPeak?: number;
    readonly peakMemoryGiB?: number;
  };
  readonly notes?: string;
}

export interface ValidationRow {
  readonly id: string;
  readonly tier: string;
  /** The training framework (software.framework, default megatron-core) and the GPU generation. */
  readonly framework: string;
  readonly generation: string;
  readonly run: string;
  readonly predictedStepTimeSeconds: number;
  readonly measuredStepTimeSeconds: number | null;
  readonly predictedTokensPerSecondPerGpu: number;
  readonly measuredTokensPerSecondPerGpu: number | null;
  readonly predictedMfu: number;
  readonly measuredMfu: number | null;
  readonly predictedMemoryGiB: number;
  readonly measuredMemoryGiB: number | null;
  /** (predicted − measured)/measured of the step time (derived from tokens/s when only that is published). */
  readonly stepTimeError: number;
  /** (predicted − measured)/measured of tokens/s/GPU and of MFU, where published. */
  readonly tokensPerSecondError: number | null;
  readonly mfuError: number | null;
  readonly memoryError: number | null;
}

/** Median |error| of one group of rows (a framework or a GPU generation). */
export interface GroupError {
  readonly group: string;
  readonly rows: number;
  readonly medianAbsStepTimeError: number;
}

export interface ValidationSummary {
  readonly rows: readonly ValidationRow[];
  readonly byFramework: readonly GroupError[];
  readonly byGeneration: readonly GroupError[];
  readonly medianAbsStepTimeError: number;
  readonly maxAbsStepTimeError: number;
  readonly medianAbsTokensPerSecondError: number | null;
  readonly medianAbsMfuError: number | null;
  readonly medianAbsMemoryError: number | null;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function groupErrors(rows: readonly ValidationRow[], key: (r: ValidationRow) => string): GroupError[] {
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    const k = key(r);
    const list = groups.get(k) ?? [];
    list.push(Math.abs(r.stepTimeError));
    groups.set(k, list);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([group, errs]) => ({ group, rows: errs.length, medianAbsStepTimeError: median(errs) }));
}

export function validateAgainstRuns(runs: readonly RealRun[], constants?: StepConstants): ValidationSummary {
  const rows: ValidationRow[] = [];
  for (const r of runs) {
    const config = validateRunConfig(r.config, r.id);
    const p = predictStep(config, constants);
    const meas = r.measured;
    const cfg = config as { training: { globalBatch: number }; model: { seqLen: number }; hardware: { count: number } };
    const tokensPerStepPerGpu = (cfg.training.globalBatch * cfg.model.seqLen) / cfg.hardware.count;
    const measuredStep = meas.stepTimeSeconds ?? (meas.tokensPerSecondPerGpu ? tokensPerStepPerGpu / meas.tokensPerSecondPerGpu : null);
    if (measuredStep === null) continue;
    const mem = p.memoryPerGpuGiB.total;
    rows.push({
      id: r.id,
      tier: r.tier ?? "",
      framework: p.software.framework,
      generation: generationOf(p.breakdown.efficiency.gpu).generation,
      run: r.run,
      predictedStepTimeSeconds: p.stepTimeSeconds,
      measuredStepTimeSeconds: measuredStep,
      predictedTokensPerSecondPerGpu: p.tokensPerSecondPerGpu,
      measuredTokensPerSecondPerGpu: meas.tokensPerSecondPerGpu ?? null,
      predictedMfu: p.mfu,
      measuredMfu: meas.mfu ?? null,
      predictedMemoryGiB: mem,
      measuredMemoryGiB: meas.peakMemoryGiB ?? null,
      stepTimeError: (p.stepTimeSeconds - measuredStep) / measuredStep,
      tokensPerSecondError: meas.tokensPerSecondPerGpu ? (p.tokensPerSecondPerGpu - meas.tokensPerSecondPerGpu) / meas.tokensPerSecondPerGpu : null,
      mfuError: meas.mfu ? (p.mfu - meas.mfu) / meas.mfu : null,
      memoryError: meas.peakMemoryGiB ? (mem - meas.peakMemoryGiB) / meas.peakMemoryGiB : null,
    });
  }
  const stepErrs = rows.map((r) => Math.abs(r.stepTimeError));
  const absOf = (pick: (r: ValidationRow) => number | null): number[] =>
    rows.flatMap((r) => {
      const v = pick(r);
      return v === null ? [] : [Math.abs(v)];
    });
  const memErrs = absOf((r) => r.memoryError);
  const tokErrs = absOf((r) => r.tokensPerSecondError);
  const mfuErrs = absOf((r) => r.mfuError);
  return {
    rows,
    byFramework: groupErrors(rows, (r) => r.framework),
    byGeneration: groupErrors(rows, (r) => r.generation),
    medianAbsStepTimeError: median(stepErrs),
    maxAbsStepTimeError: maxOf(stepErrs),
    medianAbsTokensPerSecondError: tokErrs.length > 0 ? median(tokErrs) : null,
    medianAbsMfuError: mfuErrs.length > 0 ? median(mfuErrs) : null,
    medianAbsMemoryError: memErrs.length > 0 ? median(memErrs) : null,
  };
}
