import { InputError } from "../errors.ts";
import type { HyperparameterLaw } from "./law-types.ts";

export interface HyperparameterQuery {
  readonly n?: number;
  readonly d?: number;
  readonly flops?: number;
  /** Predicted loss (Kaplan B_crit(L)). */
  readonly loss?: number;
}

/** Recommended global batch (tokens) and peak learning rate; a law may give only one of them. */
export interface HyperparameterAdvice {
  readonly law: string;
  readonly batchTokens?: number;
  readonly peakLearningRate?: number;
  readonly basis: string;
}

function need(value: number | undefined, field: string, id: string): number {
  if (value === undefined || !(value > 0) || !Number.isFinite(value)) throw new InputError(field, value, `a finite number > 0 (law ${id} needs it)`);
  return value;
}

export function evaluateHyperparameters(law: HyperparameterLaw, q: HyperparameterQuery): HyperparameterAdvice {
  switch (law.form) {
    case "hparams-compute": {
      const c = need(q.flops, "flops", law.id);
      return {
        law: law.id,
        batchTokens: law.batch.coef * c ** law.batch.exp,
        peakLearningRate: law.lr.coef * c ** law.lr.exp,
        basis: `C = ${c.toExponential(3)} FLOP`,
      };
    }
    case "hparams-nd": {
      const n = need(q.n, "n", law.id);
      const d = need(q.d, "d", law.id);
      return {
        law: law.id,
        batchTokens: law.batch.coef * d ** law.batch.expD,
        peakLearningRate: law.lr.coef * n ** law.lr.expN * d ** law.lr.expD,
        basis: `N = ${n.toExponential(3)}, D = ${d.toExponential(3)}`,
      };
    }
    case "bcrit-loss": {
      const loss = need(q.loss, "loss", law.id);
      return { law: law.id, batchTokens: law.bStar / loss ** (1 / law.alphaB), basis: `L = ${loss.toFixed(4)} nats/token (critical batch)` };
    }
    case "cbs-params": {
      const n = need(q.n, "n", law.id);
      return {
        law: law.id,
        batchTokens: law.coef * (n / 1e6) ** law.exp * law.sequenceLength,
        basis: `N = ${n.toExponential(3)} (critical batch, ${law.sequenceLength}-token sequences)`,
      };
    }
  }
}
