// Published loss-curve law fits usable by name (`curve predict --law mpl-25m`, the web Schedules view).
import type { SavedFit } from "./fit-file.ts";
import type { MplParams } from "./multi-power-law.ts";

/**
 * Where a curve law was fitted: predictions past the last fitted step or outside the LR range it saw are
 * extrapolations (warned about by `curve predict|optimize`, see extrapolation.ts).
 */
export interface CurveLawDomain {
  /** Last logged step of the longest training curve. */
  readonly maxStep: number;
  /** Lowest LR after the warmup peak among the training curves. */
  readonly minLr: number;
  /** Highest LR among the training curves (the peak). */
  readonly maxLr: number;
}

export interface CurveLawPreset {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly fit: SavedFit;
  readonly domain: CurveLawDomain;
}

/**
 * Luo et al. 2025 (arXiv 2503.12811) published fits, thu-yao-01-luo/MultiPowerLaw src/config.py (spec
 * schedules-and-scaling-laws.md §C.2 table). Fitted on cosine_24000, constant_24000 and wsdcon_9 (§C.2 "Train set"):
 * peak 3e-4 after a 2160-step linear warmup from 0, cosine to 3e-5, two-stage 3e-4 → 9e-5; last logged step 23936
 * of the 24000-step runs (logged every 128 steps from 2176, §C.4), so the fitted horizon is 24000 steps.
 */
const MPL_PUBLISHED_DOMAIN: CurveLawDomain = { maxStep: 24000, minLr: 3e-5, maxLr: 3e-4 };

function mplPreset(size: string, params: MplParams): CurveLawPreset {
  return {
    id: `mpl-${size.toLowerCase()}`,
    name: `Multi-Power Law, ${size} published fit`,
    source: "Luo et al. 2025, arXiv 2503.12811; thu-yao-01-luo/MultiPowerLaw src/config.py (spec §C.2)",
    fit: { law: "mpl", params },
    domain: MPL_PUBLISHED_DOMAIN,
  };
}

export const CURVE_LAW_PRESETS: readonly CurveLawPreset[] = [
  mplPreset("25M", { L0: 3.04045406, A: 0.52468604, alpha: 0.50786857, B: 363.78751622, C: 2.06560812, beta: 0.58279013, gamma: 0.64142257 }),
  mplPreset("100M", { L0: 2.6514477, A: 0.60115152, alpha: 0.45295811, B: 437.9464276, C: 2.13245612, beta: 0.59785199, gamma: 0.65523644 }),
  mplPreset("400M", { L0: 2.37474466, A: 0.65421216, alpha: 0.42878731, B: 523.42464371, C: 2.02462735, beta: 0.59350493, gamma: 0.63472457 }),
];

export const CURVE_LAW_PRESET_IDS: readonly string[] = CURVE_LAW_PRESETS.map((p) => p.id);

export function findCurveLawPreset(id: string): CurveLawPreset | undefined {
  return CURVE_LAW_PRESETS.find((p) => p.id === id);
}
