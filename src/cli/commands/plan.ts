import type { Command } from "@commander-js/extra-typings";
import { dirname, resolve } from "node:path";
import { stringify as toYaml } from "yaml";
import { InputError, UsageError } from "../../core/errors.ts";
import { GOODPUT, GPU_COUNT, INFERENCE_TOKENS, LINK_GBPS, LINK_LATENCY_MS, MAX_GPUS, OUTER_BITS, PLAN_DAYS, PLAN_MFU, requireListLength, SEQUENCE_LENGTH, SITE_COUNT, SYNC_EVERY, UNIQUE_TOKENS, USD_PER_GPU_HOUR, type Bound } from "../../core/config/bounds.ts";
import { meetsRule } from "../../core/config/number.ts";
import { formatExact } from "../../core/format.ts";
import { makeFrontier, type FrontierRow } from "../../core/plan/frontier.ts";
import { ARCHITECTURES, validatePlanInput, type PlanInputData } from "../../core/plan/input.ts";
import type { LawChoice } from "../../core/plan/loss.ts";
import type { Plan } from "../../core/plan/make-plan.ts";
import { alternativesTable, frontierTable, planMarkdown, planTable } from "../../core/plan/report.ts";
import { parseSavedFitText } from "../../core/scaling/saved-fit.ts";
import { parseYamlText, type Locate } from "../../core/config/parse.ts";
import { parseScheduleSpec } from "../../core/schedule/spec.ts";
import { pytorchLambdaSnippet } from "../../core/schedule/snippets.ts";
import { readTextInput, writeFileAtomic } from "../../node/files.ts";
import { renderLineChartSvg, writePlotFile } from "../../node/plot-file.ts";
import type { CliIO } from "../io.ts";
import { numberFlag } from "../number-flag.ts";
import { outputFormat, printJson, printTable } from "../output.ts";
import { progressReporter } from "../progress.ts";
import { resolveLossLaw } from "./optimal.ts";

const positive = (x: number) => x > 0;

/** "4096", "1024,4096,16384" or a doubling range "1024..16384". */
export function parseGpuCounts(raw: string): number | number[] {
  const range = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(raw);
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    if (!(a >= 1 && b >= a && b <= MAX_GPUS)) throw new InputError("--gpus", raw, `N, a list N1,N2,... or a doubling range A..B with 1 <= A <= B <= ${formatExact(MAX_GPUS)} (${GPU_COUNT.reason})`);
    const out: number[] = [];
    for (let n = a; n <= b; n *= 2) out.push(n);
    return out;
  }
  const list = requireListLength("--gpus", raw.split(",")).map((x) => numberFlag("--gpus", x, `${GPU_COUNT.allowed}, a list N1,N2,... or a doubling range A..B`, (n) => meetsRule(n, GPU_COUNT)));
  return list.length === 1 ? list[0]! : list;
}

async function readPlanFile(path: string): Promise<{ data: Record<string, unknown>; locate: Locate }> {
  const text = await readTextInput(path);
  // The shared YAML reader: alias limits, no circular structures, duplicate keys and hex numbers rejected.
  const { data, locate } = parseYamlText(text, path);
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw new UsageError(`${path}: expected a mapping of plan inputs (gpu, gpus, days, ...)`);
  const out = data as Record<string, unknown>;
  // A fit file named in the plan file is relative to it.
  if (typeof out.fit === "string" && path !== "-") out.fit = resolve(dirname(path), out.fit);
  return { data: out, locate };
}

/** The plan file's locations (line:col, numbers as typed) for the inputs no flag overrides. */
function fileLocate(file: Locate | undefined, flags: Record<string, unknown>): Locate | undefined {
  if (file === undefined) return undefined;
  const fromFile = (path: readonly PropertyKey[]) => flags[String(path[0])] === undefined;
  return Object.assign((path: readonly PropertyKey[]) => (fromFile(path) ? file(path) : undefined), {
    typed: (path: readonly PropertyKey[], value: unknown) => (fromFile(path) ? file.typed?.(path, value) : undefined),
  });
}

async function softwareBlock(raw: string): Promise<unknown> {
  const text = raw.trim().startsWith("{") ? raw : await readTextInput(raw);
  return parseYamlText(text, raw.trim().startsWith("{") ? "--software" : raw).data;
}

async function lawChoiceFor(law: string | undefined, fit: string | undefined): Promise<LawChoice | undefined> {
  if (law !== undefined && fit !== undefined) throw new UsageError("give the law either as --law or as --fit, not both");
  if (fit !== undefined) {
    const saved = parseSavedFitText(await readTextInput(fit), fit);
    return { law: saved.law, samples: saved.samples, level: saved.level };
  }
  if (law !== undefined && /\.json$/i.test(law)) return { law: await resolveLossLaw(law) };
  return undefined;
}

function planJson(p: Plan): unknown {
  return { ...p, schedule: { ...p.schedule, pytorch: pytorchLambdaSnippet(parseScheduleSpec(p.schedule.spec)) } };
}

async function writePlots(path: string, rows: readonly FrontierRow[]): Promise<void> {
  const m = /^(.*?)(\.(svg|png))?$/i.exec(path)!;
  const base = m[1]!;
  const ext = m[2] ?? ".svg";
  const chart = (yLabel: string, y: (p: Plan) => number | null) =>
    renderLineChartSvg({
      title: `${yLabel} vs cluster size (${rows[0]!.plan.gpu})`,
      xLabel: "GPUs",
      yLabel,
      xLog: true,
      dots: true,
      series: [{ name: yLabel, points: rows.flatMap((r) => (y(r.plan) === null ? [] : [{ x: r.gpus, y: y(r.plan)! }])) }],
    });
  await writePlotFile(`${base}${ext}`, await chart("best predicted loss", (p) => p.loss.predicted));
  await writePlotFile(`${base}-mfu${ext}`, await chart("MFU", (p) => p.step?.mfu ?? null));
  await writePlotFile(`${base}-cost${ext}`, await chart(rows.every((r) => r.plan.cost.usd !== null) ? "cost (USD)" : "GPU-hours", (p) => p.cost.usd ?? p.cost.gpuHours));
}

/** The flags a plan takes as input values (string flags parsed; undefined when not given). */
interface PlanFlags {
  readonly architecture?: string | undefined;
  readonly budgetUsd?: string | undefined;
  readonly days?: string | undefined;
  readonly diloco?: string | undefined;
  readonly goodput?: string | undefined;
  readonly gpu?: string | undefined;
  readonly gpus?: string | undefined;
  readonly gpusPerNode?: string | undefined;
  readonly hparams?: string | undefined;
  readonly inferenceTokens?: string | undefined;
  readonly interSiteGbit?: string | undefined;
  readonly interSiteMs?: string | undefined;
  readonly law?: string | undefined;
  readonly mfu?: string | undefined;
  readonly outerBits?: string | undefined;
  readonly precision?: string | undefined;
  readonly pue?: string | undefined;
  readonly seqLen?: string | undefined;
  readonly sites?: string | undefined;
  readonly software?: string | undefined;
  readonly uniqueTokens?: string | undefined;
  readonly usdPerGpuHour?: string | undefined;
}

async function flagValues(opts: PlanFlags): Promise<Record<string, unknown>> {
  const num = (flag: string, raw: string | undefined, allowed: string, check: (x: number) => boolean) => (raw === undefined ? undefined : numberFlag(flag, raw, allowed, check));
  const bounded = (flag: string, raw: string | undefined, bound: Bound) => num(flag, raw, bound.allowed, (x) => meetsRule(x, bound));
  return {
    gpu: opts.gpu,
    gpus: opts.gpus === undefined ? undefined : parseGpuCounts(opts.gpus),
    gpusPerNode: bounded("--gpus-per-node", opts.gpusPerNode, GPU_COUNT),
    days: bounded("--days", opts.days, PLAN_DAYS),
    budgetUsd: num("--budget-usd", opts.budgetUsd, "dollars > 0", positive),
    usdPerGpuHour: bounded("--usd-per-gpu-hour", opts.usdPerGpuHour, USD_PER_GPU_HOUR),
    law: opts.law !== undefined && !/\.json$/i.test(opts.law) ? opts.law : undefined,
    uniqueTokens: bounded("--unique-tokens", opts.uniqueTokens, UNIQUE_TOKENS),
    inferenceTokens: bounded("--inference-tokens", opts.inferenceTokens, INFERENCE_TOKENS),
    architecture: opts.architecture,
    seqLen: bounded("--seq-len", opts.seqLen, SEQUENCE_LENGTH),
    precision: opts.precision,
    software: opts.software === undefined ? undefined : await softwareBlock(opts.software),
    goodput: bounded("--goodput", opts.goodput, GOODPUT),
    mfu: bounded("--mfu", opts.mfu, PLAN_MFU),
    hparams: opts.hparams,
    pue: num("--pue", opts.pue, "a number in [1, 3]", (x) => x >= 1 && x <= 3),
    // The bounds of run configs and `diloco` (config/bounds.ts), named with the flag.
    sites: bounded("--sites", opts.sites, SITE_COUNT),
    interSiteGbit: bounded("--inter-site-gbit", opts.interSiteGbit, LINK_GBPS),
    interSiteMs: bounded("--inter-site-ms", opts.interSiteMs, LINK_LATENCY_MS),
    diloco: bounded("--diloco", opts.diloco, SYNC_EVERY),
    outerBits: bounded("--outer-bits", opts.outerBits, OUTER_BITS),
  };
}

export function registerPlan(program: Command, io: CliIO): void {
  program
    .command("plan")
    .description("One answer for a cluster and a deadline (or budget): what to train, how to run it, the loss it reaches, what it costs")
    .option("--config <file>", "a plan file (YAML/JSON) with the flags' names in camelCase; flags override it")
    .option("--gpu <id>", "GPU preset of the run config (h100-sxm, a100-sxm-80gb, ...)")
    .option("--gpus <n|list|range>", "GPU count, a list 1024,4096,16384 or a doubling range 1024..16384 (frontier)")
    .option("--gpus-per-node <n>", "scale-up domain size (default: the GPU preset's)")
    .option("--days <T>", "deadline in days")
    .option("--budget-usd <X>", "instead of --days: a budget in dollars (with a price per GPU-hour)")
    .option("--usd-per-gpu-hour <P>", "price per GPU-hour (overrides the hardware catalogue's)")
    .option("--law <id|file>", "loss law: a preset id or a law .json (default epoch)")
    .option("--fit <file>", "a saved `scaleplan fit --json` (its bootstrap gives the loss interval)")
    .option("--unique-tokens <U>", "unique tokens available: repeated epochs are discounted (Muennighoff et al. 2023)")
    .option("--inference-tokens <T>", "tokens the model will serve: among near-optimal models, the cheapest to serve")
    .option("--architecture <kind>", `model family: ${ARCHITECTURES.join(" or ")}`)
    .option("--seq-len <n>", "training sequence length (default 8192, Llama 3)")
    .option("--precision <p>", "bf16 or fp8")
    .option("--software <json|file>", "the run-config software block (training stack)")
    .option("--goodput <G>", "fraction of wall-clock doing useful steps (default: reliability model; 1 = off)")
    .option("--mfu <X>", "pin the utilization (comparison with `optimal` only; no layout search for the tokens)")
    .option("--hparams <id>", "batch/LR law: deepseek or step-law")
    .option("--pue <x>", "data-centre power usage effectiveness (default 1.1)")
    .option("--sites <S>", "spread the GPUs over S sites (datacenters); synchronous data parallelism across them unless --diloco")
    .option("--inter-site-gbit <G>", "with --sites: inter-site bandwidth per GPU, Gbit/s (default 10, Charles et al. 2025 App. A.3)")
    .option("--inter-site-ms <L>", "with --sites: inter-site latency in ms (default 10)")
    .option("--diloco <H>", "with --sites: DiLoCo, one replica per site, synchronising every H steps; compared with synchronous DP")
    .option("--outer-bits <b>", "with --diloco: bits per outer-gradient value on the wire (default 16)")
    .option("--json", "one JSON document")
    .option("--csv", "the plan (or frontier) table as CSV")
    .option("--markdown", "a plan section for a design document")
    .option("--code", "also print the schedule as PyTorch code")
    .option("--write-config <file>", "write the run configuration (YAML) that `scaleplan step --config` accepts")
    .option("--plot <file>", "with several --gpus: loss, MFU and cost vs cluster size (FILE, FILE-mfu, FILE-cost; .svg or .png)")
    .action(async (opts) => {
      const format = opts.markdown ? (opts.json || opts.csv ? "conflict" : "markdown") : outputFormat(opts);
      if (format === "conflict") throw new UsageError("--markdown, --json and --csv cannot be used together; choose one");
      const file = opts.config !== undefined ? await readPlanFile(opts.config) : undefined;
      const data: Record<string, unknown> = file?.data ?? {};
      const flags = await flagValues(opts);
      for (const [k, v] of Object.entries(flags)) if (v !== undefined) data[k] = v;
      if (data.gpu === undefined) throw new InputError("--gpu", undefined, "a GPU preset id (or gpu in the plan file)");
      if (data.gpus === undefined) throw new InputError("--gpus", undefined, "a GPU count, a list or a range (or gpus in the plan file)");
      if (data.days === undefined && data.budgetUsd === undefined) throw new InputError("--days", undefined, "a deadline in days, or --budget-usd with --usd-per-gpu-hour");
      const fitPath = opts.fit ?? (typeof data.fit === "string" ? data.fit : undefined);
      const lawPath = opts.law !== undefined && /\.json$/i.test(opts.law) ? opts.law : undefined;
      const lawChoice = await lawChoiceFor(lawPath ?? (opts.fit === undefined && typeof data.law === "string" && /\.json$/i.test(data.law) ? data.law : undefined), fitPath);
      if (lawChoice) delete data.law;
      delete data.fit;
      const input = validatePlanInput(data, opts.config ?? "", fileLocate(file?.locate, flags));
      const progress = progressReporter(io, "plan: candidates");
      const rows = makeFrontier(input as PlanInputData, { ...(lawChoice ? { lawChoice } : {}), onProgress: (d, t) => progress.update(d, t) });
      progress.end();
      const several = rows.length > 1;
      if (opts.plot !== undefined) {
        if (!several) throw new UsageError("--plot needs several --gpus values (a frontier)");
        await writePlots(opts.plot, rows);
      }
      const first = rows[0]!.plan;
      if (opts.writeConfig !== undefined) {
        if (several) throw new UsageError("--write-config needs one --gpus value");
        if (first.run === null) throw new UsageError("--write-config: the plan has no run configuration (see the warnings)");
        await writeFileAtomic(opts.writeConfig, toYaml(first.run), "--write-config");
      }
      for (const r of rows) for (const w of r.plan.warnings) io.stderr(`warning: ${several ? `${r.gpus} GPUs: ` : ""}${w}\n`);
      if (format === "json") return printJson(io, several ? rows.map((r) => ({ gpus: r.gpus, plan: planJson(r.plan) })) : planJson(first));
      if (format === "markdown") {
        io.stdout(rows.map((r) => planMarkdown(r.plan)).join("\n"));
        return;
      }
      if (several) return printTable(io, frontierTable(rows), format);
      printTable(io, planTable(first), format);
      if (format === "text" && first.alternatives.length > 0) {
        io.stdout("\n");
        printTable(io, alternativesTable(first), "text");
      }
      if (opts.code) io.stdout(`\n# PyTorch schedule\n${pytorchLambdaSnippet(parseScheduleSpec(first.schedule.spec))}`);
    });
}
