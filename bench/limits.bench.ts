// Speed of the data-movement engine (issue 2 §5): the H100 dense baseline sweep, then all 16 distinct sweeps
// of the reference's experiment sets. Targets: ≤ 0.13 s and ≤ 3 s (the reference Python takes ~13 s for one).
import { findGpuPreset } from "../src/core/limits/gpus.ts";
import { runSweep, type SweepOptions, type SweepResult } from "../src/core/limits/sweep.ts";

const gpu = (id: string) => findGpuPreset(id)!;

/** The 16 distinct sweeps of the reference notebook's experiment sets (spec §3.3). */
export const REFERENCE_SWEEPS: ReadonlyArray<{ name: string; options: SweepOptions }> = [
  ...["v100-sxm", "a100-sxm", "h100-sxm"].flatMap((id) => [
    { name: `${id} dense`, options: { gpu: gpu(id) } },
    { name: `${id} sparse`, options: { gpu: gpu(id), sparse: true } },
  ]),
  ...["h100-sxm-low-latency", "h100-sxm-global-nvlink", "h100-sxm-global-nvlink-low-latency", "h100-sxm-infinite-network-low-latency"].flatMap((id) => [
    { name: `${id} dense`, options: { gpu: gpu(id) } },
    { name: `${id} sparse`, options: { gpu: gpu(id), sparse: true } },
  ]),
  { name: "h100-sxm dense fixed batch", options: { gpu: gpu("h100-sxm"), batchRule: "fixed" } },
  { name: "h100-sxm dense deepseek batch", options: { gpu: gpu("h100-sxm"), batchRule: "deepseek" } },
];

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const value = fn();
  return [value, (performance.now() - t0) / 1000];
}

function fingerprint(r: SweepResult): string {
  return JSON.stringify(r.points.map((p) => [p.dModel, p.gpus, p.utilization, p.parallelism])) + JSON.stringify(r.summary);
}

export default async function bench(log: (line: string) => void): Promise<void> {
  const baseline: SweepOptions = { gpu: gpu("h100-sxm") };
  const [first, cold] = time(() => runSweep(baseline));
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const [r, s] = time(() => runSweep(baseline));
    if (fingerprint(r) !== fingerprint(first)) throw new Error("H100 dense sweep is not deterministic");
    runs.push(s);
  }
  runs.sort((a, b) => a - b);
  log(`H100 SXM dense baseline sweep: cold ${cold.toFixed(3)} s, warm median ${runs[2]!.toFixed(3)} s, best ${runs[0]!.toFixed(3)} s (target ≤ 0.13 s)`);
  log(`  ${first.points.length} feasible points, ${first.work.clusterSizesTried} cluster sizes, ${first.work.evaluations} per-level layout evaluations`);

  let total = 0;
  for (const { name, options } of REFERENCE_SWEEPS) {
    const [r, s] = time(() => runSweep(options));
    total += s;
    const end = r.summary.linearScalingEnd;
    log(
      `  ${name.padEnd(48)} ${s.toFixed(3)} s  ${String(r.points.length).padStart(2)} points, linear end ${end === null ? "none" : end.toExponential(2)}, last ${r.summary.lastFeasibleFlop?.toExponential(2)}, stop ${r.summary.firstInfeasibleDModel ?? r.summary.stoppedBy}`,
    );
  }
  log(`All ${REFERENCE_SWEEPS.length} reference sweeps: ${total.toFixed(2)} s (target ≤ 3 s)`);
}
