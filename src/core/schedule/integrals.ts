// Areas under an LR curve used by the schedule-aware loss laws (spec §C.1, §C.2).

/** S1: S1[t] = Σ_{τ=0}^{t} η_τ (inclusive prefix sum; the MPL reference's cumsum over the per-step LR array). */
export function lrArea(lrs: ArrayLike<number>): Float64Array {
  const out = new Float64Array(lrs.length);
  let acc = 0;
  for (let i = 0; i < lrs.length; i++) {
    acc += lrs[i]!;
    out[i] = acc;
  }
  return out;
}

/**
 * Tissue et al. 2024 annealing area (spec §C.1): m_i = λ·m_{i−1} + (η_{i−1} − η_i), m_0 = 0; S2[t] = Σ_{i=1}^{t} m_i.
 * Warmup steps give small negative increments that decay away, as in the reference fits of §C.1.
 */
export function annealingArea(lrs: ArrayLike<number>, decay: number): Float64Array {
  const out = new Float64Array(lrs.length);
  let m = 0;
  let acc = 0;
  for (let i = 1; i < lrs.length; i++) {
    m = decay * m + (lrs[i - 1]! - lrs[i]!);
    acc += m;
    out[i] = acc;
  }
  return out;
}
