import type { Command } from "@commander-js/extra-typings";
import { InputError, UsageError } from "../../core/errors.ts";
import { gpuIdsAndAliases } from "../../core/hardware/lookup.ts";
import { formatExact, formatExp, formatSI } from "../../core/format.ts";
import { COOLDOWN_SHAPES, type CooldownShape } from "../../core/schedule/types.ts";
import { gpuPeakFlops as catalogueGpuPeakFlops, HAGELE_2024_MODELS, planSweep, swigluWidth, type SweepModel, type SweepPlan } from "../../core/sweep/index.ts";
import type { CliIO } from "../io.ts";
import { outputFormat, printJson, printTable } from "../output.ts";
import { choiceText, countListText, countText, decimalText } from "../../core/config/schema.ts";
import { BATCH_TOKENS, GPU_PEAK_FLOPS, PARAMETER_COUNT, requireListLength, SEQUENCE_LENGTH, TOKENS_PER_PARAMETER, TRAINING_TOKENS, VOCAB_SIZE, type Bound } from "../../core/config/bounds.ts";
import { FRACTION, meetsRule, parseCount } from "../../core/config/number.ts";
import { parseFlags } from "../flags.ts";

/** 124M, 1.3B, 7e9, 0.5M → numbers (parseCount, the one number parser with count suffixes). */
function countIn(raw: string, field: string, bound: Bound = PARAMETER_COUNT, noun = "parameter count"): number {
  const v = parseCount(raw);
  if (v === undefined || !meetsRule(v, bound)) throw new InputError(field, raw, `a ${noun} such as 124M, 1.3B or 2e10: ${bound.allowed}`);
  return v;
}

export function registerSweep(program: Command, io: CliIO): void {
  program
    .command("sweep")
    .description("Reusable scaling sweep (Hägele et al. 2024): one constant-LR run per size with cooldown branches vs a cosine grid")
    .option("--preset <name>", "hagele2024: the paper's 33M–360M family and budgets (spec §A.1)")
    .option("--models <list>", "model sizes, e.g. 124M,350M,1.3B (6ND only) or architectures d768:l12:h12 (detailed count too); NAME=D1/D2 gives that size its own token budgets")
    .option("--tokens <list>", "token budgets shared by every size, e.g. 2.5B,5B,10B")
    .option("--tokens-per-param <list>", "token budgets as D/N ratios, e.g. 10,15,20,25")
    .option("--batch-tokens <n>", "tokens per optimiser step", "0.5M")
    .option("--seq-len <n>", "sequence length for architectures given as d:l:h", "512")
    .option("--vocab <n>", "padded vocabulary for architectures given as d:l:h", "50304")
    .option("--cooldown <fraction>", "cooldown as a fraction of each branch's steps, in (0, 1]", "0.2")
    .option("--shape <shape>", `cooldown shape: ${COOLDOWN_SHAPES.join(", ")}`, "sqrt")
    .option("--gpu <name>", `GPU for GPU-hours (its dense BF16 peak): ${gpuIdsAndAliases()}`)
    .option("--gpu-flops <flops>", "peak dense FLOP/s of one GPU (instead of --gpu)")
    .option("--utilization <u>", "model FLOP utilization for GPU-hours", "0.4")
    .option("--fit-on-checkpoints", "you plan to fit scaling laws on intermediate constant-LR checkpoints (warns)")
    .option("--json", "one JSON document")
    .option("--csv", "CSV, one row per branch")
    .action((opts) => {
      const format = outputFormat(opts);
      const flags = parseFlags(opts, {
        cooldown: decimalText(FRACTION),
        shape: choiceText(COOLDOWN_SHAPES as unknown as [CooldownShape, ...CooldownShape[]]),
        utilization: decimalText(FRACTION),
        // Bounded as in `optimal` and `plan` (config/bounds.ts): 1e300 tokens or 1e-300 FLOP/s printed Infinity.
        gpuFlops: decimalText(GPU_PEAK_FLOPS).optional(),
        tokens: countListText(TRAINING_TOKENS).optional(),
        tokensPerParam: countListText(TOKENS_PER_PARAMETER).optional(),
        batchTokens: countText(BATCH_TOKENS),
        seqLen: decimalText(SEQUENCE_LENGTH),
        vocab: decimalText(VOCAB_SIZE),
        preset: choiceText(["hagele2024"]).optional(),
      });
      const { cooldown, utilization, tokens } = flags;
      const ratios = flags.tokensPerParam;
      let gpuPeakFlops = flags.gpuFlops;
      if (opts.gpu !== undefined) {
        if (gpuPeakFlops !== undefined) throw new UsageError("give the GPU either as --gpu or as --gpu-flops, not both");
        gpuPeakFlops = catalogueGpuPeakFlops(opts.gpu.toLowerCase());
        if (gpuPeakFlops === undefined) throw new InputError("--gpu", opts.gpu, `one of ${gpuIdsAndAliases()} (or --gpu-flops)`);
      }
      if (tokens && ratios) throw new UsageError("--tokens and --tokens-per-param cannot be used together; choose one");
      const models = sweepModels(opts, flags);
      const plan = planSweep({
        models,
        cooldownFraction: cooldown,
        cooldownShape: flags.shape,
        utilization,
        ...(gpuPeakFlops !== undefined ? { gpuPeakFlops } : {}),
        ...(opts.fitOnCheckpoints ? { fitOnCheckpoints: true } : {}),
      });
      for (const w of plan.warnings) io.stderr(`warning: ${w}\n`);
      if (format === "json") return printJson(io, plan);
      printSweep(io, plan, format, utilization);
    });
}

/** The flags sweepModels reads. */
interface ModelFlags {
  readonly tokens?: number[] | undefined;
  readonly tokensPerParam?: number[] | undefined;
  readonly batchTokens: number;
  readonly seqLen: number;
  readonly vocab: number;
}

/**
 * The sizes to sweep with their token budgets: the Hägele et al. preset, or --models (counts or d:l:h
 * architectures, NAME=D1/D2 for a size's own budgets) with --tokens or --tokens-per-param.
 */
function sweepModels(opts: { preset?: string; models?: string }, flags: ModelFlags): SweepModel[] {
  const tokens = flags.tokens;
  const ratios = flags.tokensPerParam;
  if (opts.preset !== undefined) {
    if (opts.models) throw new UsageError("--preset and --models cannot be used together; choose one");
    return HAGELE_2024_MODELS.map((m) => ({
      name: m.name,
      params: m.params,
      arch: m.arch,
      batchTokens: m.batchTokens,
      budgets: tokens ?? (ratios ? ratios.map((r) => r * m.params) : m.steps.map((s) => s * m.batchTokens)),
    }));
  }
  if (!opts.models) throw new UsageError("--models (or --preset hagele2024) is required");
  if (!tokens && !ratios && !opts.models.split(",").every((m) => m.includes("="))) {
    throw new UsageError("--tokens or --tokens-per-param is required with --models (or give each size its budgets: 1B=10B/20B)");
  }
  const { batchTokens, seqLen, vocab } = flags;
  return requireListLength("--models", opts.models.split(",")).map((item) => {
    // NAME=D1/D2/…: budgets of this size only (token counts), overriding --tokens / --tokens-per-param.
    const [raw, own] = item.split("=") as [string, string | undefined];
    const ownTokens = own === undefined ? undefined : requireListLength("--models", own.split("/")).map((x) => countIn(x, "--models", TRAINING_TOKENS, "token count"));
    const a = /^d(\d+):l(\d+):h(\d+)$/i.exec(raw.trim());
    if (a) {
      const [d, l, h] = [Number(a[1]), Number(a[2]), Number(a[3])];
      if (h === 0 || d % h !== 0) throw new InputError("--models", raw, "d<d_model>:l<layers>:h<heads> with d_model a multiple of the heads");
      // Tied embeddings counted once; attention 4d², SwiGLU 3·d·f per layer (norm weights ignored).
      const params = vocab * d + l * (4 * d * d + 3 * d * swigluWidth(d));
      // The architecture's size is held to the parameter bound here, so the error names --models and the text typed.
      if (!meetsRule(params, PARAMETER_COUNT)) throw new InputError("--models", raw, `an architecture of ${PARAMETER_COUNT.allowed.replace(/^a finite number/, "a parameter count")}; this one has ${formatExact(params)}`);
      const arch = { dModel: d, layers: l, heads: h, vocab, seqLen };
      return { name: raw.trim(), params, arch, batchTokens, budgets: ownTokens ?? tokens ?? ratios?.map((r) => r * params) ?? [] };
    }
    const params = countIn(raw, "--models");
    return { name: raw.trim(), params, batchTokens, budgets: ownTokens ?? tokens ?? ratios?.map((r) => r * params) ?? [] };
  });
}

/** The plan as a table (one row per branch; per-size totals on the trunk row in text), then the totals in text. */
function printSweep(io: CliIO, plan: SweepPlan, format: "json" | "csv" | "text", utilization: number): void {
  // Per-size totals on the trunk row only in the text table (CSV repeats them on every row).
  const rows = plan.sizes.flatMap((s) =>
    s.branches.map((b, i) => (format === "text" && i < s.branches.length - 1 ? (r: Array<string | number>) => [...r.slice(0, 6), "", "", "", "", ""] : (r: Array<string | number>) => r)([
      s.name,
      format === "csv" ? b.tokens : formatSI(b.tokens),
      b.checkpointStep,
      b.cooldownSteps,
      b.endStep,
      i === s.branches.length - 1 ? "trunk" : "branch",
      format === "csv" ? s.cosine.sixND : formatExp(s.cosine.sixND),
      format === "csv" ? s.reuse.sixND : formatExp(s.reuse.sixND),
      s.cosine.detailed === null ? "" : format === "csv" ? s.cosine.detailed : formatExp(s.cosine.detailed),
      s.reuse.detailed === null ? "" : format === "csv" ? s.reuse.detailed : formatExp(s.reuse.detailed),
      format === "csv" ? s.costRatio : s.costRatio.toFixed(3),
    ])),
  );
  const columns = ["size", "tokens", "checkpoint step", "cooldown steps", "end step", "from", "cosine 6ND", "reuse 6ND", "cosine detailed", "reuse detailed", "ratio"];
  if (format === "csv") return printTable(io, { columns, rows }, "csv");
  printTable(io, { columns, rows }, "text");
  const t = plan.total;
  io.stdout(`\ntotal: cosine grid ${formatExp(t.cosine.sixND)} FLOPs (6ND)${t.cosine.detailed !== null ? `, ${formatExp(t.cosine.detailed)} (detailed)` : ""}; reuse ${formatExp(t.reuse.sixND)} (6ND)${t.reuse.detailed !== null ? `, ${formatExp(t.reuse.detailed)} (detailed)` : ""}; ratio ${t.costRatio.toFixed(4)} with ${plan.cooldownFraction * 100}% ${plan.cooldownShape} cooldowns\n`);
  if (plan.gpuHours) io.stdout(`GPU-hours at ${(utilization * 100).toFixed(0)}% utilization (${plan.gpuHours.basis} FLOPs): cosine ${plan.gpuHours.cosine.toPrecision(4)}, reuse ${plan.gpuHours.reuse.toPrecision(4)}\n`);
}
