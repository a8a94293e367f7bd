// `plan.makePlan`: for one cluster and a deadline (or a budget), the model to train, how to run it, the loss it
// reaches and what it costs. Method (docs/plan.md):
//   1. every template model gets its fastest layout that fits (run layout search + step model); tokens =
//      tokens/s/GPU × GPUs × seconds × goodput;
//   2. loss from the law at (N, D); the lowest loss wins, alternatives within 0.5 %;
//   3. batch and peak LR from the batch/LR law, WSD schedule with 20 % 1−sqrt cooldown and its branch points;
//   4. the data-movement verdict; 5. cost.
// Search effort is bounded without assuming a utilization: loss(N, D_max) with D_max the tokens at 100 % of the
// GPU's peak is a lower bound on a candidate's loss, so candidates whose bound is already worse than the best found
// are skipped (branch and bound). The template-depth models are screened first, then the shallower/deeper variants
// of the best REFINED_WIDTHS widths; screening is a micro-batch-1 layout search, and the
// best few (FINALISTS) are searched again at micro-batches 1, 2 and 4 with the batch re-derived from their compute.

import { ComputationError, InputError } from "../errors.ts";
import { describeLayout, searchLayouts, type RankedLayout } from "../run/layout-search.ts";
import { resolveGpu } from "../hardware/custom-gpu.ts";
import { validateRunConfig, type RunConfig, type RunConfigInput } from "../run/run-config.ts";
import { allocate, type Allocation } from "../scaling/allocation.ts";
import { isTwoVariableLaw } from "../scaling/loss-law.ts";
import type { LossLaw } from "../scaling/law-types.ts";
import { findPreset, LOSS_LAW_PRESETS } from "../scaling/presets.ts";
import { candidateShape, fastestLayout, FINAL_MICRO_BATCHES, runConfigFor, SCREEN_MICRO_BATCHES, type CandidateShape, type Cluster } from "./candidate.ts";
import { daysForBudget, planCost, type PlanCost } from "./cost.ts";
import { dataMovementVerdict, type DataMovementVerdict } from "./data-movement.ts";
import { denseGrid, DENSE_GRID_SPACING, type TemplateModel } from "./dense-template.ts";
import { goodputFor, type Goodput } from "./goodput.ts";
import { gpuPriceAndPower } from "./gpu-facts.ts";
import { batchAndLr, hyperparameterLaw, type BatchAndLr } from "./hyperparameters.ts";
import { validatePlanInput, type PlanInputData, type PlanInputParsed } from "./input.ts";
import { candidateLoss, planLoss, type LawChoice, type MoeShape, type PlanLoss } from "./loss.ts";
import { findMoePreset, JOINT_MOE_2025 } from "../scaling/moe-presets.ts";
import { moeGrid } from "./moe-template.ts";
import { clusterSites, planSites, siteBatch, sitesRunFields, sitesWarnings, type ClusterSites, type PlanSites, type SitesOutcome } from "./sites.ts";
import { minimumSteps, planSchedule, type PlanSchedule } from "./schedule-plan.ts";

/** Alternatives: candidates whose loss is within this fraction of the best (the optimum is flat). */
export const ALTERNATIVE_TOLERANCE = 0.005;
/** Finalists re-searched with every layout: the best few by screened loss. */
const FINALISTS = 4;
/** Starting point of the batch fixed point only: compute at half the GPU's peak, then the achieved compute. */
const BATCH_START_UTILIZATION = 0.5;
const BATCH_ITERATIONS = 3;
const DEFAULT_LAW = "epoch";

export interface PlanOptions {
  /** A law already resolved by the caller (a law file, a saved fit with its bootstrap samples). */
  readonly lawChoice?: LawChoice;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Called once, before the full search, with a first estimate: the same plan computed over a coarse grid (every
   * COARSE_STRIDE-th template width at its template depth, micro-batch 1; no depth variants, no finalist search)
   * and without the data-movement verdict (`limits` null). Its layout searches are cached and reused by the full
   * search, so the estimate costs little extra. The web app shows it while the full plan is computed. Not called
   * for a multi-site plan (its sites block needs the full plan) or with a pinned utilization (no search).
   */
  readonly onEstimate?: (estimate: Plan) => void;
}

const ordinal = (n: number) => `${n}${n === 2 ? "nd" : n === 3 ? "rd" : "th"}`;

/** The coarse grid of a first estimate (PlanOptions.onEstimate): every third template width (~11 of the 34 dense widths). */
export const COARSE_STRIDE = 3;

export interface CandidateResult {
  readonly name: string;
  readonly template: string;
  readonly params: number;
  readonly activeParams: number;
  readonly tokens: number;
  readonly loss: number;
  readonly globalBatch: number;
  readonly tokensPerSecondPerGpu: number;
  readonly mfu: number;
  readonly layout: string | null;
  /** "full": micro-batches 1, 2, 4; "screen": micro-batch 1 only; "pinned-mfu": --mfu, no search. */
  readonly search: "full" | "screen" | "pinned-mfu";
}

export interface Plan {
  readonly gpu: string;
  readonly gpus: number;
  readonly days: number;
  readonly budgetUsd: number | null;
  readonly architecture: "dense" | "moe";
  readonly law: { readonly id: string; readonly name: string; readonly source: string; readonly paramsCounted: string };
  readonly model: { readonly name: string; readonly template: string; readonly params: number; readonly activeParams: number; readonly config: RunConfigInput["model"] };
  readonly tokens: number;
  readonly tokensPerParam: number;
  /** Model FLOPs (the MFU convention: 6·N_matmul + attention) × tokens. */
  readonly trainingFlop: number;
  readonly trainingFlop6ND: number;
  readonly loss: PlanLoss;
  readonly run: RunConfigInput | null;
  readonly step: {
    readonly stepTimeSeconds: number;
    readonly tokensPerSecondPerGpu: number;
    readonly mfu: number;
    readonly memoryPerGpuGiB: number;
    readonly layout: string;
    readonly throughputBasis: "layout-search" | "pinned-mfu";
  } | null;
  readonly goodput: Goodput;
  readonly globalBatch: BatchAndLr;
  readonly schedule: Omit<PlanSchedule, "schedule">;
  readonly cost: PlanCost;
  readonly limits: DataMovementVerdict | null;
  readonly alternatives: readonly CandidateResult[];
  readonly candidates: readonly CandidateResult[];
  /** The law's own continuous optimum at this plan's 6ND compute (`optimal`'s code path), for comparison. */
  readonly allocation: Allocation | null;
  readonly inference: { readonly tokens: number; readonly inferenceFlop: number; readonly totalFlop: number; readonly bestLossModel: string } | null;
  readonly gridSpacing: number;
  readonly warnings: readonly string[];
  readonly method: string;
  /** Only with `sites` ≥ 2: the sites, DiLoCo's loss factor and, with `diloco`, the comparison with synchronous DP. */
  readonly sites?: PlanSites;
}

/**
 * MoE candidates use an MoE law: `law` may name one (scaling/moe-presets.ts); by default Ludziejewski et al. 2025's
 * joint dense/MoE law (active parameters, tokens, experts), whose E = 1 slice is a dense law, so expert layouts are
 * compared on one scale. The dense law stays for the reference allocation.
 */
function resolveMoeLaw(input: PlanInputParsed): LawChoice["moeLaw"] {
  if (input.architecture !== "moe") return undefined;
  const named = input.law !== undefined ? findMoePreset(input.law) : undefined;
  if (input.uniqueTokens !== undefined) throw new InputError("uniqueTokens", input.uniqueTokens, "no value with architecture moe (the MoE laws have no data-repetition term)");
  return named ?? JOINT_MOE_2025;
}

function resolveLawChoice(input: PlanInputParsed, options: PlanOptions): LawChoice {
  const moeLaw = resolveMoeLaw(input);
  if (options.lawChoice) return { ...options.lawChoice, ...(moeLaw ? { moeLaw } : {}) };
  if (moeLaw && input.law !== undefined && findMoePreset(input.law)) return { law: findPreset(DEFAULT_LAW) as LossLaw, moeLaw };
  const dense = resolveDenseLaw(input);
  return moeLaw ? { ...dense, moeLaw } : dense;
}

function resolveDenseLaw(input: PlanInputParsed): LawChoice {
  const id = input.law ?? DEFAULT_LAW;
  const law = findPreset(id);
  if (law === undefined || !LOSS_LAW_PRESETS.includes(law as LossLaw) || !isTwoVariableLaw(law as LossLaw)) {
    throw new InputError("law", id, `a loss law of N and D: ${LOSS_LAW_PRESETS.filter(isTwoVariableLaw).map((l) => l.id).join(", ")} (or a law file / --fit)`);
  }
  return { law: law as LossLaw };
}

function templatesFor(input: PlanInputParsed): TemplateModel[] {
  return input.architecture === "moe" ? moeGrid(input.seqLen) : denseGrid(input.seqLen);
}

/** Wall-clock days: the deadline, or what the budget buys at the price. */
function deadlineDays(input: PlanInputParsed, gpus: number, price: number | null): { days: number; budgetUsd: number | null } {
  if (input.budgetUsd !== undefined) {
    if (input.days !== undefined) throw new InputError("days", input.days, "either days or budgetUsd, not both");
    if (price === null) throw new InputError("usdPerGpuHour", undefined, `a price per GPU-hour (no catalogue price for ${input.gpu}) to turn budgetUsd into time`);
    const gpuHours = input.budgetUsd / price;
    if (gpuHours < 1) {
      throw new ComputationError(`a budget of $${input.budgetUsd} buys ${gpuHours.toPrecision(3)} GPU-hours at $${price}/GPU-hour, less than one: raise the budget to at least $${price}`);
    }
    return { days: daysForBudget(input.budgetUsd, price, gpus), budgetUsd: input.budgetUsd };
  }
  if (input.days === undefined) throw new InputError("days", undefined, "a deadline in days (or budgetUsd with usdPerGpuHour)");
  return { days: input.days, budgetUsd: null };
}

interface Evaluation {
  readonly shape: CandidateShape;
  readonly result: CandidateResult;
  readonly ranked: RankedLayout | null;
  readonly batch: BatchAndLr;
}

interface Context {
  readonly input: PlanInputParsed;
  readonly cluster: Cluster;
  readonly choice: LawChoice;
  readonly seconds: number;
  readonly goodput: number;
  readonly peakFlopsPerGpu: number;
  readonly unique: number | undefined;
}

/** Tokens trained in the time: tokens/s/GPU × GPUs × seconds × goodput. */
export function trainedTokens(tokensPerSecondPerGpu: number, gpus: number, seconds: number, goodput: number): number {
  return tokensPerSecondPerGpu * gpus * seconds * goodput;
}

function moeOf(shape: CandidateShape): MoeShape | undefined {
  const moe = shape.template.model.moe;
  return moe ? { totalParams: shape.totalParams, experts: moe.experts, topK: moe.topK } : undefined;
}

function lossParams(shape: CandidateShape): number {
  // Dense laws count all parameters (Chinchilla: "all parameters incl. embeddings"); for MoE see docs/plan.md.
  return shape.template.model.moe ? shape.activeParams : shape.totalParams;
}

function evaluate(ctx: Context, shape: CandidateShape, screen: boolean): Evaluation | "no-fit" | "too-short" {
  const hp = hyperparameterLaw(ctx.input.hparams);
  const n = lossParams(shape);
  // Batch fixed point: start from half the peak, then the compute the layout actually achieves.
  let flops = ctx.cluster.gpus * ctx.seconds * ctx.goodput * ctx.peakFlopsPerGpu * BATCH_START_UTILIZATION;
  let batch = siteBatch(batchAndLr(hp, n, flops / shape.modelFlopsPerToken, flops, ctx.input.seqLen), ctx.cluster.sites?.count ?? 1);
  let ranked: RankedLayout | null = null;
  for (let i = 0; i < (screen ? 1 : BATCH_ITERATIONS); i++) {
    ranked = fastestLayout(shape, ctx.cluster, batch.globalBatch, screen ? SCREEN_MICRO_BATCHES : FINAL_MICRO_BATCHES).best;
    if (ranked === null) return "no-fit";
    flops = trainedTokens(ranked.tokensPerSecondPerGpu, ctx.cluster.gpus, ctx.seconds, ctx.goodput) * shape.modelFlopsPerToken;
    const next = siteBatch(batchAndLr(hp, n, flops / shape.modelFlopsPerToken, flops, ctx.input.seqLen), ctx.cluster.sites?.count ?? 1);
    if (next.globalBatch === batch.globalBatch) {
      batch = next;
      break;
    }
    batch = next;
    if (i === BATCH_ITERATIONS - 1 || screen) ranked = fastestLayout(shape, ctx.cluster, batch.globalBatch, screen ? SCREEN_MICRO_BATCHES : FINAL_MICRO_BATCHES).best;
    if (ranked === null) return "no-fit";
  }
  const tokens = trainedTokens(ranked!.tokensPerSecondPerGpu, ctx.cluster.gpus, ctx.seconds, ctx.goodput);
  if (Math.floor(tokens / batch.batchTokens) < minimumSteps()) return "too-short";
  return {
    shape,
    ranked,
    batch,
    result: candidateResult(ctx, shape, tokens, batch, {
      tokensPerSecondPerGpu: ranked!.tokensPerSecondPerGpu,
      mfu: ranked!.mfu,
      layout: describeLayout(ranked!.layout),
      search: screen ? "screen" : "full",
    }),
  };
}

/** How a candidate's throughput was found: the layout search (and which) or the pinned --mfu. */
type Throughput = Pick<CandidateResult, "tokensPerSecondPerGpu" | "mfu" | "layout" | "search">;

/** One candidate's row: its shape, the tokens it trains, the law's loss there, and how its throughput was found. */
function candidateResult(ctx: Context, shape: CandidateShape, tokens: number, batch: BatchAndLr, throughput: Throughput): CandidateResult {
  return {
    name: shape.template.name,
    template: shape.template.template,
    params: shape.totalParams,
    activeParams: shape.activeParams,
    tokens,
    loss: candidateLoss(ctx.choice, lossParams(shape), tokens, ctx.unique, moeOf(shape)),
    globalBatch: batch.globalBatch,
    ...throughput,
  };
}

/** With --mfu: tokens from the pinned utilization and C = 6ND, as `optimal` counts (no layout search). */
function evaluatePinned(ctx: Context, shape: CandidateShape, mfu: number): Evaluation {
  const hp = hyperparameterLaw(ctx.input.hparams);
  const n = lossParams(shape);
  const flops = ctx.cluster.gpus * ctx.seconds * ctx.goodput * mfu * ctx.peakFlopsPerGpu;
  const tokens = flops / (6 * n);
  const batch = batchAndLr(hp, n, tokens, flops, ctx.input.seqLen);
  return {
    shape,
    ranked: null,
    batch,
    result: candidateResult(ctx, shape, tokens, batch, {
      tokensPerSecondPerGpu: tokens / (ctx.cluster.gpus * ctx.seconds * ctx.goodput),
      mfu,
      layout: null,
      search: "pinned-mfu",
    }),
  };
}

interface SearchOutcome {
  readonly evaluations: Evaluation[];
  readonly noFit: CandidateShape[];
  readonly tooShort: CandidateShape[];
}

/** Widths whose depth variants are screened after the template-depth pass. */
const REFINED_WIDTHS = 3;

/**
 * Branch and bound over the grid (see the header): first the template-depth models, then the depth variants of the
 * best widths, then the full search on the finalists.
 */
/** Screening results so far (one pass of the branch and bound). */
interface Screening extends SearchOutcome {
  best: number;
  done: number;
}

const newScreening = (): Screening => ({ evaluations: [], noFit: [], tooShort: [], best: Infinity, done: 0 });

/** Screens `batch` (micro-batch 1) in order of the loss bound, skipping candidates whose bound is already beaten. */
function screenInto(ctx: Context, into: Screening, batch: readonly CandidateShape[], onEvaluated?: (done: number) => void): void {
  for (const { s, b } of batch.map((s) => ({ s, b: lossBound(ctx, s) })).sort((x, y) => x.b - y.b)) {
    into.done++;
    if (b > into.best * (1 + ALTERNATIVE_TOLERANCE)) continue;
    const e = evaluate(ctx, s, true);
    onEvaluated?.(into.done);
    if (e === "no-fit") into.noFit.push(s);
    else if (e === "too-short") into.tooShort.push(s);
    else {
      into.evaluations.push(e);
      into.best = Math.min(into.best, e.result.loss);
    }
  }
}

/** The template-depth models of every COARSE_STRIDE-th width, screened: the evaluations of a first estimate. */
function coarseScreening(ctx: Context, templates: readonly TemplateModel[], shapeOf: (t: TemplateModel) => CandidateShape): Evaluation[] {
  const widths = [...new Set(templates.map((t) => t.model.hidden))].sort((a, b) => a - b);
  const coarse = new Set(widths.filter((_, i) => i % COARSE_STRIDE === 0));
  const into = newScreening();
  screenInto(ctx, into, templates.filter((t) => t.depthFactor === 1 && coarse.has(t.model.hidden)).map(shapeOf));
  return into.evaluations.sort((a, b) => a.result.loss - b.result.loss);
}

function searchCandidates(ctx: Context, shapes: readonly CandidateShape[], onProgress?: (d: number, t: number) => void): SearchOutcome {
  const state = newScreening();
  const { evaluations, noFit, tooShort } = state;
  const total = shapes.length + FINALISTS;
  const screen = (batch: readonly CandidateShape[]) => screenInto(ctx, state, batch, (done) => onProgress?.(done, total));
  screen(shapes.filter((s) => s.template.depthFactor === 1));
  const bestWidths = new Set(
    [...evaluations]
      .sort((a, b) => a.result.loss - b.result.loss)
      .slice(0, REFINED_WIDTHS)
      .map((e) => e.shape.template.model.hidden),
  );
  screen(shapes.filter((s) => s.template.depthFactor !== 1 && bestWidths.has(s.template.model.hidden)));
  evaluations.sort((a, b) => a.result.loss - b.result.loss);
  const finalists = evaluations.slice(0, FINALISTS);
  const refined = finalists.map((e) => {
    const full = evaluate(ctx, e.shape, false);
    onProgress?.(++state.done, total);
    return typeof full === "string" ? e : full;
  });
  const rest = evaluations.slice(finalists.length);
  onProgress?.(total, total);
  return { evaluations: [...refined, ...rest].sort((a, b) => a.result.loss - b.result.loss), noFit, tooShort };
}

/** A lower bound on a candidate's loss: its tokens at 100 % of the peak (loss falls with D in every law used). */
function lossBound(ctx: Context, s: CandidateShape): number {
  const dMax = (ctx.cluster.gpus * ctx.seconds * ctx.goodput * ctx.peakFlopsPerGpu) / s.modelFlopsPerToken;
  return candidateLoss(ctx.choice, lossParams(s), dMax, ctx.unique, moeOf(s));
}

function infeasible(ctx: Context, outcome: SearchOutcome, shapes: readonly CandidateShape[]): never {
  const smallest = [...shapes].sort((a, b) => a.totalParams - b.totalParams)[0]!;
  if (outcome.tooShort.length === 0) {
    // The candidates' searches skip the smallest memory when something fits: searched again for it.
    const probe = searchLayouts(runConfigFor(smallest.template.model, ctx.cluster, 1, { microBatch: SCREEN_MICRO_BATCHES[0] }), { top: 1 });
    throw new ComputationError(
      `no template model fits in ${ctx.cluster.gpus} × ${ctx.cluster.gpu} memory: the smallest (${smallest.template.name}, ${(smallest.totalParams / 1e9).toFixed(2)}B parameters) needs ${probe.smallestMemoryGiB.toFixed(1)} GiB per GPU, ${probe.usableMemoryGiB.toFixed(1)} GiB usable; use GPUs with more memory or more GPUs`,
    );
  }
  const s = [...outcome.tooShort].sort((a, b) => a.totalParams - b.totalParams)[0]!;
  const e = evaluate({ ...ctx, seconds: ctx.seconds * 1e3 }, s, true);
  const needDays = typeof e === "string" ? null : ((minimumSteps() * e.batch.batchTokens) / e.result.tokens) * ((ctx.seconds * 1e3) / 86_400);
  throw new ComputationError(
    `${(ctx.seconds / 86_400).toPrecision(3)} days cannot hold even the smallest model's warmup and cooldown (${minimumSteps()} steps)${needDays === null ? "" : `: give at least ${needDays.toPrecision(2)} days`}`,
  );
}

function inferenceChoice(ctx: Context, within: readonly Evaluation[]): { pick: Evaluation; info: Plan["inference"] } {
  const t = ctx.input.inferenceTokens;
  const best = within[0]!;
  if (t === undefined) return { pick: best, info: null };
  // Training GPU-hours are the same for every candidate (same cluster, same time): the total cost at (nearly) equal
  // loss is lowest for the candidate with the fewest inference FLOP, 2·N_active per token (Sardana et al. 2023).
  const cost = (e: Evaluation) => 2 * e.shape.activeParams * t;
  const pick = [...within].sort((a, b) => cost(a) - cost(b))[0]!;
  const trainingFlop = pick.result.tokens * pick.shape.modelFlopsPerToken;
  return { pick, info: { tokens: t, inferenceFlop: cost(pick), totalFlop: trainingFlop + cost(pick), bestLossModel: best.result.name } };
}

/** The plan for any input (flags, a plan file, URL state), checked by the plan-input and run-config schemas. */
export function makePlan(data: PlanInputData | PlanInputParsed, options: PlanOptions = {}): Plan {
  return planFromInput(validatePlanInput(data), options, (config) => validateRunConfig(config, "plan"));
}

/**
 * The plan for input already parsed: by validatePlanInput (makePlan), or by plainPlanInput for the Plan view's form,
 * whose first estimate then loads no schema. `validateRun` checks the candidates' run configurations
 * (Cluster.validateRun); without it their defaults are filled by generatedRunConfig, for a plain cluster only.
 */
export function planFromInput(input: PlanInputParsed, options: PlanOptions = {}, validateRun?: (config: unknown) => RunConfig): Plan {
  const gpus = Array.isArray(input.gpus) ? input.gpus : [input.gpus];
  if (gpus.length !== 1) throw new InputError("gpus", input.gpus, "one GPU count (use makeFrontier for several)");
  const gpuCount = gpus[0]!;
  const gpuSpec = resolveGpu(input.gpu, "gpu");
  const facts = gpuPriceAndPower(gpuSpec.id);
  const price = input.usdPerGpuHour ?? facts.usdPerGpuHour;
  const priceSource = input.usdPerGpuHour !== undefined ? "given by the user" : facts.priceSource;
  const { days, budgetUsd } = deadlineDays(input, gpuCount, price);
  const choice = { ...resolveLawChoice(input, options), ...(input.diloco !== undefined ? { dilocoReplicas: input.sites } : {}) };
  const goodput = goodputFor(gpuCount, input.goodput);
  const precision = input.precision ?? (gpuSpec.hasBf16 ? "bf16" : "fp16");
  const sites = clusterSites(input, gpuCount);
  const cluster: Cluster = { gpu: input.gpu, gpus: gpuCount, gpusPerNode: input.gpusPerNode, precision, software: input.software, sites, validateRun };
  const peak = (precision === "fp8" ? (gpuSpec.peakTflopsFp8 ?? gpuSpec.peakTflopsBf16) : gpuSpec.peakTflopsBf16) * 1e12;
  const ctx: Context = { input, cluster, choice, seconds: days * 86_400, goodput: goodput.value, peakFlopsPerGpu: peak, unique: input.uniqueTokens };
  const templates = templatesFor(input);
  // Each shape validates a run configuration: computed when first needed, so the estimate pays for its coarse grid's only.
  const shapeCache = new Map<TemplateModel, CandidateShape>();
  const shapeOf = (t: TemplateModel): CandidateShape => {
    let shape = shapeCache.get(t);
    if (shape === undefined) shapeCache.set(t, (shape = candidateShape(t, cluster)));
    return shape;
  };

  const extras: Extras = { days, budgetUsd, price, priceSource, facts, goodput };
  let evaluations: Evaluation[];
  if (input.mfu !== undefined) {
    const mfu = input.mfu;
    evaluations = templates.map((t) => evaluatePinned(ctx, shapeOf(t), mfu)).sort((a, b) => a.result.loss - b.result.loss);
  } else {
    // No estimate for a multi-site plan: its sites block (and DiLoCo's synchronous comparison) needs the full plan.
    if (options.onEstimate && sites === undefined) {
      const coarse = coarseScreening(ctx, templates, shapeOf);
      if (coarse.length > 0) options.onEstimate(choose(ctx, coarse, { ...extras, estimate: true }));
    }
    const shapes = templates.map(shapeOf);
    const outcome = searchCandidates(ctx, shapes, options.onProgress);
    if (outcome.evaluations.length === 0) infeasible(ctx, outcome, shapes);
    evaluations = outcome.evaluations;
  }
  const plan = choose(ctx, evaluations, extras);
  const { onEstimate: _once, ...synchronousOptions } = options;
  void _once;
  return sites === undefined ? plan : withSites(plan, sites, () => planFromInput({ ...input, diloco: undefined, outerBits: undefined }, synchronousOptions, validateRun));
}

/** The plan from evaluated candidates (sorted by loss): the best, or the cheapest to serve among those within tolerance. */
function choose(ctx: Context, evaluations: readonly Evaluation[], extras: Extras): Plan {
  const bestLoss = evaluations[0]!.result.loss;
  const within = evaluations.filter((e) => e.result.loss <= bestLoss * (1 + ALTERNATIVE_TOLERANCE));
  const { pick, info } = inferenceChoice(ctx, within);
  return assemble(ctx, pick, within, evaluations, info, extras);
}

/** A multi-site plan's `sites` block and warnings; with DiLoCo, `synchronous` makes the same plan without it. */
function withSites(plan: Plan, sites: ClusterSites, synchronous: () => Plan): Plan {
  const outcome = (p: Plan): SitesOutcome => ({ model: p.model.name, params: p.model.params, tokens: p.tokens, loss: p.loss.predicted, stepTimeSeconds: p.step?.stepTimeSeconds ?? null, mfu: p.step?.mfu ?? null });
  let comparison: PlanSites["comparison"] = null;
  if (sites.diloco !== null) {
    const sync = synchronous();
    comparison = { diloco: outcome(plan), synchronous: outcome(sync), lowerLoss: plan.loss.predicted <= sync.loss.predicted ? "diloco" : "synchronous-data-parallel" };
  }
  const block = planSites(sites, plan.gpus, plan.model.params, comparison);
  return { ...plan, warnings: [...plan.warnings, ...sitesWarnings(block, plan.model.params)], sites: block };
}

interface Extras {
  readonly days: number;
  readonly budgetUsd: number | null;
  readonly price: number | null;
  readonly priceSource: string | null;
  readonly facts: ReturnType<typeof gpuPriceAndPower>;
  readonly goodput: Goodput;
  /** A first estimate (PlanOptions.onEstimate): coarse grid, no data-movement verdict. */
  readonly estimate?: boolean;
}

function pinnedRun(ctx: Context, pick: Evaluation): { ranked: RankedLayout | null } {
  return { ranked: fastestLayout(pick.shape, ctx.cluster, pick.batch.globalBatch, FINAL_MICRO_BATCHES).best };
}

function assemble(ctx: Context, pick: Evaluation, within: readonly Evaluation[], all: readonly Evaluation[], inference: Plan["inference"], x: Extras): Plan {
  const warnings: string[] = [];
  const r = pick.result;
  const n = lossParams(pick.shape);
  const ranked = pick.ranked ?? pinnedRun(ctx, pick).ranked;
  if (pick.ranked === null && ranked === null) warnings.push(`with the pinned utilization the chosen model does not fit in ${ctx.cluster.gpus} × ${ctx.cluster.gpu} memory: no run configuration`);
  if (pick.batch.warning) warnings.push(pick.batch.warning);
  if (r.loss !== within[0]!.result.loss) warnings.push(`inference-aware choice: ${r.name} instead of the lowest-loss ${within[0]!.result.name} (loss within ${ALTERNATIVE_TOLERANCE * 100} %)`);
  const schedule = planSchedule(r.tokens, pick.batch.batchTokens, pick.batch.peakLearningRate, n);
  const trainingFlop = r.tokens * pick.shape.modelFlopsPerToken;
  const run: RunConfigInput | null = ranked
    ? {
        model: pick.shape.template.model,
        hardware: { gpu: ctx.cluster.gpu, count: ctx.cluster.gpus, ...(ctx.cluster.gpusPerNode !== undefined ? { gpusPerNode: ctx.cluster.gpusPerNode } : {}), ...sitesRunFields(ctx.cluster.sites).hardware },
        parallelism: layoutBlock(ranked),
        training: { globalBatch: pick.batch.globalBatch, precision: ctx.cluster.precision, ...sitesRunFields(ctx.cluster.sites).training },
        ...(ctx.cluster.software !== undefined ? ({ software: ctx.cluster.software } as object) : {}),
      }
    : null;
  if (x.estimate) warnings.unshift(`first estimate from a coarse grid (every ${ordinal(COARSE_STRIDE)} template width at its template depth, micro-batch 1); the full search and the data-movement verdict follow`);
  const verdict = x.estimate ? null : dataMovementVerdict(ctx.cluster.gpu, x.days, trainingFlop);
  if (verdict === null) {
    if (!x.estimate) warnings.push(`the data-movement model has no preset for ${ctx.cluster.gpu}: no limits verdict`);
  } else if (verdict.regime !== "linear") warnings.push(verdict.summary);
  const cost = planCost(ctx.cluster.gpus, x.days, { usdPerGpuHour: x.price, priceSource: x.priceSource, boardPowerWatts: x.facts.boardPowerWatts }, ctx.input.pue);
  if (cost.usd === null) warnings.push(`no price for ${ctx.cluster.gpu} in the hardware catalogue: give usdPerGpuHour for cost.usd`);
  if (cost.energyMWh === null) warnings.push(`no board power for ${ctx.cluster.gpu} in the hardware catalogue: no energy figure`);
  const allocation = ctx.choice.moeLaw ? null : referenceAllocation(ctx, 6 * n * r.tokens);
  const { schedule: _omit, ...scheduleOut } = schedule;
  void _omit;
  return {
    gpu: ctx.cluster.gpu,
    gpus: ctx.cluster.gpus,
    days: x.days,
    budgetUsd: x.budgetUsd,
    architecture: ctx.input.architecture,
    law: ctx.choice.moeLaw
      ? { id: ctx.choice.moeLaw.id, name: ctx.choice.moeLaw.name, source: ctx.choice.moeLaw.source, paramsCounted: "active parameters, with the expert count" }
      : { id: ctx.choice.law.id, name: ctx.choice.law.name, source: ctx.choice.law.source, paramsCounted: "all parameters" },
    model: { name: r.name, template: r.template, params: r.params, activeParams: r.activeParams, config: pick.shape.template.model },
    tokens: r.tokens,
    tokensPerParam: r.tokens / r.params,
    trainingFlop,
    trainingFlop6ND: 6 * n * r.tokens,
    loss: planLoss(ctx.choice, n, r.tokens, ctx.unique, moeOf(pick.shape)),
    run,
    step: ranked
      ? {
          stepTimeSeconds: ranked.stepTimeSeconds,
          tokensPerSecondPerGpu: ranked.tokensPerSecondPerGpu,
          mfu: ranked.mfu,
          memoryPerGpuGiB: ranked.memoryPerGpuGiB,
          layout: describeLayout(ranked.layout),
          throughputBasis: pick.ranked === null ? "pinned-mfu" : "layout-search",
        }
      : null,
    goodput: x.goodput,
    globalBatch: pick.batch,
    schedule: scheduleOut,
    cost,
    limits: verdict,
    alternatives: within.filter((e) => e !== pick).map((e) => e.result),
    candidates: all.map((e) => e.result),
    allocation,
    inference,
    gridSpacing: DENSE_GRID_SPACING,
    warnings,
    method:
      ctx.input.mfu !== undefined
        ? `utilization pinned at ${ctx.input.mfu} (comparison mode): tokens = C/(6N), C = GPUs × seconds × goodput × MFU × peak`
        : "fastest fitting layout per template model (run layout search and step model); tokens = tokens/s/GPU × GPUs × seconds × goodput",
  };
}

/** The dense law's own continuous optimum at this compute (`optimal`'s code path); null where it has none. */
function referenceAllocation(ctx: Context, flops: number): Allocation | null {
  try {
    return allocate(ctx.choice.law, flops, ctx.unique !== undefined ? { constraint: { kind: "unique-data", unique: ctx.unique } } : {});
  } catch {
    return null;
  }
}

function layoutBlock(r: RankedLayout): NonNullable<RunConfigInput["parallelism"]> {
  const l = r.layout;
  return { tp: l.tp, pp: l.pp, vp: l.vp, cp: l.cp, ep: l.ep, ...(l.expertTp === undefined || l.expertTp === l.tp ? {} : { expertTp: l.expertTp }), sequenceParallel: l.sequenceParallel, zero: l.zero, recompute: l.recompute, pipelineSchedule: l.pipelineSchedule, microBatch: l.microBatch };
}
