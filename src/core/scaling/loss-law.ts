import { InputError } from "../errors.ts";
import { chinchillaLoss } from "./chinchilla-law.ts";
import { dataConstrainedLoss } from "./data-constrained.ts";
import { PF_DAY, type LossLaw } from "./law-types.ts";

/** Where a loss law is evaluated: parameters, tokens, and (data-constrained laws) unique tokens. */
export interface LossQuery {
  readonly n?: number;
  readonly d?: number;
  /** Unique tokens available (data-constrained law); defaults to D (no repetition). */
  readonly unique?: number;
  /** Compute in FLOP for one-variable compute laws; defaults to 6ND. */
  readonly flops?: number;
}

/** True when the law predicts loss from (N, D), so compute-optimal allocation applies. */
export function isTwoVariableLaw(law: LossLaw): boolean {
  return law.form !== "power-1d";
}

function need(value: number | undefined, field: string, law: LossLaw): number {
  if (value === undefined) throw new InputError(field, value, `a value (law ${law.id} needs it)`);
  if (!(value > 0) || !Number.isFinite(value)) throw new InputError(field, value, "a finite number > 0");
  return value;
}

/** Predicted loss (nats/token, in the law's own conventions). */
export function evaluateLoss(law: LossLaw, q: LossQuery): number {
  switch (law.form) {
    case "chinchilla":
      return chinchillaLoss(law, need(q.n, "n", law), need(q.d, "d", law));
    case "data-constrained": {
      const d = need(q.d, "d", law);
      return dataConstrainedLoss(law, need(q.n, "n", law), d, q.unique === undefined ? d : need(q.unique, "unique", law));
    }
    case "overtraining": {
      // L(C, M) = E + (a·M^η + b·M^{−η})·C^{−η}, M = D/N, C = 6ND (Gadre et al. 2024).
      const n = need(q.n, "n", law);
      const d = need(q.d, "d", law);
      const m = d / n;
      const c = 6 * n * d;
      return law.E + (law.a * m ** law.eta + law.b * m ** -law.eta) * c ** -law.eta;
    }
    case "kaplan-nd": {
      const n = need(q.n, "n", law);
      const d = need(q.d, "d", law);
      return ((law.nc / n) ** (law.alphaN / law.alphaD) + law.dc / d) ** law.alphaD;
    }
    case "power-1d": {
      let x: number;
      if (law.variable === "N") x = need(q.n, "n", law);
      else if (law.variable === "D") x = need(q.d, "d", law);
      else {
        const flops = q.flops ?? (q.n !== undefined && q.d !== undefined ? 6 * q.n * q.d : undefined);
        x = need(flops, "flops", law);
        if (law.unit === "PF-day") x /= PF_DAY;
      }
      return (law.xc / x) ** law.exponent;
    }
  }
}
