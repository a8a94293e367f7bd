// Upper bounds on counts and sizes a user can type, where memory or time would otherwise explode (issue 13). One
// set for the CLI, the web app's forms and a library user calling the core: the core functions that would
// allocate or loop on the value (schedule arrays, the layout search, the bootstrap, the datacenter level, the
// schedule optimizer) check it themselves with requireWithinBound, so `steps = 1e9` is the same named InputError
// ("a whole number in [1, 5,000,000] (the per-step LR array is held in memory)") everywhere, never an allocation
// failure. Browser-safe.
import { InputError } from "../errors.ts";
import { formatExact } from "../format.ts";
import { describeRule, meetsRule, type NumberRule } from "./number.ts";

/** A named bound: the closed range a count or size must lie in, and why (printed after the range in errors). */
export interface Bound extends NumberRule {
  readonly min: number;
  readonly max: number;
  /** The reason the bound exists, as a short phrase for the error line. */
  readonly reason: string;
  /** "a whole number in [1, 1,000] (the ranking keeps every listed layout sorted)": the range and the reason. */
  readonly allowed: string;
}

function rangeBound(min: number, max: number, reason: string): Bound {
  const rule = { min, max };
  return { ...rule, reason, allowed: `${describeRule(rule)} (${reason})` };
}

function positiveBound(max: number, reason: string): Bound {
  const rule = { min: 0, minExclusive: true, max };
  return { ...rule, reason, allowed: `${describeRule(rule)} (${reason})` };
}

function wholeBound(min: number, max: number, reason: string): Bound {
  return { integer: true, min, max, reason, allowed: `${describeRule({ integer: true, min, max })} (${reason})` };
}

/**
 * Steps of a schedule or loss curve (CLI and web app alike): the per-step LR array takes 8 bytes a step (40 MB
 * at the bound; 1e9 failed to allocate). 5M is 10× the ~500k steps of Llama 2's pretraining (2T tokens at 4M
 * tokens a step, Touvron et al. 2023).
 */
export const MAX_SCHEDULE_STEPS = 5_000_000;
export const SCHEDULE_STEPS: Bound = wholeBound(1, MAX_SCHEDULE_STEPS, "the per-step LR array is held in memory");

/**
 * Steps of `curve optimize`: up to 6,000 loss evaluations over every step. Measured on this machine class: 10^5
 * steps finish in under 12 s, 10^6 steps take ~5 s per evaluation (hours in all), so the bound is 2·10^5.
 */
export const MAX_OPTIMIZE_STEPS = 200_000;
export const OPTIMIZE_STEPS: Bound = wholeBound(2, MAX_OPTIMIZE_STEPS, "every evaluation of the optimizer covers every step");

/**
 * Bootstrap resamples of a fit: each is a full refit (~1 ms to 10 ms, so the bound is minutes of work, with
 * progress and Ctrl-C in the CLI and a Cancel button in the web app); 1,000 is the usual choice (Besiroglu et
 * al. 2024). 1e9 ran until killed (issue 13).
 */
export const MAX_BOOTSTRAP = 100_000;
export const BOOTSTRAP_RESAMPLES: Bound = wholeBound(0, MAX_BOOTSTRAP, "each resample is a full refit");

/** Rows of a run file: each Approach-3 start evaluates every row; 10^6 rows are far beyond any published sweep. */
export const MAX_RUN_ROWS = 1_000_000;
export const RUN_ROWS: Bound = wholeBound(0, MAX_RUN_ROWS, "every start of the fit evaluates every run");

/**
 * Layouts listed by `search --top` (and the web app's Run view): the ranking keeps the best K in a sorted list, so
 * time grows with K (issue 13: 10 → 0.55 s, 100,000 → 38 s; 1e6 froze the page for two minutes); rows past a
 * thousand are unreadable anyway.
 */
export const MAX_SEARCH_TOP = 1000;
export const SEARCH_TOP: Bound = wholeBound(1, MAX_SEARCH_TOP, "the ranking keeps every listed layout sorted");

/**
 * GPUs in one cluster or datacenter level (2^20 ≈ 1M, ~5× the largest announced site): the layout searches
 * enumerate divisors and levels of it (`limits --datacenter-size` 2^40 ran for minutes and took 9 GB, issue 13).
 */
export const MAX_GPUS = 2 ** 20;
export const GPU_COUNT: Bound = wholeBound(1, MAX_GPUS, "the layout searches enumerate its divisors");

/**
 * Sizes in a scaling sweep (sanity bounds far past any real sweep; beyond them the FLOP totals lose meaning).
 * Parameters: 1e15 is ~500× the largest published dense model (PaLM, 540B, Chowdhery et al. 2022). Tokens per
 * parameter: 1e6 is the Chinchilla 20 (Hoffmann et al. 2022) × 5·10^4 (Llama 3 8B saw ~1,900, Meta 2024). Tokens
 * per step: 1e10 is ~600× DeepSeek-V3's 15,360 × 4,096 (DeepSeek-AI 2024).
 */
export const PARAMETER_COUNT: Bound = rangeBound(1, 1e15, "at least one parameter; far past any published model");
export const TOKENS_PER_PARAMETER: Bound = positiveBound(1e6, "far past any published training run");
export const BATCH_TOKENS: Bound = rangeBound(1, 1e10, "at least one token; far past any published batch");

/**
 * Unique tokens of a data-constrained law (Muennighoff et al. 2023): at least one (5e-324 gave an infinite loss,
 * issue 13); 1e18 is ~7·10^4× Llama 3's 15T training tokens (Meta 2024).
 */
export const UNIQUE_TOKENS: Bound = rangeBound(1, 1e18, "at least one token");

/**
 * A network link per GPU or node: bandwidth 1 kbit/s to 1 Pbit/s (the 1 Gbit/s datacenter links of the
 * data-movement paper and 400 Gbit/s NICs are deep inside), latency up to an hour per message. Outside them the
 * step times overflow to Infinity (issue 13: `diloco --within-bandwidth 5e-324`).
 */
export const LINK_GBPS: Bound = rangeBound(1e-6, 1e6, "1 kbit/s to 1 Pbit/s");
export const LINK_LATENCY_S: Bound = rangeBound(0, 3600, "up to an hour per message");
/**
 * The same link in GB/s (LINK_GBPS / 8), as the limits model takes a datacenter level (`limits
 * --datacenter-bandwidth`, scenario files' `datacenter.bandwidthGBps`, the Limits view) and a run config's custom GPU
 * its links. The CLI took any number (1e300) and any latency (1e300 s, accepted with exit 0) before (issue 13).
 */
export const LINK_GBYTES_PER_S: Bound = rangeBound(LINK_GBPS.min / 8, LINK_GBPS.max / 8, "1 kbit/s to 1 Pbit/s");
/**
 * A peak learning rate for the loss-curve laws (`curve study`, `curve optimize`): four decades past the published
 * range on either side (6e-5 for GPT-3 175B, Brown et al. 2020; 3.2 for SGD at batch 8k, Goyal et al. 2017). Past
 * it the laws' LR powers overflow (issue 13: `curve study --peak 1e300` printed a loss of 3.6e301).
 */
export const PEAK_LR: Bound = rangeBound(1e-8, 10, "four decades past the published peak LRs");

/** The same latency bound in milliseconds (run configs' `hardware.interSite.latencyMs`, `plan --inter-site-ms`). */
export const LINK_LATENCY_MS: Bound = rangeBound(0, 3_600_000, "up to an hour per message");

/**
 * Training across sites (DiLoCo, Charles et al. 2025; Streaming DiLoCo, Douillard et al. 2025), one set for
 * `diloco`, `plan --sites/--diloco/--outer-bits`, run configs (`hardware.sites`, `training.diloco`) and limits
 * scenarios. Outside them the step times overflowed or went to zero without a word (issue 13: `outerBits: 1e-300`
 * made the outer exchange free; `interSite.latencyMs: 1e300` printed a step of 3e295 s).
 * - sites: at least one GPU per site, so at most the GPU bound.
 * - H (inner steps per outer sync): a run within the schedule bound (5M steps) synchronises at least once.
 * - bits per outer-gradient value: 1-bit quantisation (the most compressed scheme published, e.g. 1-bit Adam,
 *   Tang et al. 2021) to fp32.
 * - fragments: each is a group of at least one layer; 1,000 is ~8× the deepest published dense model (Llama 3
 *   405B: 126 layers).
 * - achieved FLOP/s per node: 1 GFLOP/s to 1 EFLOP/s (~1,000× an H100's 989 TFLOP/s dense BF16).
 */
export const SITE_COUNT: Bound = wholeBound(1, MAX_GPUS, "at least one GPU per site");
export const SYNC_EVERY: Bound = wholeBound(1, MAX_SCHEDULE_STEPS, "a run within the step bound synchronises at least once");
export const OUTER_BITS: Bound = rangeBound(1, 32, "1-bit quantisation to fp32");
export const FRAGMENTS: Bound = wholeBound(1, 1000, "each fragment holds at least one layer");
export const NODE_FLOPS: Bound = rangeBound(1e9, 1e18, "1 GFLOP/s to 1 EFLOP/s per node");

/**
 * A plan's deadline in days (`plan --days`, plan files, the Plan view; a budget buys days at the price per
 * GPU-hour and is held to the same end): ten years, ~70× the 54-day snapshot of Llama 3 405B's pre-training
 * (Llama Team 2024, §3.3.4). Past it the tokens overflowed (issue 13: `plan --days 1e300` ended with "d: Infinity
 * is not allowed", naming no input). The short end is left to the plan, which says how many days it needs.
 */
export const MAX_PLAN_DAYS = 3650;
export const PLAN_DAYS: Bound = positiveBound(MAX_PLAN_DAYS, "ten years; the longest published pre-training runs took months");

/**
 * The smallest fraction of a plan's peak GPU-time that can be useful: its goodput, or a pinned utilization
 * (`plan --mfu`). Issue 13: `plan --goodput 1e-300` ended in "cannot hold", exit 1. A plan trains at least
 * plan/schedule-plan.ts's minimumSteps() = 2,501 steps (warmup and a 20 % cooldown) of at least one token, each
 * costing at least the cheapest template's model FLOPs per token (1.34e9: the DeepSeek-V3-style MoE template
 * h1024-l8, run/model-flops.ts; a pinned MFU counts 6N, at least 2.1e9), so at least 3.4e12 FLOP; the most a plan
 * has is MAX_GPUS (2^20) × the catalogue's highest peak (GB200, 4,900 TFLOP/s FP8) × MAX_PLAN_DAYS × the fraction.
 * Below 3.4e12 / (2^20 × 4.9e15 × 3.15e8 s) = 2.1e-18 no input within the other bounds holds a run; 1e-18 rounds
 * it down (test/cli/plan-bounds.test.ts recomputes it from the catalogue and the templates).
 */
export const MIN_USEFUL_FRACTION = 1e-18;
const NO_PLAN_BELOW = `below ${formatExact(MIN_USEFUL_FRACTION)} no cluster within the bounds trains a plan's 2,501 steps`;
export const GOODPUT: Bound = {
  min: MIN_USEFUL_FRACTION,
  max: 1,
  reason: NO_PLAN_BELOW,
  allowed: `a fraction in [${formatExact(MIN_USEFUL_FRACTION)}, 1] (1 switches the reliability model off; ${NO_PLAN_BELOW})`,
};
export const PLAN_MFU: Bound = rangeBound(MIN_USEFUL_FRACTION, 1, NO_PLAN_BELOW);

/**
 * Tokens a model will serve (`plan/optimal --inference-tokens`, Sardana et al. 2023): at least one; 1e18 is ~170×
 * a year of the 480 trillion tokens a month Google reported serving across its products (Google I/O, May 2025).
 * 1e300 printed Infinity (issue 13).
 */
export const INFERENCE_TOKENS: Bound = rangeBound(1, 1e18, "at least one token; far past any published serving volume");

/**
 * Tokens of one training run (`sweep --tokens`, a size's own budgets): at most the largest size (PARAMETER_COUNT,
 * 1e15) at the most tokens per parameter (TOKENS_PER_PARAMETER, 1e6). 1e300 printed Infinity (issue 13).
 */
export const TRAINING_TOKENS: Bound = rangeBound(1, 1e21, "at least one token; the parameter bound × the tokens-per-parameter bound");

/**
 * A price per GPU-hour in dollars (`plan --usd-per-gpu-hour`, the Plan view): $10,000 is ~3,000× the catalogue's
 * on-demand H100 SXM hour ($2.99). 1e300 printed a cost of 2e302 dollars (issue 13).
 */
export const USD_PER_GPU_HOUR: Bound = positiveBound(10_000, "~3,000× an on-demand H100 hour");

/**
 * Peak FLOP/s of one GPU (`sweep --gpu-flops`, `optimal --peak`): 1 GFLOP/s to 1 EFLOP/s, ~1,000× an H100's 989
 * TFLOP/s dense BF16 (the per-node bound NODE_FLOPS spans the same). `sweep --gpu-flops 1e-300` printed Infinity
 * GPU-hours (issue 13).
 */
export const GPU_PEAK_FLOPS: Bound = rangeBound(1e9, 1e18, "1 GFLOP/s to 1 EFLOP/s per GPU");

/**
 * A custom GPU in a run config (`hardware.gpu: {…}`, `step/search --config`, the Run view): its peak in TFLOP/s
 * (GPU_PEAK_FLOPS), HBM up to 1e5 GiB (~500× a B200's 192 GB) at up to 1,000 TB/s (~125× a B200's 8 TB/s), links
 * as LINK_GBYTES_PER_S, latencies up to an hour (in µs). `peakTflopsBf16: 1e300` printed NaN and `hbmGiB: 1e300`
 * Infinity (issue 13).
 */
export const GPU_PEAK_TFLOPS: Bound = rangeBound(GPU_PEAK_FLOPS.min / 1e12, GPU_PEAK_FLOPS.max / 1e12, GPU_PEAK_FLOPS.reason);
export const GPU_HBM_GIB: Bound = positiveBound(1e5, "~500× a B200's HBM");
export const GPU_HBM_TBPS: Bound = positiveBound(1000, "~125× a B200's HBM bandwidth");
export const LINK_LATENCY_US: Bound = rangeBound(0, 3.6e9, "up to an hour per message");

/**
 * A training sequence length in tokens (`plan --seq-len`, `sweep --seq-len`): 10× the 10M-token context Gemini 1.5
 * was tested at (Gemini Team 2024, arXiv 2403.05530). `sweep --seq-len 1e15` was accepted (issue 13).
 */
export const SEQUENCE_LENGTH: Bound = wholeBound(1, 100_000_000, "10× the longest published context");

/**
 * A vocabulary size (`sweep --vocab`): ~40× Gemma 3's 262,144 tokens (Gemma Team 2025). `--vocab 1e15` was blamed
 * on "models[0].params" (issue 13).
 */
export const VOCAB_SIZE: Bound = wholeBound(1, 10_000_000, "~40× the largest published vocabulary");

/**
 * Mixture-of-experts inputs (`optimal --law moe-…`, the Scaling view's MoE panel): expert counts up to 4,096 (16×
 * DeepSeek-V3's 256 routed experts, DeepSeek-AI 2024); granularity G = d_ff/d_expert in [1, 256] (Ludziejewski et
 * al. 2024 fitted G in [1, 16]). `optimal --experts 1e15` printed 1.8e23 total parameters (issue 13).
 */
export const EXPERT_COUNT: Bound = wholeBound(1, 4096, "16× DeepSeek-V3's 256 routed experts");
export const MOE_GRANULARITY: Bound = rangeBound(1, 256, "the fitted granularities span 1–16");

/**
 * Entries of a comma-separated list a user types, on the command line and in the web app's forms alike: model
 * sizes, token budgets and D/N ratios of a sweep, expert counts, GPU counts of a plan frontier, SWA windows. The
 * cost is per entry and, in a sweep, per (size, budget) pair: `sweep` with 100 sizes × 100 ratios (10^4 branches)
 * takes ~0.8 s and 120 MB; 1,000 × 1,000 (the CLI's old bound) took 4.6 s, 910 MB and printed 97 MB of CSV
 * (measured on this 2-core machine, issue 13). A `plan --gpus` list runs a whole plan per entry (~0.4 s each, so
 * 100 entries ≈ 40 s with progress). A `curve study --swa` list (and the Schedules view's SWA windows) prices one
 * schedule per window: 100 windows took 0.3 s at the default T = 24,000 and ~10 s at the largest T (625,000 steps;
 * load ~11), with progress and Cancel; 100 MoE expert counts take ~6 ms. The web forms allowed 10 SWA windows and
 * 20 expert counts, the sweep form 20 entries: one bound now, and a table of 100 rows is still readable.
 */
export const MAX_LIST_ENTRIES = 100;
export const LIST_ENTRIES: Bound = wholeBound(0, MAX_LIST_ENTRIES, "each entry is a computation and a row of the output");

/** "at most 100 entries (each entry is …)": what a list's length must be, as the error line says it. */
export const LIST_ENTRIES_ALLOWED = `at most ${MAX_LIST_ENTRIES} entries (${LIST_ENTRIES.reason})`;

/**
 * `items` if there are at most MAX_LIST_ENTRIES of them, else the InputError naming `field` and the count
 * ("--models: 101 entries is too many; expected at most 100 entries (…)"): the same line from the CLI, the web
 * forms and the core.
 */
export function requireListLength<L extends { readonly length: number }>(field: string, items: L): L {
  if (items.length > MAX_LIST_ENTRIES) throw tooManyEntries(field, items.length);
  return items;
}

/** The error of a list of `count` entries in `field`, past MAX_LIST_ENTRIES. */
export function tooManyEntries(field: string, count: number): InputError {
  return new InputError(field, `${count} entries`, LIST_ENTRIES_ALLOWED, `${field}: ${count} entries is too many; expected ${LIST_ENTRIES_ALLOWED}`);
}

/**
 * `value` if it lies inside `bound`, else the InputError naming `field`, the value (or `typed`, the text the user
 * typed, when there was one) and the bound with its reason.
 */
export function requireWithinBound(field: string, value: number, bound: Bound, typed: unknown = value): number {
  if (!meetsRule(value, bound)) throw new InputError(field, typed, bound.allowed);
  return value;
}
