import { limitsTask } from "./web/src/views/limits/task.ts";
import { DEFAULT_SCENARIO, DEFAULT_CUSTOM_GPU } from "./web/src/views/limits/state.ts";
for (const n of ["6", "72", "8", "abc", "1e9"]) {
  try { const r = limitsTask({ scenarios: [{ ...DEFAULT_SCENARIO, gpu: "custom", custom: { ...DEFAULT_CUSTOM_GPU, nodeSize: n } }], floor: "0.8" }, () => {}); console.log(n, "ok", r[0]!.maxFeasibleFlop); }
  catch (e) { console.log(n, JSON.stringify((e as any).fields)); }
}
