import type { Command } from "@commander-js/extra-typings";
import { InputError, UsageError } from "../../core/errors.ts";
import { formatExact, formatExp, formatSI } from "../../core/format.ts";
import { allocate, budgetFlops, type AllocationConstraint, type ComputeBudget, type ParamSamples } from "../../core/scaling/allocation.ts";
import { evaluateHyperparameters } from "../../core/scaling/hyperparameter-law.ts";
import type { HyperparameterLaw, LossLaw } from "../../core/scaling/law-types.ts";
import { findPreset, HYPERPARAMETER_LAW_PRESETS, LOSS_LAW_PRESETS } from "../../core/scaling/presets.ts";
import { lawFromSavedFit } from "../../core/scaling/saved-fit.ts";
import { GPU_IDS, requireGpu } from "../../core/hardware/lookup.ts";
import { readTextInput } from "../../node/files.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";
import { readLawFile } from "./laws.ts";
import { decimalText } from "../../core/config/schema.ts";
import { FRACTION } from "../../core/config/number.ts";
import { parseFlags } from "../flags.ts";
import { GPU_PEAK_FLOPS, INFERENCE_TOKENS, MAX_GPUS, PARAMETER_COUNT, PLAN_DAYS, TOKENS_PER_PARAMETER, TRAINING_TOKENS, UNIQUE_TOKENS } from "../../core/config/bounds.ts";
import { parseYamlText } from "../../core/config/parse.ts";
import { moeLawFrom, runMoeOptimal } from "./moe-commands.ts";
import { PRECISION_HELP, precisionLawFromFit, precisionReport, printPrecisionReport, runPrecisionOptimal } from "./precision-option.ts";
import { findPrecisionPreset, PRECISION_LAW_PRESETS } from "../../core/scaling/precision-law.ts";
import { MOE_LAW_PRESETS } from "../../core/scaling/moe-presets.ts";

/** A loss-law preset id or a law .json file (shared by `optimal` and `plan`). */
export async function resolveLossLaw(spec: string): Promise<LossLaw> {
  const preset = findPreset(spec);
  if (preset !== undefined) {
    if (LOSS_LAW_PRESETS.includes(preset as LossLaw)) return preset as LossLaw;
    throw new InputError("--law", spec, `a loss law (${LOSS_LAW_PRESETS.map((l) => l.id).join(", ")}) or a law file; ${spec} is a batch/LR law (use --hparams)`);
  }
  if (!/\.json$/i.test(spec)) throw new InputError("--law", spec, `a preset (${LOSS_LAW_PRESETS.map((l) => l.id).join(", ")}) or a law file ending in .json`);
  const law = await readLawFile(spec);
  if (!LOSS_LAW_PRESETS.some((l) => l.form === law.form)) throw new InputError("--law", spec, "a loss law document (its form is a batch/LR law)");
  return law as LossLaw;
}

/**
 * Budgets the laws can speak to. Below 1e12 FLOP no published fit has a run (Kaplan et al. 2020 Fig. 1 starts
 * near 1e-8 PF-days ≈ 1e12 FLOP) and the hyperparameter laws return absurd values (an LR of 1e36 at 1e-300 FLOP);
 * above 1e35 FLOP (10^9 H100-years) nothing is plannable.
 */
const MIN_BUDGET_FLOPS = 1e12;
const MAX_BUDGET_FLOPS = 1e35;

/**
 * Tokens per parameter a fixed size or fixed data can leave: outside [0.01, 10^6] the allocation is not a
 * training run (optimal --flops 1e10 --params 1e12 left 0.0017 tokens and a loss of 21,651).
 */
const MIN_TOKENS_PER_PARAM = 0.01;
const MAX_TOKENS_PER_PARAM = TOKENS_PER_PARAMETER.max;

function requireSensibleAllocation(tokensPerParam: number, opts: { params?: string | undefined; tokens?: string | undefined; uniqueTokens?: string | undefined; inferenceTokens?: string | undefined }): void {
  if (tokensPerParam >= MIN_TOKENS_PER_PARAM && tokensPerParam <= MAX_TOKENS_PER_PARAM) return;
  const [option, value] = opts.params !== undefined ? ["--params", opts.params] : opts.tokens !== undefined ? ["--tokens", opts.tokens] : opts.uniqueTokens !== undefined ? ["--unique-tokens", opts.uniqueTokens] : opts.inferenceTokens !== undefined ? ["--inference-tokens", opts.inferenceTokens] : ["--flops", "the budget"];
  const allowed = `a value leaving ${formatExact(MIN_TOKENS_PER_PARAM)} to ${formatExact(MAX_TOKENS_PER_PARAM)} tokens per parameter`;
  throw new InputError(option, value, allowed, `${option}: ${JSON.stringify(value)} is not allowed: it leaves ${formatSI(tokensPerParam, 3)} tokens per parameter; expected ${allowed}`);
}

/** Dense BF16 datasheet peak of a catalogue GPU (src/core/hardware), FLOP/s. */
function gpuPeak(id: string): number {
  return requireGpu(id, "--gpu").peakTflopsBf16 * 1e12;
}

/** The training budget: --flops, or --gpus × --days × utilization × (--peak or the --gpu's datasheet peak). */
function resolveBudget(flags: { flops?: number | undefined; gpus?: number | undefined; days?: number | undefined; utilization: number; peak?: number | undefined }, gpu: string | undefined): ComputeBudget {
  if (flags.peak !== undefined && gpu !== undefined) throw new UsageError("give the peak either as --peak or as --gpu, not both");
  const cluster = [flags.gpus, flags.days, flags.peak ?? gpu];
  if (flags.flops !== undefined) {
    if (cluster.some((v) => v !== undefined)) throw new UsageError("give the budget either as --flops or as --gpus/--days/--peak, not both");
    return { flops: flags.flops };
  }
  if (flags.gpus !== undefined && flags.days !== undefined && (flags.peak !== undefined || gpu !== undefined)) {
    const peak = gpu !== undefined ? gpuPeak(gpu) : flags.peak!;
    return { gpus: flags.gpus, days: flags.days, utilization: flags.utilization, peakFlopsPerGpu: peak };
  }
  throw new UsageError("a budget is required: --flops C, or --gpus N --days D and --peak FLOP/s or --gpu ID [--utilization U]");
}

/** At most one of --params, --tokens, --unique-tokens, --inference-tokens. */
function allocationConstraints(flags: { params?: number | undefined; tokens?: number | undefined; uniqueTokens?: number | undefined; inferenceTokens?: number | undefined }): AllocationConstraint[] {
  const constraints: AllocationConstraint[] = [];
  if (flags.params !== undefined) constraints.push({ kind: "fixed-n", n: flags.params });
  if (flags.tokens !== undefined) constraints.push({ kind: "fixed-d", d: flags.tokens });
  if (flags.uniqueTokens !== undefined) constraints.push({ kind: "unique-data", unique: flags.uniqueTokens });
  if (flags.inferenceTokens !== undefined) constraints.push({ kind: "inference", tokens: flags.inferenceTokens });
  if (constraints.length > 1) throw new UsageError("choose at most one of --params, --tokens, --unique-tokens, --inference-tokens");
  return constraints;
}

function hyperparameterLaw(id: string): HyperparameterLaw {
  const hp = findPreset(id);
  if (hp === undefined || !HYPERPARAMETER_LAW_PRESETS.includes(hp as HyperparameterLaw)) {
    throw new InputError("--hparams", id, `one of ${HYPERPARAMETER_LAW_PRESETS.map((l) => l.id).join(", ")}`);
  }
  return hp as HyperparameterLaw;
}

interface DenseResult {
  readonly law: LossLaw;
  readonly flops: number;
  readonly a: ReturnType<typeof allocate>;
  readonly advice: ReturnType<typeof evaluateHyperparameters>;
  readonly hp: HyperparameterLaw;
  readonly level: number | undefined;
}

/** The dense allocation as a table (text or CSV) with its intervals, inference and batch/LR rows. */
function printDenseAllocation(io: CliIO, format: "text" | "csv", { law, flops, a, advice, hp, level }: DenseResult): void {
  const iv = (i: [number, number] | undefined, f: (v: number) => string) => (i ? [f(i[0]), f(i[1])] : ["", ""]);
  const rows: Array<Array<string | number>> = [
    ["training compute (FLOP)", formatExp(a.flops, 3), "", ""],
    ["parameters N", formatSI(a.n, 4), ...iv(a.nInterval, (v) => formatSI(v, 3))],
    ["tokens D", formatSI(a.d, 4), ...iv(a.dInterval, (v) => formatSI(v, 3))],
    ["tokens per parameter", a.tokensPerParam.toFixed(1), "", ""],
    ["predicted loss (nats/token)", a.loss.toFixed(4), ...iv(a.lossInterval, (v) => v.toFixed(4))],
  ];
  if (a.inference) {
    rows.push(["inference tokens", formatExp(a.inference.tokens, 3), "", ""]);
    rows.push(["training + inference FLOP", formatExp(a.inference.totalFlops, 3), "", ""]);
    rows.push(["same for compute-optimal model", formatExp(a.inference.computeOptimalTotalFlops, 3), "", ""]);
  }
  if (advice.batchTokens !== undefined) rows.push([`global batch (tokens, ${advice.law})`, formatSI(advice.batchTokens, 3), "", ""]);
  if (advice.peakLearningRate !== undefined) rows.push([`peak learning rate (${advice.law})`, advice.peakLearningRate.toExponential(2), "", ""]);
  const hasIv = rows.some((r) => r[2] !== "");
  if (format === "text") {
    io.stdout(`${a.constraint} allocation of ${formatExp(flops, 3)} FLOP under ${law.id}: ${law.name} (${law.source})\nN counts ${law.conventions.params}; loss is ${law.conventions.loss}\n\n`);
  }
  const level100 = Math.round((level ?? 0.95) * 100);
  printTable(io, { columns: hasIv ? ["quantity", "value", `${level100}% lo`, `${level100}% hi`] : ["quantity", "value"], rows: hasIv ? rows : rows.map((r) => r.slice(0, 2)) }, format === "csv" ? "csv" : "text");
  if (format === "text" && a.inference) {
    io.stdout(`\nThe inference-aware model reaches the loss of the compute-optimal model for the budget; its training takes ${formatExp(a.flops, 3)} FLOP (budget ${formatExp(flops, 3)}) but training + inference is ${((1 - a.inference.totalFlops / a.inference.computeOptimalTotalFlops) * 100).toFixed(1)}% cheaper.\n`);
  }
  if (format === "text") io.stdout(`\nbatch/LR law ${hp.id}: ${hp.source}; evaluated at ${advice.basis}\n`);
}

export function registerOptimal(program: Command, io: CliIO): void {
  program
    .command("optimal")
    .description("Compute-optimal (or constrained) model size, tokens and predicted loss for a budget, with batch size and peak LR")
    .option("--flops <C>", "training compute in FLOP")
    .option("--gpus <n>", "GPUs (budget = gpus × days × 86,400 s × utilization × peak)")
    .option("--days <d>", "training days")
    .option("--utilization <u>", "model FLOP utilization in (0, 1]", "0.4")
    .option("--peak <flops>", "peak FLOP/s per GPU (e.g. 989e12 for H100 SXM dense BF16)")
    .option("--gpu <id>", `instead of --peak: a catalogue GPU's dense BF16 peak (${GPU_IDS.join(", ")})`)
    .option("--law <id|file>", `loss law: a preset (${[...LOSS_LAW_PRESETS, ...MOE_LAW_PRESETS, ...PRECISION_LAW_PRESETS].map((l) => l.id).join(", ")}) or a law .json`, "epoch")
    .option("--fit <file>", "a fit saved from `scaleplan fit --json` (gives intervals)")
    .option("--params <N>", "fix the model size; D = C/(6N)")
    .option("--tokens <D>", "fix the training tokens; N = C/(6D)")
    .option("--unique-tokens <U>", "only U unique tokens exist; repeated epochs are discounted (Muennighoff et al. 2023)")
    .option("--inference-tokens <T>", "minimise training + inference FLOP (6ND + 2N·T) at the compute-optimal loss")
    .option("--hparams <id>", `batch/LR law: ${HYPERPARAMETER_LAW_PRESETS.map((l) => l.id).join(", ")}`, "deepseek")
    .option("--experts <list>", "MoE laws: expert counts to compare, comma-separated (default 1,2,4,8,16,32)")
    .option("--max-total-params <M>", "MoE joint law: cap on total parameters (memory), Ludziejewski et al. 2025 §4.2")
    .option("--granularity <G>", "moe-granular-2024: expert granularity G = d_ff/d_expert (default 8)")
    .option("--precision <p>", PRECISION_HELP)
    .option("--precision-speedup <s>", "with --precision: its speed over BF16 (FLOP in the same GPU time), default 1")
    .option("--json", "one JSON document")
    .option("--csv", "CSV")
    .action(async (opts) => {
      const format = outputFormat(opts);
      const flags = parseFlags(opts, {
        flops: decimalText({ min: MIN_BUDGET_FLOPS, max: MAX_BUDGET_FLOPS }).optional(),
        gpus: decimalText({ integer: true, min: 1, max: MAX_GPUS }).optional(),
        // The bounds of `plan` and `sweep` (config/bounds.ts); 1e300 days printed "the budget Infinity FLOP".
        days: decimalText(PLAN_DAYS).optional(),
        utilization: decimalText(FRACTION),
        peak: decimalText(GPU_PEAK_FLOPS).optional(),
        params: decimalText(PARAMETER_COUNT).optional(),
        tokens: decimalText(TRAINING_TOKENS).optional(),
        uniqueTokens: decimalText(UNIQUE_TOKENS).optional(),
        inferenceTokens: decimalText(INFERENCE_TOKENS).optional(),
      });
      // The fit file is read once: an MoE fit (fit --form moe --json) or an Approach-3 fit.
      const fitFile = opts.fit !== undefined ? parseYamlText(await readTextInput(opts.fit), opts.fit) : undefined;
      const fitDoc = fitFile?.data;
      const moe = moeLawFrom(opts.fit === undefined ? opts.law : undefined, fitDoc);
      const moeFlags = { experts: opts.experts, maxTotalParams: opts.maxTotalParams, granularity: opts.granularity, params: opts.params };
      if (!moe && (opts.experts ?? opts.maxTotalParams ?? opts.granularity) !== undefined) {
        throw new UsageError(`--experts/--max-total-params/--granularity need an MoE law (${MOE_LAW_PRESETS.map((l) => l.id).join(", ")} or a \`fit --form moe --json\` file)`);
      }
      if (moe?.form === "moe-routed") return runMoeOptimal(io, moe, 1, moeFlags, format);
      const flops = budgetFlops(resolveBudget(flags, opts.gpu));
      if (moe) return runMoeOptimal(io, moe, flops, moeFlags, format);
      const precisionLaw = opts.fit === undefined ? findPrecisionPreset(opts.law) : precisionLawFromFit(fitDoc);
      if (precisionLaw) {
        // One line naming the first option the law cannot take (it allocates N, D and P itself; only --params constrains it).
        for (const [option, value] of [["--tokens", opts.tokens], ["--unique-tokens", opts.uniqueTokens], ["--inference-tokens", opts.inferenceTokens], ["--precision-speedup", opts.precisionSpeedup]] as const) {
          if (value !== undefined) throw new InputError(option, value, `no ${option} with ${precisionLaw.id} (it allocates N, D and the training precision itself; only --params constrains it)`);
        }
        return runPrecisionOptimal(io, precisionLaw, flops, { params: flags.params, precision: opts.precision }, format, (tokensPerParam) => requireSensibleAllocation(tokensPerParam, opts));
      }

      return runDenseOptimal(io, opts, flags, flops, fitFile, format);
    });
}

/** The options the dense allocation reads (as typed: the numbers are in `flags`). */
interface DenseOptions {
  readonly fit?: string | undefined;
  readonly law: string;
  readonly hparams: string;
  readonly precision?: string | undefined;
  readonly precisionSpeedup?: string | undefined;
  readonly params?: string | undefined;
  readonly tokens?: string | undefined;
  readonly uniqueTokens?: string | undefined;
  readonly inferenceTokens?: string | undefined;
}

/**
 * A dense law's allocation of `flops` (a preset, a law file or a saved Approach-3 fit with its intervals) under at
 * most one constraint, with the batch/LR advice and, with --precision, the comparison with BF16.
 */
async function runDenseOptimal(
  io: CliIO,
  opts: DenseOptions,
  flags: { params?: number | undefined; tokens?: number | undefined; uniqueTokens?: number | undefined; inferenceTokens?: number | undefined },
  flops: number,
  fitFile: ReturnType<typeof parseYamlText> | undefined,
  format: "json" | "csv" | "text",
): Promise<void> {
  const constraints = allocationConstraints(flags);

  let law: LossLaw;
  let samples: ParamSamples | undefined;
  let level: number | undefined;
  if (opts.fit !== undefined) {
    const saved = lawFromSavedFit(fitFile!.data, opts.fit, fitFile!.locate);
    law = saved.law;
    samples = saved.samples;
    level = saved.level;
  } else law = await resolveLossLaw(opts.law);

  const hp = hyperparameterLaw(opts.hparams);
  if (!(flops >= MIN_BUDGET_FLOPS && flops <= MAX_BUDGET_FLOPS)) throw new InputError("--gpus/--days/--peak", flops, `a budget in [${formatExact(MIN_BUDGET_FLOPS)}, ${formatExact(MAX_BUDGET_FLOPS)}] FLOP`, `the budget ${formatExact(Number(flops.toPrecision(4)))} FLOP (gpus × days × 86,400 × utilization × peak) is not allowed; expected ${formatExact(MIN_BUDGET_FLOPS)} to ${formatExact(MAX_BUDGET_FLOPS)} FLOP`);
  const a = allocate(law, flops, { ...(constraints[0] ? { constraint: constraints[0] } : {}), ...(samples ? { samples } : {}), ...(level ? { level } : {}) });
  requireSensibleAllocation(a.tokensPerParam, opts);
  const advice = evaluateHyperparameters(hp, { n: a.n, d: a.d, flops: a.flops, loss: a.loss });
  if (opts.precisionSpeedup !== undefined && opts.precision === undefined) throw new UsageError("--precision-speedup needs --precision");
  if (opts.precision !== undefined && constraints.length > 0) throw new UsageError("--precision compares compute-optimal runs; drop --params/--tokens/--unique-tokens/--inference-tokens");
  const precision = opts.precision !== undefined ? precisionReport(law, flops, opts.precision, opts.precisionSpeedup) : undefined;

  if (format === "json") {
    return printJson(io, {
      law: { id: law.id, name: law.name, source: law.source, conventions: law.conventions },
      budgetFlops: flops,
      allocation: a,
      hyperparameters: { ...advice, source: hp.source },
      ...(precision ? { precision } : {}),
    });
  }
  printDenseAllocation(io, format, { law, flops, a, advice, hp, level });
  if (format === "text" && precision) printPrecisionReport(io, precision, opts.precision!.toUpperCase());
}
