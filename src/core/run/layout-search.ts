// `scaleplan search`: every valid layout that fits, ranked by predicted step time.
//
// Enumerated: tp (divides heads and the GPU count), pp (divides layers and the GPUs left), vp (divides the
// layers per stage; only with the interleaved schedule), cp (sequence splits into 2·cp chunks), ep (MoE only:
// divides experts and dp·cp), zero 0-3, recompute none/selective/full, micro-batch (divides the per-replica
// batch), schedule (1f1b, zero-bubble, gpipe, dualpipe; interleaved when vp > 1). Sequence parallelism is on
// whenever tp > 1 (in this model it moves the same bytes as plain TP and only saves memory and time), unless the
// config fixes it. Any field given in `parallelism` is held fixed.

import { ComputationError } from "../errors.ts";
import {
  brokenLayoutRule,
  resolveRun,
  PIPELINE_SCHEDULES,
  RECOMPUTE_MODES,
  type Layout,
  type PipelineSchedule,
  type RecomputeMode,
  type RunConfig,
} from "./run-config.ts";
import { emptyEvaluation, evaluateLayout, stepContext, type StepContext } from "./step-model.ts";

const GIB = 1024 ** 3;

export interface SearchOptions {
  /** Overrides hardware.count. */
  readonly gpus?: number | undefined;
  /** How many layouts to return (best first). */
  readonly top?: number | undefined;
  /** Called after each (tp, pp) block with the blocks done and the total. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface RankedLayout {
  readonly layout: Layout;
  readonly stepTimeSeconds: number;
  readonly tokensPerSecondPerGpu: number;
  readonly mfu: number;
  readonly memoryPerGpuGiB: number;
}

export interface SearchResult {
  readonly gpus: number;
  readonly evaluated: number;
  readonly fitting: number;
  readonly best: readonly RankedLayout[];
  /** The smallest per-GPU memory of any valid layout (whether or not it fits), with that layout. */
  readonly smallestMemoryGiB: number;
  readonly smallestMemoryLayout: Layout | null;
  readonly usableMemoryGiB: number;
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d === 0) {
      out.push(d);
      if (d * d !== n) out.push(n / d);
    }
  }
  return out.sort((a, b) => a - b);
}

export function searchLayouts(config: RunConfig, options: SearchOptions = {}): SearchResult {
  const gpus = options.gpus ?? config.hardware.count;
  const run = resolveRun({ ...config, hardware: { ...config.hardware, count: gpus } });
  const ctx: StepContext = stepContext(run);
  const fixed = config.parallelism ?? {};
  const top = options.top ?? 10;
  const m = run.model;
  const out = emptyEvaluation();
  const usableBytes = ctx.hbmBytes * (1 - ctx.k.hbmReserveFraction);
  const tokensPerStep = run.globalBatch * m.seqLen;
  const modelFlops = ctx.counts.modelFlopsPerToken * tokensPerStep;

  const pick = <T>(value: T | undefined, all: readonly T[]): readonly T[] => (value === undefined ? all : [value]);
  const tps = pick(fixed.tp, divisors(gpus).filter((t) => m.heads % t === 0));
  const zeros = pick(fixed.zero, [0, 1, 2, 3] as const);
  const recomputes = pick<RecomputeMode>(fixed.recompute, RECOMPUTE_MODES);
  const best: RankedLayout[] = [];
  let worstBest = Infinity;
  let evaluated = 0;
  let fitting = 0;
  let smallest = Infinity;
  let smallestLayout: Layout | null = null;

  const blocks: Array<[number, number]> = [];
  for (const tp of tps) {
    if (gpus % tp !== 0) continue;
    for (const pp of pick(fixed.pp, divisors(gpus / tp).filter((p) => m.layers % p === 0))) blocks.push([tp, pp]);
  }
  let done = 0;
  for (const [tp, pp] of blocks) {
    const rest = gpus / (tp * pp);
    if (!Number.isInteger(rest)) {
      done++;
      continue;
    }
    const sps = fixed.sequenceParallel === undefined ? [tp > 1] : [fixed.sequenceParallel];
    const vps = pp === 1 ? [1] : pick(fixed.vp, divisors(m.layers / pp));
    for (const cp of pick(fixed.cp, divisors(rest).filter((c) => c === 1 || m.seqLen % (2 * c) === 0))) {
      const dp = rest / cp;
      if (!Number.isInteger(dp)) continue;
      if (run.globalBatch % dp !== 0) continue;
      const perReplica = run.globalBatch / dp;
      const eps = m.moe === null ? [1] : pick(fixed.ep, divisors(dp * cp).filter((e) => m.moe !== null && m.moe.experts % e === 0));
      const mbs = pick(fixed.microBatch, divisors(perReplica));
      for (const vp of vps) {
        let schedules: readonly PipelineSchedule[];
        if (fixed.pipelineSchedule !== undefined) schedules = [fixed.pipelineSchedule];
        else if (pp === 1) schedules = ["1f1b"];
        else if (vp > 1) schedules = ["interleaved-1f1b"];
        else schedules = PIPELINE_SCHEDULES.filter((s) => s !== "interleaved-1f1b" && (s !== "dualpipe" || pp % 2 === 0));
        for (const pipelineSchedule of schedules) {
          for (const ep of eps) {
            for (const sequenceParallel of sps) {
              for (const zero of zeros) {
                for (const recompute of recomputes) {
                  for (const microBatch of mbs) {
                    const layout: Layout = { tp, pp, vp, cp, ep, dp, sequenceParallel, zero, recompute, pipelineSchedule, microBatch };
                    if (brokenLayoutRule(run, layout) !== null) continue;
                    evaluateLayout(ctx, layout, out);
                    evaluated++;
                    const mem = out.memory.total;
                    if (mem < smallest) {
                      smallest = mem;
                      smallestLayout = layout;
                    }
                    if (mem > usableBytes) continue;
                    fitting++;
                    const t = out.time.stepTime;
                    if (best.length >= top && t >= worstBest) continue;
                    const ranked: RankedLayout = {
                      layout,
                      stepTimeSeconds: t,
                      tokensPerSecondPerGpu: tokensPerStep / (t * gpus),
                      mfu: modelFlops / (t * gpus * ctx.peakFlopsBf16),
                      memoryPerGpuGiB: mem / GIB,
                    };
                    let i = best.length;
                    while (i > 0 && best[i - 1]!.stepTimeSeconds > t) i--;
                    best.splice(i, 0, ranked);
                    if (best.length > top) best.pop();
                    worstBest = best.length >= top ? best[best.length - 1]!.stepTimeSeconds : Infinity;
                  }
                }
              }
            }
          }
        }
      }
    }
    done++;
    options.onProgress?.(done, blocks.length);
  }
  return {
    gpus,
    evaluated,
    fitting,
    best,
    smallestMemoryGiB: smallest / GIB,
    smallestMemoryLayout: smallestLayout,
    usableMemoryGiB: usableBytes / GIB,
  };
}

/** Layout in the words people use: "tp8 pp8 vp3 cp1 ep1 dp16 sp zero1 selective mb1 interleaved-1f1b". */
export function describeLayout(l: Layout): string {
  return `tp${l.tp} pp${l.pp} vp${l.vp} cp${l.cp} ep${l.ep} dp${l.dp}${l.sequenceParallel ? " sp" : ""} zero${l.zero} ${l.recompute} mb${l.microBatch} ${l.pipelineSchedule}`;
}

/** Throws the "nothing fits" ComputationError (exit 1) with the smallest memory any valid layout needs. */
export function requireSomethingFits(result: SearchResult): void {
  if (result.best.length > 0) return;
  if (result.smallestMemoryLayout === null) {
    throw new ComputationError(`no valid layout for ${result.gpus} GPUs (check that the GPU count, batch, heads and layers share divisors)`);
  }
  throw new ComputationError(
    `no layout fits in ${result.usableMemoryGiB.toFixed(1)} GiB usable per GPU; the smallest needs ${result.smallestMemoryGiB.toFixed(1)} GiB per GPU (${describeLayout(result.smallestMemoryLayout)})`,
  );
}
