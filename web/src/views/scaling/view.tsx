// View 2: fit a Chinchilla-form scaling law to your runs (Approach 3), see it against the data and the
// compute-optimal frontier with its bootstrap band, allocate a budget, and compare with a published law; below, the
// laws beyond dense BF16 training on one site (MoE, low precision, DiLoCo), computed once the fit is on screen.
import { useTask } from "../../worker/use-task.ts";
import { useLatchAfterPaint } from "../../components/use-latch.ts";
import { useLazyComponent } from "../../components/use-lazy.ts";
import { TaskStatus } from "../../components/task-status.tsx";
import { FitResults } from "./fit-results.tsx";
import { RunsForm } from "./runs-form.tsx";
import { scalingTaskInput, type ScalingState } from "./state.ts";

export function ScalingView(props: { state: ScalingState; onChange: (state: ScalingState) => void }) {
  const { state, onChange } = props;
  const computation = useTask("scaling", scalingTaskInput(state));
  const r = computation.result;
  const update = (patch: Partial<ScalingState>) => onChange({ ...state, ...patch });
  // The law panels (their code and their tasks) load only after the fit's first answer: they add nothing before it.
  const LawPanels = useLazyComponent(useLatchAfterPaint(computation.run > 0), loadLawPanels);

  return (
    <div class="scaling">
      <h2>Scaling laws: fit your runs, find the compute-optimal frontier</h2>
      <p class="intro">
        Fits L(N, D) = E + A/N^α + B/D^β to final losses by Chinchilla's Approach 3 (Huber loss on log residuals, a grid of L-BFGS starts),
        with bootstrap refits for the intervals: the same fit as <code>scaleplan fit</code>. Columns N (parameters), D (tokens) or C (FLOP),
        and loss are recognised by name.
      </p>
      <div class="columns">
        <RunsForm state={state} errors={computation.fieldErrors["scaling"] ?? {}} onChange={onChange} />
        <section class="panel results" aria-labelledby="fit-heading">
          <h3 id="fit-heading">Fit</h3>
          <TaskStatus task={computation} hasResult={r !== null && r !== undefined} busy="Fitting…" done="Fitted" progressLabel="Fit progress" />
          {r ? <FitResults r={r} state={state} /> : null}
        </section>
      </div>
      {LawPanels ? <LawPanels state={state} update={update} /> : null}
    </div>
  );
}

const loadLawPanels = () => import("./law-panels.tsx").then((m) => m.LawPanels);
