// The landing view: one answer for a cluster and a deadline (or budget) — `scaleplan plan` in the browser. The other
// views open from it with the plan's values.
import { useMemo } from "preact/hooks";
import type { LineChartSpec } from "../../../../src/core/plot/line-chart.ts";
import { LOSS_LAW_PRESETS } from "../../../../src/core/scaling/presets.ts";
import { isTwoVariableLaw } from "../../../../src/core/scaling/loss-law.ts";
import { GPU_CATALOGUE } from "../../../../src/core/hardware/catalogue.ts";
import { Field, NumberInput, Select } from "../../components/field.tsx";
import { LineChart } from "../../components/line-chart.tsx";
import { TableView } from "../../components/table-view.tsx";
import { TaskStatus } from "../../components/task-status.tsx";
import type { ViewProps } from "../../view-entry.ts";
import { useTask } from "../../worker/use-task.ts";
import { limitsStateFor, runStateFor, scalingStateFor, schedulesStateFor } from "./links.ts";
import type { PlanState } from "./state.ts";
import type { PlanTaskResult } from "./task.ts";
import type { Plan } from "../../../../src/core/plan/make-plan.ts";

const LAWS = LOSS_LAW_PRESETS.filter(isTwoVariableLaw).map((l) => ({ value: l.id, label: `${l.id}: ${l.name}` }));
const GPUS = GPU_CATALOGUE.map((g) => ({ value: g.id, label: `${g.name} (${g.id})` }));
const FORM_FIELDS = ["gpu", "gpus", "days", "budgetUsd", "usdPerGpuHour", "law", "seqLen", "goodput", "uniqueTokens", "inferenceTokens"];

function lossChart(p: Plan): LineChartSpec {
  const byParams = [...p.candidates].sort((a, b) => a.params - b.params);
  // The optimum is flat: a y axis from 0 would hide it, so the axis spans the candidates' losses.
  const losses = byParams.map((c) => c.loss);
  const lo = Math.min(...losses);
  const hi = Math.max(...losses);
  const pad = (hi - lo) * 0.05 || lo * 0.001;
  return {
    yDomain: [lo - pad, hi + pad],
    title: `Predicted loss vs model size: ${p.gpus} × ${p.gpu}, ${p.days.toPrecision(3)} days`,
    xLabel: "parameters",
    yLabel: `loss (${p.law.id})`,
    xLog: true,
    dots: true,
    series: [
      { name: "candidates", points: byParams.map((c) => ({ x: c.params, y: c.loss })) },
      { name: "alternatives (≤ 0.5 %)", points: [...p.alternatives].sort((a, b) => a.params - b.params).map((c) => ({ x: c.params, y: c.loss })) },
      { name: "plan", points: [{ x: p.model.params, y: p.loss.predicted }] },
    ],
  };
}

function utilizationChart(p: Plan): LineChartSpec | null {
  const l = p.limits;
  if (!l) return null;
  return {
    title: `Utilization vs training compute (${l.gpu}, ${l.months.toFixed(1)} months, data-movement model)`,
    xLabel: "training FLOP",
    yLabel: "utilization",
    xLog: true,
    dots: true,
    series: [
      { name: "limits curve", points: l.curve.map((c) => ({ x: c.flop, y: c.utilization })) },
      { name: "this run (step-model MFU)", points: p.step ? [{ x: p.trainingFlop, y: p.step.mfu }] : [] },
    ],
  };
}

function Headline(props: { p: Plan }) {
  const p = props.p;
  const item = (label: string, value: string, id: string, raw: number) => (
    <div>
      <dt>{label}</dt>
      <dd id={id} data-value={raw}>
        {value}
      </dd>
    </div>
  );
  return (
    <dl class="headline" id="plan-headline">
      {item("Model", `${(p.model.params / 1e9).toFixed(1)}B parameters`, "plan-params", p.model.params)}
      {item("Tokens", `${(p.tokens / 1e12).toFixed(2)}T`, "plan-tokens", p.tokens)}
      {item("Predicted loss", p.loss.predicted.toFixed(4), "plan-loss", p.loss.predicted)}
      {p.step ? item("MFU", `${(p.step.mfu * 100).toFixed(1)} %`, "plan-mfu", p.step.mfu) : null}
      {item("GPU-hours", `${(p.cost.gpuHours / 1e6).toFixed(2)}M`, "plan-gpu-hours", p.cost.gpuHours)}
      {p.cost.usd !== null ? item("Cost", `$${(p.cost.usd / 1e6).toFixed(1)}M`, "plan-usd", p.cost.usd) : null}
    </dl>
  );
}

export function PlanView(props: ViewProps<PlanState>) {
  const { state, onChange, navigate } = props;
  const computation = useTask("plan", state);
  const r = computation.result;
  const errors = computation.fieldErrors["plan"] ?? {};
  const other = Object.entries(errors).filter(([k]) => !FORM_FIELDS.includes(k));
  const set = <K extends keyof PlanState>(key: K) => (value: PlanState[K]) => onChange({ ...state, [key]: value });
  const result = r && "plan" in r ? r : null;
  const p = result?.plan ?? null;
  const num = (key: keyof PlanState, label: string, unit?: string, hint?: string) => (
    <Field id={`plan-${key}`} label={label} {...(unit ? { unit } : {})} {...(hint ? { hint } : {})} error={errors[key]}>
      <NumberInput id={`plan-${key}`} value={state[key] as string} error={errors[key]} inputMode="text" onInput={set(key) as (v: string) => void} hint={hint !== undefined} />
    </Field>
  );

  return (
    <div class="plan">
      <h2>Plan: what to train on this cluster by this deadline</h2>
      <p class="intro">
        The model, the run, the loss it reaches and what it costs, from the layout search and step model (no assumed utilization), a scaling law and a
        reliability model: <code>scaleplan plan</code> in the browser. Method and sources: docs/plan.md.
      </p>
      <div class="columns">
        <section class="panel" aria-labelledby="plan-inputs-heading">
          <h3 id="plan-inputs-heading">Cluster and deadline</h3>
          <Field id="plan-gpu" label="GPU" error={errors["gpu"]}>
            <Select id="plan-gpu" value={state.gpu} options={GPUS} onChange={set("gpu")} />
          </Field>
          {num("gpus", "GPUs")}
          <Field id="plan-mode" label="Limit">
            <Select id="plan-mode" value={state.mode} options={[{ value: "days", label: "a deadline in days" }, { value: "budget", label: "a budget in dollars" }] as const} onChange={set("mode")} />
          </Field>
          {state.mode === "days" ? num("days", "Deadline", "days") : num("budgetUsd", "Budget", "USD")}
          {num("usdPerGpuHour", "Price", "USD per GPU-hour", state.mode === "days" ? "optional: gives the cost in dollars" : undefined)}
          <Field id="plan-law" label="Loss law" error={errors["law"]}>
            <Select id="plan-law" value={state.law} options={LAWS} onChange={set("law")} />
          </Field>
          <Field id="plan-architecture" label="Model family">
            <Select id="plan-architecture" value={state.architecture} options={[{ value: "dense", label: "dense (Llama-style)" }, { value: "moe", label: "MoE (DeepSeek-V3 / Qwen3 / Mixtral layouts)" }] as const} onChange={set("architecture")} />
          </Field>
          {num("seqLen", "Sequence length", "tokens")}
          {num("goodput", "Goodput", "fraction", "empty: the reliability model (Llama 3); 1 switches it off")}
          {num("uniqueTokens", "Unique tokens", "optional", "repeated epochs are discounted (Muennighoff et al. 2023)")}
          {num("inferenceTokens", "Inference tokens", "optional", "among near-optimal models, the cheapest to serve")}
          {other.length > 0 ? (
            <p class="error" role="alert">
              {other.map(([, m]) => m).join("; ")}
            </p>
          ) : null}
        </section>
        <section class="panel results" aria-labelledby="plan-results-heading">
          <h3 id="plan-results-heading">The plan</h3>
          <TaskStatus task={computation} hasResult={p !== null} busy="Planning…" done="Planned" progressLabel="Candidates" progressOnlyWhenKnown />
          {r && "infeasible" in r ? (
            <p class="error" role="alert" id="plan-infeasible">
              {r.infeasible}
            </p>
          ) : null}
          {p && result ? <PlanResults result={result} navigate={navigate} /> : null}
        </section>
      </div>
    </div>
  );
}

/** The plan on screen: the headline, links to the other views, the charts, tables and warnings. */
function PlanResults(props: { result: PlanTaskResult; navigate: ViewProps<PlanState>["navigate"] }) {
  const { result, navigate } = props;
  const p = result.plan;
  const limits = limitsStateFor(p);
  // The same plan gives the same chart objects: an edit elsewhere in the view does not redraw the charts.
  const loss = useMemo(() => lossChart(p), [p]);
  const uChart = useMemo(() => utilizationChart(p), [p]);
  return (
    <>
      {result.estimate ? (
        <p class="notice" id="plan-estimate" role="status">
          First estimate from a coarse grid of candidate models (every third width): the full search and the data-movement verdict are still
          running.
        </p>
      ) : null}
      <Headline p={p} />
      <p id="plan-model">
        {p.model.name}: {p.model.config.layers} layers, hidden {p.model.config.hidden}, {p.model.config.heads} heads ({p.model.config.kvHeads} KV), ffn{" "}
        {p.model.config.ffn}; layout {p.step?.layout ?? "none"}.
      </p>
      <nav class="plan-links" aria-label="Open in another view">
        {result.runYaml ? (
          <button type="button" id="plan-open-run" onClick={() => navigate("run", runStateFor(result.runYaml!))}>
            Open this run in Run
          </button>
        ) : null}
        {limits ? (
          <button type="button" id="plan-open-limits" onClick={() => navigate("limits", limits)}>
            Open {p.limits!.gpu} in Limits
          </button>
        ) : null}
        <button type="button" id="plan-open-schedules" onClick={() => navigate("schedules", schedulesStateFor(p))}>
          Open the schedule in Schedules
        </button>
        <button type="button" id="plan-open-scaling" onClick={() => navigate("scaling", scalingStateFor(p))}>
          Open the law in Scaling laws
        </button>
      </nav>
      <LineChart spec={loss} filename="plan-loss-vs-size" description="Predicted loss of every candidate model evaluated, against its parameter count; the plan and its alternatives marked." />
      {uChart ? <LineChart spec={uChart} filename="plan-utilization-vs-compute" description="The data-movement model's utilization curve for this GPU and duration, with this run's compute and step-model MFU." /> : null}
      <TableView table={result.table} caption="Plan" id="plan-table" />
      {p.alternatives.length > 0 ? <TableView table={result.alternatives} caption="Alternatives within 0.5 % of the loss" id="plan-alternatives" /> : null}
      {p.warnings.length > 0 ? (
        <ul class="warnings" id="plan-warnings">
          {p.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
