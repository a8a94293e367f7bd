// Speed of the data-movement engine (issue 2 §5): the H100 dense baseline sweep, then all 16 distinct sweeps
// of the reference's experiment sets. Targets: ≤ 0.13 s and ≤ 3 s (the reference Python takes ~13 s for one).
import { readFileSync } from "node:fs";
import { findDataMovementGpu } from "../src/core/hardware/lookup.ts";
import { runSweep, type SweepOptions, type SweepResult } from "../src/core/limits/sweep.ts";

const gpu = (id: string) => findDataMovementGpu(id)!;

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

/** Wall-clock and CPU seconds (CPU shows the work when other processes share the machine). */
function time<T>(fn: () => T): [T, number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const c = process.cpuUsage(c0);
  return [value, (performance.now() - t0) / 1000, (c.user + c.system) / 1e6];
}

/** The authors' own output for the baseline (test fixture): every point must agree. */
function checkAgainstReference(r: SweepResult): string {
  const ref = JSON.parse(readFileSync(new URL("../test/fixtures/limits/limits-h100-sxm-dense.json", import.meta.url), "utf8")) as {
    points: Array<{ gpus: number; utilization: number }>;
  };
  if (ref.points.length !== r.points.length) throw new Error("H100 dense sweep: point count differs from the reference");
  ref.points.forEach((p, i) => {
    const q = r.points[i]!;
    if (Number(q.gpus.toPrecision(4)) !== Number(p.gpus.toPrecision(4)) && Math.abs(q.gpus / p.gpus - 1) > 0.005) throw new Error(`gpus differ at ${q.dModel}`);
    if (Math.abs(q.utilization - p.utilization) > 0.0005) throw new Error(`utilization differs at ${q.dModel}`);
  });
  return "matches the reference output at all 31 points";
}

function fingerprint(r: SweepResult): string {
  return JSON.stringify(r.points.map((p) => [p.dModel, p.gpus, p.utilization, p.parallelism])) + JSON.stringify(r.summary);
}

export default async function bench(log: (line: string) => void): Promise<void> {
  const baseline: SweepOptions = { gpu: gpu("h100-sxm") };
  const [first, cold, coldCpu] = time(() => runSweep(baseline));
  const runs: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < 9; i++) {
    const [r, s, c] = time(() => runSweep(baseline));
    if (fingerprint(r) !== fingerprint(first)) throw new Error("H100 dense sweep is not deterministic");
    runs.push(s);
    cpus.push(c);
  }
  runs.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  log(`H100 SXM dense baseline sweep (target ≤ 0.13 s; the reference Python takes ~13 s):`);
  log(`  first run in this process (includes JIT warm-up): ${cold.toFixed(3)} s wall, ${coldCpu.toFixed(3)} s CPU`);
  log(`  next 9 runs: median ${runs[4]!.toFixed(3)} s wall (best ${runs[0]!.toFixed(3)} s), median ${cpus[4]!.toFixed(3)} s CPU`);
  log(`  ${first.points.length} feasible points, ${first.work.clusterSizesTried} cluster sizes, ${first.work.evaluations} per-level layout evaluations; ${checkAgainstReference(first)}`);

  let total = 0;
  let totalCpu = 0;
  for (const { name, options } of REFERENCE_SWEEPS) {
    const [r, s, c] = time(() => runSweep(options));
    total += s;
    totalCpu += c;
    const end = r.summary.linearScalingEnd;
    log(
      `  ${name.padEnd(48)} ${s.toFixed(3)} s  ${String(r.points.length).padStart(2)} points, linear end ${end === null ? "none" : end.toExponential(2)}, last ${r.summary.lastFeasibleFlop?.toExponential(2)}, stop ${r.summary.firstInfeasibleDModel ?? r.summary.stoppedBy}`,
    );
  }
  log(`All ${REFERENCE_SWEEPS.length} reference sweeps: ${total.toFixed(2)} s wall, ${totalCpu.toFixed(2)} s CPU (target ≤ 3 s)`);
}
