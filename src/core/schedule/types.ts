// Learning-rate schedules as plain data (serialisable: the web app sends them to a worker unchanged).
// Factor semantics follow epfml/schedules-and-scaling `src/optim/utils.py` (spec §A.2): a schedule is a
// multiplicative factor λ(s) on the peak LR, s the 0-indexed optimiser step, as PyTorch LambdaLR applies it.

/** Warmup over the first `steps` steps, from `from`·peak up to the peak. */
export interface WarmupSpec {
  readonly steps: number;
  /** Factor at step 0: 0.01 in the reference (init_div_factor = 100), 0 for a warmup from zero. */
  readonly from: number;
  /**
   * "linear": λ = s/w + (1 − s/w)·from (the reference: reaches 1 at s = w, never inside the warmup);
   * "linspace": λ = from + (1 − from)·s/(w − 1) (numpy linspace from..1 inclusive, reaches 1 at s = w − 1; the
   * MultiPowerLaw curves of Luo et al. 2025 use this with from = 0).
   */
  readonly shape: "linear" | "linspace";
}

/** Cooldown shapes of the reference `--decay-type` (spec §A.2 table). */
export type CooldownShape = "linear" | "sqrt" | "cosine" | "square" | "mirror-cosine" | "exp";
export const COOLDOWN_SHAPES: readonly CooldownShape[] = ["linear", "sqrt", "cosine", "square", "mirror-cosine", "exp"];

interface Common {
  /** Total steps n of the schedule (steps 0 … n − 1); λ(s ≥ n) is the final factor. */
  readonly steps: number;
  /** η_max: the LR at factor 1. 1 gives plain factors. */
  readonly peak: number;
  readonly warmup: WarmupSpec;
}

/** Warmup, then the peak for ever. */
export interface ConstantSchedule extends Common {
  readonly kind: "constant";
}

/** Warmup–stable–decay ("constant LR + cooldown", reference `--scheduler wsd`). */
export interface WsdSchedule extends Common {
  readonly kind: "wsd";
  /** n_cd: cooldown steps. From a fraction f the reference takes int(f·n) of the TOTAL steps (warmup included). */
  readonly cooldownSteps: number;
  readonly shape: CooldownShape;
  /** φ: factor at the end of the cooldown and after it (`--wsd-final-lr-scale`). */
  readonly final: number;
}

/**
 * The reference's cosine baseline (`--scheduler cos`): PyTorch OneCycleLR with div_factor 100, final_div_factor 0.1,
 * pct_start = w/n, no momentum cycling. Cosine-shaped ramp from 1/div to 1 ending at step w − 1, then cosine (or
 * linear, `--scheduler linear`) anneal to final = (1/div)/final_div at step n − 1 (0.1: "cosine to 10 %").
 */
export interface OneCycleSchedule {
  readonly kind: "onecycle";
  readonly steps: number;
  readonly peak: number;
  readonly warmupSteps: number;
  readonly divFactor: number;
  readonly final: number;
  readonly anneal: "cos" | "linear";
}

/** Closed-form cosine to a floor: λ = φ + (1 − φ)(1 + cos(π(s − w)/(n − w)))/2 for w ≤ s < n, φ after. */
export interface CosineSchedule extends Common {
  readonly kind: "cosine";
  readonly final: number;
}

/** Reference `cos_inf`: warmup, cosine from 1 to φ over steps w … n − n_inf, then φ for the last n_inf steps. */
export interface CosInfSchedule extends Common {
  readonly kind: "cos-inf";
  readonly final: number;
  readonly constantSteps: number;
}

/** Warmup, then piecewise-constant drops: factor `factor` from step `step` on (e.g. DeepSeek's 80/10/10). */
export interface MultiStepSchedule extends Common {
  readonly kind: "multistep";
  readonly milestones: ReadonlyArray<{ readonly step: number; readonly factor: number }>;
}

/** Any schedule given as a step → LR table (absolute LRs); linear interpolation between listed steps. */
export interface TableSchedule {
  readonly kind: "table";
  readonly points: ReadonlyArray<{ readonly step: number; readonly lr: number }>;
  /** steps = last listed step + 1. */
  readonly steps: number;
  readonly peak: number;
}

export type Schedule =
  | ConstantSchedule
  | WsdSchedule
  | OneCycleSchedule
  | CosineSchedule
  | CosInfSchedule
  | MultiStepSchedule
  | TableSchedule;
