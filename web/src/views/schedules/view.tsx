// View 3: design learning-rate schedules in the CLI's spec language, see them, predict their loss curves with a
// published Multi-Power Law fit, and copy the PyTorch snippet; below, the reusable-sweep planner and Hägele et al.'s
// schedule studies (computed once the schedules are on screen).
import { SCHEDULE_KINDS } from "../../../../src/core/schedule/spec.ts";
import { TaskStatus } from "../../components/task-status.tsx";
import { useLatchAfterPaint } from "../../components/use-latch.ts";
import { useLazyComponent } from "../../components/use-lazy.ts";
import { useTask } from "../../worker/use-task.ts";
import { ScheduleEditor } from "./schedule-editor.tsx";
import { ScheduleResults } from "./schedule-results.tsx";
import { schedulesTaskInput, type SchedulesState } from "./state.ts";
import { SweepPlanner } from "./sweep-view.tsx";

export function SchedulesView(props: { state: SchedulesState; onChange: (state: SchedulesState) => void }) {
  const { state, onChange } = props;
  const computation = useTask("schedules", schedulesTaskInput(state));
  const results = computation.result;
  // The schedule study (its code and its task) loads only after the schedules' first answer: it adds nothing before it.
  const StudyPanel = useLazyComponent(useLatchAfterPaint(computation.run > 0), loadStudyPanel);

  return (
    <div class="schedules">
      <h2>Schedules: design, compare, predict the loss</h2>
      <p class="intro">
        Write schedules in the same language as <code>scaleplan schedule</code> (<code>KIND:key=value,…</code>, kinds {SCHEDULE_KINDS.filter((k) => k !== "table").join(", ")}).
        The loss is predicted by the published Multi-Power Law fits of Luo et al. (2025), fitted on runs with peak LR 3e-4 and a 2160-step
        warmup from 0 (for other LR scales, treat it as a shape, not a forecast), or by your own fit from <code>scaleplan curve fit --json</code>.
      </p>
      <div class="columns">
        <ScheduleEditor state={state} errors={computation.fieldErrors} onChange={onChange} />
        <section class="panel results" aria-labelledby="schedule-results-heading">
          <h3 id="schedule-results-heading">Results</h3>
          <TaskStatus task={computation} hasResult={results !== null && results !== undefined} busy="Computing…" done="Computed" />
          {results ? <ScheduleResults results={results} state={state} onChange={onChange} /> : null}
        </section>
      </div>
      <SweepPlanner state={state} onChange={onChange} />
      {StudyPanel ? <StudyPanel state={state} onChange={onChange} /> : null}
    </div>
  );
}

const loadStudyPanel = () => import("./study-panel.tsx").then((m) => m.StudyPanel);
