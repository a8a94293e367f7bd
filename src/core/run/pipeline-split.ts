// How the transformer layers are spread over the pipeline (run-config.md, version 2, "Uneven pipelines").
//
// The pp · vp virtual stages are numbered in Megatron's interleaved order: physical stage r holds virtual
// stages r, r + pp, …, r + (vp−1)·pp. Without pins the layers are split as evenly as possible and the remainder
// goes to the middle virtual stages (torchtitan's split; Megatron's embedding/loss accounting amounts to the
// same: the end stages carry the embedding and the loss, so they get the fewer layers). firstStageLayers /
// lastStageLayers pin virtual stage 0 / pp·vp − 1 (Megatron decoder_first/last_pipeline_num_layers) and the
// rest is split the same way over the others.

/** Layer counts of the physical stages the step model looks at. */
export interface StageSplit {
  /** Layers on physical stage 0 (input embedding) and pp − 1 (output layer and loss). */
  first: number;
  last: number;
  /** The most layers on any middle stage (1 … pp − 2; 0 when pp ≤ 2) and the first rank holding that many. */
  middleMax: number;
  middleMaxRank: number;
  /** Mean layers of the middle stages (0 when pp ≤ 2). */
  middleMean: number;
}

export function emptyStageSplit(): StageSplit {
  return { first: 0, last: 0, middleMax: 0, middleMaxRank: 0, middleMean: 0 };
}

/**
 * Layers of virtual stage v of `virtualStages`; `first`/`last` null = not pinned. Callers check
 * `stageLayersAddUp` first.
 */
export function virtualStageLayers(layers: number, virtualStages: number, first: number | null, last: number | null, v: number): number {
  if (first !== null && v === 0) return first;
  if (last !== null && v === virtualStages - 1) return last;
  const lo = first !== null ? 1 : 0;
  const free = virtualStages - lo - (last !== null ? 1 : 0);
  const rest = layers - (first ?? 0) - (last ?? 0);
  const base = Math.floor(rest / free);
  const extra = rest - base * free;
  // The `extra` stages that get one more layer sit in the middle of the free range.
  const start = Math.floor((free - extra) / 2);
  const i = v - lo;
  return base + (i >= start && i < start + extra ? 1 : 0);
}

/** Layers on physical stage `rank` (the sum of its vp virtual stages). */
export function physicalStageLayers(layers: number, pp: number, vp: number, first: number | null, last: number | null, rank: number): number {
  const V = pp * vp;
  let n = 0;
  for (let k = 0; k < vp; k++) n += virtualStageLayers(layers, V, first, last, rank + k * pp);
  return n;
}

/** Fills `out` with the stage layer counts of a layout (no allocation; O(1) when the split is even). */
export function splitStages(layers: number, pp: number, vp: number, first: number | null, last: number | null, out: StageSplit): StageSplit {
  if (first === null && last === null && layers % (pp * vp) === 0) {
    const n = layers / pp;
    out.first = n;
    out.last = n;
    out.middleMax = pp > 2 ? n : 0;
    out.middleMaxRank = pp > 2 ? 1 : 0;
    out.middleMean = pp > 2 ? n : 0;
    return out;
  }
  out.first = physicalStageLayers(layers, pp, vp, first, last, 0);
  out.last = pp > 1 ? physicalStageLayers(layers, pp, vp, first, last, pp - 1) : out.first;
  let max = 0;
  let rankOfMax = 0;
  for (let r = 1; r < pp - 1; r++) {
    const n = physicalStageLayers(layers, pp, vp, first, last, r);
    if (n > max) {
      max = n;
      rankOfMax = r;
    }
  }
  out.middleMax = max;
  out.middleMaxRank = rankOfMax;
  out.middleMean = pp > 2 ? (layers - out.first - out.last) / (pp - 2) : 0;
  return out;
}
