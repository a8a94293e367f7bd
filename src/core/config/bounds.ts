// Upper bounds on counts and sizes a user can type, where memory or time would otherwise explode. Each is named in
// the error ("a whole number in [1, 10,000,000]") so the user knows the limit and why it exists.

/**
 * Steps of a schedule or loss curve (CLI and web app alike): the per-step LR array takes 8 bytes a step (40 MB
 * at the bound; 1e9 failed to allocate). 5M is 10× the ~500k steps of Llama 2's pretraining (2T tokens at 4M
 * tokens a step, Touvron et al. 2023).
 */
export const MAX_SCHEDULE_STEPS = 5_000_000;

/**
 * Steps of `curve optimize`: up to 6,000 loss evaluations over every step. Measured on this machine class: 10^5
 * steps finish in under 12 s, 10^6 steps take ~5 s per evaluation (hours in all), so the bound is 2·10^5.
 */
export const MAX_OPTIMIZE_STEPS = 200_000;

/** Bootstrap resamples of a fit: each is a full refit (~1 ms to 10 ms); 1,000 is the usual choice (Besiroglu et al. 2024). */
export const MAX_BOOTSTRAP = 100_000;

/** Rows of a run file: each Approach-3 start evaluates every row; 10^6 rows are far beyond any published sweep. */
export const MAX_RUN_ROWS = 1_000_000;

/** Layouts listed by `search --top`: the ranking keeps the best K in a sorted list (time grows with K). */
export const MAX_SEARCH_TOP = 1000;

/** GPUs in one cluster or datacenter level (2^20 ≈ 1M): the layout searches enumerate divisors and levels of it. */
export const MAX_GPUS = 2 ** 20;

/** Entries of a comma-separated list typed on the command line (models, budgets, expert counts). */
export const MAX_LIST_ITEMS = 1000;
