// Large inputs at their bounds (issue 13): `limits --datacenter-size 2^20` (the layout search over ~200k level
// splits; ~12 s idle before the numeric split keys) and `schedule constant:steps=5000000` as CSV and JSON (built
// ~150 MB of text before streaming). Wall and CPU seconds, and for the schedule the peak heap growth seen while
// writing (streamed output keeps it bounded by one chunk, whatever the step count).
import { findDataMovementGpu } from "../src/core/hardware/lookup.ts";
import { scenarioToSweepOptions } from "../src/core/limits/scenario.ts";
import { runSweep } from "../src/core/limits/sweep.ts";
import { runCli } from "../src/cli/program.ts";
import { MAX_GPUS, MAX_SCHEDULE_STEPS } from "../src/core/config/bounds.ts";

async function time<T>(fn: () => Promise<T> | T): Promise<[T, number, number]> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return [value, (performance.now() - t0) / 1000, (c.user + c.system) / 1e6];
}

/** Runs the CLI in-process into a sink that counts bytes and samples the heap at every write. */
async function cliIntoSink(args: string[]): Promise<{ code: number; bytes: number; peakHeapGrowthMB: number }> {
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let peak = 0;
  let bytes = 0;
  const code = await runCli(args, {
    stdout: (text) => {
      bytes += text.length;
      peak = Math.max(peak, process.memoryUsage().heapUsed - heap0);
    },
    stderr: () => {},
    stderrIsTTY: false,
  });
  return { code, bytes, peakHeapGrowthMB: peak / 1e6 };
}

export default async function bench(log: (line: string) => void): Promise<void> {
  if (!findDataMovementGpu("h100-sxm")) throw new Error("h100-sxm missing from the catalogue");
  const options = scenarioToSweepOptions({ gpu: "h100-sxm", datacenter: { size: MAX_GPUS, bandwidthGBps: 1, latencyS: 1e-3 } });
  const [sweep, wall, cpu] = await time(() => runSweep(options));
  log(`limits, H100 + ${MAX_GPUS.toLocaleString("en-US")}-GPU datacenters (first run in the process): ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU, ${sweep.points.length} points`);
  const [again, wall2, cpu2] = await time(() => runSweep(options));
  if (JSON.stringify(again) !== JSON.stringify(sweep)) throw new Error("the datacenter sweep is not deterministic");
  log(`  same sweep again (level splits memoized): ${wall2.toFixed(2)} s wall, ${cpu2.toFixed(2)} s CPU`);
  for (const format of ["--csv", "--json"]) {
    const spec = `constant:steps=${MAX_SCHEDULE_STEPS}`;
    const [r, w, c] = await time(() => cliIntoSink(["schedule", spec, format]));
    if (r.code !== 0) throw new Error(`schedule ${format} exited ${r.code}`);
    log(`schedule ${spec} ${format}: ${w.toFixed(2)} s wall, ${c.toFixed(2)} s CPU, ${(r.bytes / 1e6).toFixed(0)} MB written, peak heap growth while writing ${r.peakHeapGrowthMB.toFixed(1)} MB`);
  }
}
