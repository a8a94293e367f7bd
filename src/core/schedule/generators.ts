// λ(s) for every schedule kind, with the reference's integer semantics (spec §A.2, epfml/schedules-and-scaling
// `src/optim/utils.py` wsd_schedule / cos_inf_schedule, PyTorch OneCycleLR for the cosine baseline).
import { requireWithinBound, SCHEDULE_STEPS } from "../config/bounds.ts";
import type { CooldownShape, Schedule, WarmupSpec } from "./types.ts";

/** Warmup factor at step s < w. */
function warmupFactor(w: WarmupSpec, s: number): number {
  if (w.shape === "linspace") return w.steps <= 1 ? 1 : w.from + ((1 - w.from) * s) / (w.steps - 1);
  // Reference: (step / n_warmup) + (1 - step / n_warmup) / init_div_factor, with from = 1/init_div_factor.
  const r = s / w.steps;
  return r + (1 - r) * w.from;
}

/**
 * g(t) of spec §A.2 mapped to λ = φ + (1 − φ)·g(t); "exp" is φ^t (no affine map), as in the reference. Each shape
 * computes only its own expression (the array fill calls this for every cooldown step).
 */
function cooldownFactor(shape: CooldownShape, t: number, final: number): number {
  switch (shape) {
    case "linear":
      return final + (1 - final) * (1 - t);
    case "sqrt":
      return final + (1 - final) * (1 - Math.sqrt(t));
    case "cosine":
      return final + (1 - final) * (1 + Math.cos(Math.PI * t)) * 0.5;
    case "square":
      return final + (1 - final) * (1 - t * t);
    case "mirror-cosine": {
      // Reference `miror_cosine`: linear_value * 2 - cosine_value.
      const linear = final + (1 - final) * (1 - t);
      const cosine = final + (1 - final) * (1 + Math.cos(Math.PI * t)) * 0.5;
      return linear * 2 - cosine;
    }
    case "exp":
      return final ** t;
  }
}

/** The closed-form cosine from 1 to φ at progress t ∈ [0, 1): φ + (1 − φ)(1 + cos πt)/2 (cosine and cos-inf). */
function cosineFactor(final: number, t: number): number {
  return final + 0.5 * (1 - final) * (1 + Math.cos(Math.PI * t));
}

/** PyTorch OneCycleLR `_annealing_cos(start, end, pct)` and `_annealing_linear`. */
function annealCos(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}
function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

/** The LR factor λ(s) (multiply by `peak` for the LR). s is the 0-indexed optimiser step. */
export function scheduleFactor(schedule: Schedule, s: number): number {
  switch (schedule.kind) {
    case "onecycle": {
      const n = schedule.steps;
      const initial = 1 / schedule.divFactor;
      // OneCycleLR phase ends: float(pct_start * total_steps) - 1 and total_steps - 1, pct_start = w / n.
      const end1 = (schedule.warmupSteps / n) * n - 1;
      const end2 = n - 1;
      const anneal = schedule.anneal === "cos" ? annealCos : annealLinear;
      if (s <= end1) return anneal(initial, 1, end1 > 0 ? s / end1 : 1);
      if (s <= end2) return anneal(1, schedule.final, (s - end1) / (end2 - end1));
      return schedule.final;
    }
    case "table":
      return tableLr(schedule, s) / schedule.peak;
    default:
      break;
  }
  const n = schedule.steps;
  const w = schedule.warmup;
  if (s < w.steps) return warmupFactor(w, s);
  switch (schedule.kind) {
    case "constant":
      return 1;
    case "wsd": {
      const nHold = n - schedule.cooldownSteps;
      if (s < nHold) return 1;
      if (s < n) return cooldownFactor(schedule.shape, (s - nHold) / schedule.cooldownSteps, schedule.final);
      return schedule.final;
    }
    case "cosine": {
      if (s >= n) return schedule.final;
      return cosineFactor(schedule.final, (s - w.steps) / (n - w.steps));
    }
    case "cos-inf": {
      // Reference cos_inf_schedule: max 1, cosine to final over [w, n − n_inf), then final.
      const nAnneal = n - schedule.constantSteps;
      if (s < nAnneal) {
        return cosineFactor(schedule.final, (s - w.steps) / (nAnneal - w.steps));
      }
      return schedule.final;
    }
    case "multistep": {
      let f = 1;
      for (const m of schedule.milestones) if (s >= m.step) f = m.factor;
      return f;
    }
  }
}

function tableLr(schedule: Extract<Schedule, { kind: "table" }>, s: number): number {
  const pts = schedule.points;
  const first = pts[0]!;
  if (s <= first.step) return first.lr;
  const last = pts[pts.length - 1]!;
  if (s >= last.step) return last.lr;
  // Binary search for the segment containing s.
  let lo = 0;
  let hi = pts.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (pts[mid]!.step <= s) lo = mid;
    else hi = mid;
  }
  const a = pts[lo]!;
  const b = pts[hi]!;
  return a.lr + ((b.lr - a.lr) * (s - a.step)) / (b.step - a.step);
}

/** The LR η(s) = peak · λ(s). */
export function scheduleLr(schedule: Schedule, s: number): number {
  return schedule.peak * scheduleFactor(schedule, s);
}

/** A per-step array's length, inside the schedule-steps bound (0 allowed: an empty warmup). */
function arrayLength(length: number): number {
  return length === 0 ? 0 : requireWithinBound("steps", length, SCHEDULE_STEPS);
}

/** Per-step LRs for steps 0 … length − 1 (default: the schedule's own length n): η(s) = peak · λ(s), as scheduleLr. */
export function scheduleLrArray(schedule: Schedule, length: number = schedule.steps): Float64Array {
  return scaledFactorArray(schedule, length, schedule.peak);
}

/** Per-step factors λ(s) for steps 0 … length − 1 (1 · λ is λ exactly). */
export function scheduleFactorArray(schedule: Schedule, length: number = schedule.steps): Float64Array {
  return scaledFactorArray(schedule, length, 1);
}

/**
 * scale · λ(s) for steps 0 … length − 1, in one pass: the product is taken as each factor is written (the same
 * product as scaling the factors afterwards: a fresh worker's first Schedules result ran a second 24,000-step loop
 * for it). The phases of scheduleFactor are one loop each, with its expressions, so that a long schedule does not
 * dispatch on its kind at every step.
 */
function scaledFactorArray(schedule: Schedule, length: number, scale: number): Float64Array {
  const out = new Float64Array(arrayLength(length));
  if (schedule.kind === "onecycle" || schedule.kind === "table" || schedule.kind === "multistep") {
    for (let s = 0; s < length; s++) out[s] = scale * scheduleFactor(schedule, s);
    return out;
  }
  const w = schedule.warmup;
  let s = 0;
  for (; s < length && s < w.steps; s++) out[s] = scale * warmupFactor(w, s);
  const n = schedule.steps;
  switch (schedule.kind) {
    case "constant":
      for (; s < length; s++) out[s] = scale;
      return out;
    case "wsd": {
      const nHold = n - schedule.cooldownSteps;
      const final = scale * schedule.final;
      for (; s < length && s < nHold; s++) out[s] = scale;
      for (; s < length && s < n; s++) out[s] = scale * cooldownFactor(schedule.shape, (s - nHold) / schedule.cooldownSteps, schedule.final);
      for (; s < length; s++) out[s] = final;
      return out;
    }
    case "cosine": {
      const final = scale * schedule.final;
      for (; s < length && s < n; s++) out[s] = scale * cosineFactor(schedule.final, (s - w.steps) / (n - w.steps));
      for (; s < length; s++) out[s] = final;
      return out;
    }
    case "cos-inf": {
      const nAnneal = n - schedule.constantSteps;
      const final = scale * schedule.final;
      for (; s < length && s < nAnneal; s++) out[s] = scale * cosineFactor(schedule.final, (s - w.steps) / (nAnneal - w.steps));
      for (; s < length; s++) out[s] = final;
      return out;
    }
  }
}
