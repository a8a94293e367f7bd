// Floors of one parallelism degree's communication time over all its level splits, for the layout search's coarse
// bounds (spec §2.5, §2.9). A floor is first measured exactly (the minimum of the degree's cost table on one
// cluster size of one model), then rescaled for every other cluster size and width of the same sweep: each
// bandwidth time of §2.5 is words × repeats × β / (N·B_ℓ/2), so over the same level splits it is proportional to
//   TP: L·B·d_model / N   (words d_ff and d_model, repeats 2L and B; d_ff / d_model fixed, checked),
//   DP: P_tot / N          (words P_tot),
// and the TP latency (2·2L hops per split level) to L, the DP latency to nothing. The rescaled value differs from the
// exact one by rounding only (a few ulps), so the 1e-9 relative margin taken off keeps it a floor.

import { innerMap } from "../util/inner-map.ts";

/** The splits of one level hierarchy (LevelCombos, compared by identity: they are memoized per level sizes). */
export type Splits = object;

/** A floor as measured: minimum bandwidth and latency times and the scales they are proportional to. */
interface MeasuredFloor {
  readonly bandwidthS: number;
  readonly latencyS: number;
  readonly bandwidthScale: number;
  readonly latencyScale: number;
  /** d_ff / d_model of the model measured (TP floors only; 0 for DP). */
  readonly ratio: number;
}

/** Relative margin for rescaled floors (the search's other bounds use the same). */
const RESCALE_MARGIN = 1 - 1e-9;

/**
 * The floors of one sweep (one GPU and network), by level hierarchy and degree. `bandwidthS` / `latencyS` hold
 * the last answer of `find` (no object per call: the coarse bounds ask for them ~10k times per sweep).
 */
export class CommunicationFloors {
  bandwidthS = 0;
  latencyS = 0;
  private readonly tp = new Map<Splits, Map<number, Map<number, MeasuredFloor>>>();
  private readonly dp = new Map<Splits, Map<number, MeasuredFloor>>();

  /** The TP floor of aspect (TP_model, TP_ff) if measured on the same hierarchy and d_ff/d_model; sets the fields. */
  findTensorParallel(splits: Splits, nTpModel: number, nTpFf: number, ratio: number, bandwidthScale: number, latencyScale: number): boolean {
    const floor = this.tp.get(splits)?.get(nTpModel)?.get(nTpFf);
    return floor !== undefined && floor.ratio === ratio && this.rescale(floor, bandwidthScale, latencyScale);
  }

  recordTensorParallel(splits: Splits, nTpModel: number, nTpFf: number, floor: MeasuredFloor): void {
    innerMap(innerMap(this.tp, splits), nTpModel).set(nTpFf, floor);
  }

  /** The DP floor of degree N_DP if measured on the same hierarchy; sets the fields. */
  findDataParallel(splits: Splits, nDp: number, bandwidthScale: number): boolean {
    const floor = this.dp.get(splits)?.get(nDp);
    return floor !== undefined && this.rescale(floor, bandwidthScale, floor.latencyScale);
  }

  recordDataParallel(splits: Splits, nDp: number, floor: MeasuredFloor): void {
    innerMap(this.dp, splits).set(nDp, floor);
  }

  private rescale(floor: MeasuredFloor, bandwidthScale: number, latencyScale: number): boolean {
    this.bandwidthS = floor.bandwidthS * (bandwidthScale / floor.bandwidthScale) * RESCALE_MARGIN;
    this.latencyS = latencyScale === floor.latencyScale ? floor.latencyS : floor.latencyS * (latencyScale / floor.latencyScale) * RESCALE_MARGIN;
    return true;
  }
}

const floorsByGpu = new WeakMap<object, CommunicationFloors>();

/**
 * The floors shared by every search of one sweep: runSweep derives its GPU object once and hands it to each
 * width's search, so that object keys them (and they go with it).
 */
export function communicationFloorsOf(gpu: object): CommunicationFloors {
  let floors = floorsByGpu.get(gpu);
  if (floors === undefined) {
    floors = new CommunicationFloors();
    floorsByGpu.set(gpu, floors);
  }
  return floors;
}
