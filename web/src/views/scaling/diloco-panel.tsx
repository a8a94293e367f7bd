// The Scaling view's DiLoCo panel: M replicas synchronising every H steps across sites against synchronous data
// parallelism — communication, the loss cost of the replicas (Charles et al. 2025) and the crossover — as
// `scaleplan diloco`.
import { Checkbox } from "../../components/field.tsx";
import { NumberField } from "../../components/number-field.tsx";
import { TaskStatus } from "../../components/task-status.tsx";
import { useTask } from "../../worker/use-task.ts";
import { DilocoResults } from "./diloco-results.tsx";
import { DEFAULT_DILOCO_INPUT, pickFields, type DilocoInput } from "./panel-inputs.ts";

type TextKey = Exclude<keyof DilocoInput, "dilocoOverlap">;

/** The panel's numeric fields: state key, task field (its error), label, unit. */
const FIELDS: ReadonlyArray<readonly [TextKey, string, string, string]> = [
  ["dilocoParams", "params", "Model parameters", "N"],
  ["dilocoReplicas", "replicas", "Replicas (sites)", "M"],
  ["dilocoSyncEvery", "syncEvery", "Sync every", "H inner steps"],
  ["dilocoNodes", "nodes", "Nodes in total", "GPUs/TPUs"],
  ["dilocoBatch", "batch", "Global batch", "tokens"],
  ["dilocoNodeFlops", "nodeFlops", "Achieved FLOP/s per node", "FLOP/s"],
  ["dilocoBandwidth", "bandwidth", "Inter-site bandwidth", "Gbit/s per node"],
  ["dilocoLatency", "latency", "Inter-site latency", "s"],
  ["dilocoWithinBandwidth", "withinBandwidth", "Within-site bandwidth", "Gbit/s per node"],
  ["dilocoWithinLatency", "withinLatency", "Within-site latency", "s"],
  ["dilocoOuterBits", "outerBits", "Outer-gradient bits", "16 = BF16"],
  ["dilocoFragments", "fragments", "Streaming fragments", "P"],
];

const fieldId = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function DilocoPanel(props: { state: DilocoInput; update: (patch: Partial<DilocoInput>) => void }) {
  const input = pickFields(props.state, DEFAULT_DILOCO_INPUT);
  const task = useTask("diloco", input);
  const errors = task.fieldErrors["diloco"] ?? {};
  return (
    <section class="panel law-panel" aria-labelledby="diloco-heading">
      <h3 id="diloco-heading">DiLoCo across datacenters: loss cost of M replicas, communication, crossover</h3>
      <p class="hint">
        DiLoCo trains one replica per site and all-reduces the outer gradient across sites every H steps (Douillard et al. 2023; Streaming DiLoCo
        2025); the loss of M replicas is Charles et al. 2025's law at D = 20N. Communication: their App. A.2 all-reduce bound. The same report as{" "}
        <code>scaleplan diloco</code> (docs/diloco.md).
      </p>
      <div class="grid">
        {FIELDS.map(([key, field, label, unit]) => (
          <NumberField key={key} id={fieldId(key)} label={label} unit={unit} value={input[key]} error={errors[field]} onInput={(v) => props.update({ [key]: v })} />
        ))}
        <Checkbox id="diloco-overlap" label="Overlap the outer exchange with compute" checked={input.dilocoOverlap} onChange={(dilocoOverlap) => props.update({ dilocoOverlap })} />
      </div>
      <TaskStatus task={task} hasResult={task.result !== null} busy="Computing…" done="Computed" />
      {task.result ? <DilocoResults r={task.result} inputs={input} /> : null}
    </section>
  );
}
