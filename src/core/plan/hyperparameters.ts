// Global batch and peak learning rate of the planned run: from a batch/LR law (default DeepSeek LLM, whose fits
// give both as functions of compute), capped at the critical batch of Zhang et al. 2024 (beyond it, more tokens are
// needed for the same loss, so the loss law's prediction no longer holds), and rounded to a batch of whole
// sequences the layout search can split: 2^k or 3·2^k sequences (the nearest in log).

import { InputError } from "../errors.ts";
import { evaluateHyperparameters } from "../scaling/hyperparameter-law.ts";
import type { HyperparameterLaw } from "../scaling/law-types.ts";
import { findPreset, HYPERPARAMETER_LAW_PRESETS } from "../scaling/presets.ts";

export const DEFAULT_HPARAMS_LAW = "deepseek";
/** The critical-batch law used for the cap (Zhang et al. 2024, arXiv 2410.21676). */
export const CRITICAL_BATCH_LAW = "zhang-cbs";

export function hyperparameterLaw(id: string): HyperparameterLaw {
  const law = findPreset(id);
  const ids = HYPERPARAMETER_LAW_PRESETS.filter((l) => l.form === "hparams-compute" || l.form === "hparams-nd").map((l) => l.id);
  if (law === undefined || !ids.includes(law.id)) throw new InputError("hparams", id, `one of ${ids.join(", ")} (laws that give both batch and learning rate)`);
  return law as HyperparameterLaw;
}

export interface BatchAndLr {
  /** Global batch in sequences and tokens, as run. */
  readonly globalBatch: number;
  readonly batchTokens: number;
  /** What the law asked for (tokens) and the critical batch (tokens). */
  readonly lawBatchTokens: number;
  readonly criticalBatchTokens: number;
  readonly capped: boolean;
  readonly peakLearningRate: number;
  readonly law: string;
  readonly basis: string;
  readonly warning: string | null;
}

/** The nearest (in log) of 2^k and 3·2^k sequences, at least 1; with `atMost`, the largest one not above it. */
export function roundBatchSequences(sequences: number, atMost = false): number {
  if (!(sequences > 1)) return 1;
  const k = Math.floor(Math.log2(sequences));
  const options = [2 ** k, 3 * 2 ** (k - 1), 2 ** (k + 1)].filter((x) => Number.isInteger(x) && x >= 1 && (!atMost || x <= sequences));
  let best = options[0]!;
  for (const o of options) {
    const closer = Math.abs(Math.log(o / sequences)) < Math.abs(Math.log(best / sequences));
    if (atMost ? o > best : closer) best = o;
  }
  return best;
}

export function batchAndLr(law: HyperparameterLaw, n: number, d: number, flops: number, seqLen: number): BatchAndLr {
  const advice = evaluateHyperparameters(law, { n, d, flops });
  const critical = evaluateHyperparameters(hyperparameterLaw0(CRITICAL_BATCH_LAW), { n }).batchTokens!;
  const lawBatch = advice.batchTokens!;
  const capped = lawBatch > critical;
  const target = capped ? critical : lawBatch;
  const globalBatch = roundBatchSequences(target / seqLen, capped);
  const batchTokens = globalBatch * seqLen;
  const warning = capped
    ? `the ${law.id} batch law asks for ${(lawBatch / 1e6).toFixed(1)}M tokens, above the critical batch of ${(critical / 1e6).toFixed(1)}M tokens (Zhang et al. 2024 at N = ${n.toExponential(2)}): capped there, since beyond it more tokens are needed for the same loss`
    : null;
  return { globalBatch, batchTokens, lawBatchTokens: lawBatch, criticalBatchTokens: critical, capped, peakLearningRate: advice.peakLearningRate!, law: law.id, basis: advice.basis, warning };
}

function hyperparameterLaw0(id: string): HyperparameterLaw {
  return findPreset(id) as HyperparameterLaw;
}
