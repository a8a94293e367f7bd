// View 4: one concrete run: step time, MFU, memory per GPU and where the time goes (run-config.md), and the
// fastest layouts that fit.
import { Checkbox, Field, NumberInput, TextArea } from "../../components/field.tsx";
import { StackedBar, TableView } from "../../components/table-view.tsx";
import { useTask, type TaskControls, type TaskState } from "../../worker/use-task.ts";
import { CONFIG_NAME, runTaskInput, type RunState } from "./state.ts";
import { TaskStatus } from "../../components/task-status.tsx";
import { DataDownloads } from "../../components/downloads.tsx";
import { toCsv } from "../../../../src/core/table.ts";
import type { RunTaskResult } from "./task.ts";

/** Every table the view shows (summary, time, memory, search), one block each, as `scaleplan step`/`search` print them. */
function runCsv(r: RunTaskResult): string {
  const tables = [
    ["summary", r.summary],
    ["time", r.time],
    ["memory", r.memory],
    ["search", r.search?.table ?? null],
  ] as const;
  return tables
    .flatMap(([name, table]) => (table ? [toCsv({ columns: ["table", ...table.columns], rows: table.rows.map((row) => [name, ...row]) })] : []))
    .join("\n");
}

/** The configuration and the full prediction (and search) as one JSON document. */
function runJson(r: RunTaskResult, state: RunState): string {
  return `${JSON.stringify({ inputs: state, prediction: r.prediction, layout: r.layout, predicted: r.predicted, search: r.search }, null, 2)}\n`;
}

export function RunView(props: { state: RunState; onChange: (state: RunState) => void }) {
  const { state, onChange } = props;
  const computation = useTask("run", runTaskInput(state));
  const errors = computation.fieldErrors["run"] ?? {};

  return (
    <div class="run">
      <h2>Run: step time, MFU and memory of one configuration</h2>
      <p class="intro">
        Edit the run configuration (the YAML of <code>scaleplan step --config</code>: model, hardware, parallelism, training). Errors name the
        line and column as the CLI does, with the configuration called <code>{CONFIG_NAME}</code>.
      </p>
      <div class="columns">
        <ConfigurationPanel state={state} errors={errors} onChange={onChange} />
        <PredictionPanel state={state} computation={computation} />
      </div>
    </div>
  );
}

type RunComputation = TaskState<RunTaskResult> & TaskControls;
type RunPrediction = NonNullable<RunTaskResult["prediction"]>;

/** The left column: the YAML editor, the search switch and how many layouts to list. */
function ConfigurationPanel(props: { state: RunState; errors: Record<string, string>; onChange: (state: RunState) => void }) {
  const { state, errors, onChange } = props;
  return (
    <section class="panel" aria-labelledby="run-config-heading">
      <h3 id="run-config-heading">Configuration</h3>
      <Field id="run-config" label="Run configuration (YAML or JSON)" error={errors["config"]}>
        <TextArea id="run-config" rows={24} value={state.config} error={errors["config"]} onInput={(config) => onChange({ ...state, config })} />
      </Field>
      <Checkbox id="run-search" label="Also search every layout for this model and cluster" checked={state.search} onChange={(search) => onChange({ ...state, search })} />
      <p class="hint" id="run-search-hint">
        As in <code>scaleplan search</code>, a field given under <code>parallelism</code> stays fixed: delete it to search over it (the prediction
        then shows the best layout found).
      </p>
      {state.search ? (
        <Field id="run-top" label="Layouts to list" unit="best first" error={errors["top"]}>
          <NumberInput id="run-top" value={state.top} error={errors["top"]} onInput={(top) => onChange({ ...state, top })} />
        </Field>
      ) : null}
    </section>
  );
}

/** The right column: status, why the configured layout cannot run, the prediction and the layout search. */
function PredictionPanel(props: { state: RunState; computation: RunComputation }) {
  const { state, computation } = props;
  const r = computation.result;
  const p = r?.prediction ?? null;
  return (
    <section class="panel results" aria-labelledby="run-results-heading">
      <h3 id="run-results-heading">Prediction</h3>
      <TaskStatus task={computation} hasResult={r !== null && r !== undefined} busy="Computing…" done="Computed" progressLabel="Search progress" progressOnlyWhenKnown />
      {r?.stepError ? (
        <p class="error" role="alert" id="step-error">
          The configured layout cannot run: {r.stepError}
        </p>
      ) : null}
      {p && r ? (
        <>
          <Headline p={p} />
          {r.predicted === "best-found" ? (
            <p class="note" id="best-found">
              The configuration leaves part of the layout to the search: shown is the best layout found, {r.layout}.
            </p>
          ) : (
            <p>Layout: {r.layout}</p>
          )}
          <MemoryBar p={p} />
          <StepTimeBar p={p} />
          {r.summary ? <TableView table={r.summary} caption="Summary" id="run-summary" /> : null}
          {r.time ? <TableView table={r.time} caption="Step time breakdown (exposed communication)" /> : null}
          {r.memory ? <TableView table={r.memory} caption="Memory per GPU" /> : null}
          <p class="hint">{p.breakdown.flopConvention}.</p>
          <DataDownloads id="run" filename="scaleplan-run" csv={() => runCsv(r)} json={() => runJson(r, state)} />
        </>
      ) : null}
      {r?.search ? <SearchResults search={r.search} /> : null}
    </section>
  );
}

/** Step time, MFU, tokens/s per GPU and memory per GPU with its fits verdict. */
function Headline(props: { p: RunPrediction }) {
  const p = props.p;
  return (
    <dl class="headline" id="run-headline">
      <div>
        <dt>Step time</dt>
        <dd data-value={p.stepTimeSeconds}>{p.stepTimeSeconds.toPrecision(4)} s</dd>
      </div>
      <div>
        <dt>MFU</dt>
        <dd data-value={p.mfu}>{(p.mfu * 100).toFixed(1)} %</dd>
      </div>
      <div>
        <dt>Tokens/s per GPU</dt>
        <dd data-value={p.tokensPerSecondPerGpu}>{p.tokensPerSecondPerGpu.toFixed(1)}</dd>
      </div>
      <div>
        <dt>Memory per GPU</dt>
        <dd data-value={p.memoryPerGpuGiB.total}>
          {p.memoryPerGpuGiB.total.toFixed(1)} GiB{" "}
          <span class={p.fitsInMemory ? "verdict-ok" : "verdict-bad"}>{p.fitsInMemory ? "fits" : "does NOT fit"}</span>
        </dd>
      </div>
    </dl>
  );
}

function MemoryBar(props: { p: RunPrediction }) {
  const p = props.p;
  return (
    <StackedBar
      label="Memory per GPU (most loaded pipeline stage)"
      filename="scaleplan-run-memory"
      unit="GiB"
      parts={[
        { name: "weights", value: p.memoryPerGpuGiB.weights },
        { name: "gradients", value: p.memoryPerGpuGiB.gradients },
        { name: "optimizer states", value: p.memoryPerGpuGiB.optimizer },
        { name: "activations and buffers", value: p.memoryPerGpuGiB.activations },
      ]}
      limit={{ name: "usable HBM", value: p.breakdown.memoryGiB.usable }}
    />
  );
}

function StepTimeBar(props: { p: RunPrediction }) {
  const t = props.p.breakdown.timeSeconds;
  return (
    <StackedBar
      label="Where the step time goes"
      filename="scaleplan-run-time"
      unit="s"
      parts={[
        { name: "compute", value: t.compute },
        { name: "recompute", value: t.recompute },
        { name: "TP comm", value: t.tensorParallelExposed },
        { name: "CP comm", value: t.contextParallelExposed },
        { name: "EP all-to-all", value: t.expertParallelExposed },
        { name: "PP p2p", value: t.pipelineP2pExposed },
        { name: "ZeRO-3 gathers", value: t.zero3GatherExposed },
        { name: "pipeline bubble", value: t.pipelineBubble },
        { name: "DP grad sync", value: t.dataParallelExposed },
        { name: "optimizer", value: t.optimizer },
      ]}
    />
  );
}

/** The layout search's fastest layouts that fit, and how many were evaluated and fit. */
function SearchResults(props: { search: NonNullable<RunTaskResult["search"]> }) {
  const s = props.search;
  return (
    <section aria-labelledby="search-heading">
      <h4 id="search-heading">Fastest layouts that fit on {s.gpus} GPUs</h4>
      <p class="hint">
        {s.considered} valid layouts, {s.evaluated} evaluated (the others provably slower or unable to fit), {s.fitting} of these fit in the {s.usableMemoryGiB.toFixed(1)} GiB usable per GPU
        {s.fitting === 0 ? ` (the smallest any layout needs is ${s.smallestMemoryGiB.toFixed(1)} GiB)` : ""}.
      </p>
      <TableView table={s.table} caption="Layouts, best first" id="search-table" />
    </section>
  );
}
