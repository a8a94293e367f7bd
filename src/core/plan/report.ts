// The plan as a readable table, a frontier table and a Markdown design-doc section (CLI and web app).

import { formatExp, formatSI } from "../format.ts";
import type { Table } from "../table.ts";
import type { FrontierRow } from "./frontier.ts";
import type { Plan } from "./make-plan.ts";
import { sitesRows } from "./sites.ts";

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const usd = (x: number | null) => (x === null ? "unknown (give usdPerGpuHour)" : `$${formatSI(x, 3)}`);

function lossText(p: Plan): string {
  const l = p.loss;
  return l.low === l.high ? `${l.predicted.toFixed(4)} (no interval: see loss.interval)` : `${l.predicted.toFixed(4)} [${l.low.toFixed(4)}, ${l.high.toFixed(4)}]`;
}

export function planRows(p: Plan): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ["cluster", `${p.gpus} × ${p.gpu}, ${p.days.toPrecision(4)} days${p.budgetUsd !== null ? ` (bought by $${formatSI(p.budgetUsd, 3)})` : ""}`],
    ["model", `${p.model.name}: ${formatSI(p.model.params, 3)} parameters${p.model.activeParams !== p.model.params ? ` (${formatSI(p.model.activeParams, 3)} active)` : ""}, ${p.model.config.layers} layers, hidden ${p.model.config.hidden}, ${p.model.config.heads} heads (${p.model.config.kvHeads} KV), ffn ${p.model.config.ffn}`],
    ["tokens", `${formatSI(p.tokens, 3)} (${p.tokensPerParam.toFixed(1)} per parameter)`],
    ["training FLOP", `${formatExp(p.trainingFlop, 3)} (6ND: ${formatExp(p.trainingFlop6ND, 3)})`],
    [`loss (${p.law.id})`, lossText(p)],
  ];
  if (p.step) {
    rows.push(["layout", p.step.layout]);
    rows.push(["step", `${p.step.stepTimeSeconds.toPrecision(4)} s, ${p.step.tokensPerSecondPerGpu.toFixed(0)} tokens/s/GPU, MFU ${pct(p.step.mfu)}, ${p.step.memoryPerGpuGiB.toFixed(1)} GiB/GPU${p.step.throughputBasis === "pinned-mfu" ? " (tokens use the pinned MFU)" : ""}`]);
  }
  if (p.sites) rows.push(...sitesRows(p.sites));
  rows.push(["goodput", `${pct(p.goodput.value)}: ${p.goodput.reason}`]);
  rows.push(["global batch", `${p.globalBatch.globalBatch} sequences = ${formatSI(p.globalBatch.batchTokens, 3)} tokens (${p.globalBatch.law}${p.globalBatch.capped ? ", capped at the critical batch" : ""})`]);
  rows.push(["schedule", p.schedule.spec]);
  rows.push(["cooldown branches", p.schedule.branchPoints.map((b) => `${formatSI(b.tokens, 2)} tokens: step ${b.checkpointStep} → ${b.endStep}`).join("; ")]);
  rows.push(["data movement", p.limits ? p.limits.summary : "no limits preset for this GPU"]);
  const price = p.cost.usdPerGpuHour === null ? "" : ` at $${p.cost.usdPerGpuHour.toFixed(2)}/GPU-hour (${p.cost.priceSource})`;
  rows.push(["cost", `${formatSI(p.cost.gpuHours, 3)} GPU-hours, ${usd(p.cost.usd)}${price}, ${p.cost.energyMWh === null ? "energy unknown" : `${p.cost.energyMWh.toFixed(0)} MWh (PUE ${p.cost.pue})`}, ${p.cost.wallClockDays.toPrecision(4)} wall-clock days`]);
  if (p.allocation) rows.push([`law optimum at this compute`, `N = ${formatSI(p.allocation.n, 3)}, D = ${formatSI(p.allocation.d, 3)}, loss ${p.allocation.loss.toFixed(4)}`]);
  if (p.inference) rows.push(["inference-aware", `${formatExp(p.inference.tokens, 2)} inference tokens: ${formatExp(p.inference.inferenceFlop, 3)} inference FLOP (lowest-loss model: ${p.inference.bestLossModel})`]);
  return rows;
}

export function planTable(p: Plan): Table {
  return { columns: ["quantity", "value"], rows: planRows(p) };
}

export function alternativesTable(p: Plan): Table {
  return {
    columns: ["alternative (loss within 0.5 %)", "params", "tokens", "loss", "MFU", "layout"],
    rows: p.alternatives.map((a) => [a.name, formatSI(a.params, 3), formatSI(a.tokens, 3), a.loss.toFixed(4), pct(a.mfu), a.layout ?? ""]),
  };
}

export function frontierTable(rows: readonly FrontierRow[]): Table {
  return {
    columns: ["GPUs", "days", "model", "params", "tokens", "loss", "MFU", "goodput", "GPU-hours", "USD", "regime"],
    rows: rows.map(({ gpus, plan: p }) => [
      gpus,
      p.days.toPrecision(4),
      p.model.name,
      formatSI(p.model.params, 3),
      formatSI(p.tokens, 3),
      p.loss.predicted.toFixed(4),
      p.step ? pct(p.step.mfu) : "",
      pct(p.goodput.value),
      formatSI(p.cost.gpuHours, 3),
      p.cost.usd === null ? "" : formatSI(p.cost.usd, 3),
      p.limits?.regime ?? "",
    ]),
  };
}

/** A plan section a team can paste into a design document. */
export function planMarkdown(p: Plan): string {
  const lines = [
    `## Training plan: ${p.gpus} × ${p.gpu}, ${p.days.toPrecision(4)} days`,
    "",
    "| quantity | value |",
    "| --- | --- |",
    ...planRows(p).map(([k, v]) => `| ${k} | ${v.replace(/\|/g, "\\|")} |`),
    "",
  ];
  if (p.alternatives.length > 0) {
    lines.push("### Alternatives within 0.5 % of the loss", "", "| model | params | tokens | loss | MFU |", "| --- | --- | --- | --- | --- |");
    for (const a of p.alternatives) lines.push(`| ${a.name} | ${formatSI(a.params, 3)} | ${formatSI(a.tokens, 3)} | ${a.loss.toFixed(4)} | ${pct(a.mfu)} |`);
    lines.push("");
  }
  if (p.warnings.length > 0) lines.push("### Warnings", "", ...p.warnings.map((w) => `- ${w}`), "");
  lines.push(`Method: ${p.method}. Law: ${p.law.name} (${p.law.source}); N counts ${p.law.paramsCounted}. Loss interval: ${p.loss.interval}.`, "");
  return lines.join("\n");
}
