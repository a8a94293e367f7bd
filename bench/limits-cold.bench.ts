// The Limits view's first result computed cold (issue 13: first result ≤ 300 ms after page load): the view's default
// request (web/src/first-requests.ts, ?view=limits: the H100 dense sweep) through limitsTask, three times in each of
// RUNS fresh Node processes. The task is bundled with esbuild first, so no TypeScript compile is timed; only the
// task calls are. Wall and process CPU (all threads: V8's background compilers and GC included) per call, median
// and range, with the load average they ran at. SCALEPLAN_BENCH_RUNS sets RUNS (default 9).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const CALLS = 3;

const ENTRY = `
import { firstRequests } from "./web/src/first-requests.ts";
import { limitsTask } from "./web/src/views/limits/task.ts";
const request = firstRequests("?view=limits")[0];
const wall = [];
const cpu = [];
for (let i = 0; i < ${CALLS}; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  limitsTask(request.input, () => {});
  wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
console.log(JSON.stringify({ wall, cpu }));`;

const ms = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[s.length >> 1]!.toFixed(0)} ms (${s[0]!.toFixed(0)}–${s.at(-1)!.toFixed(0)})`;
};

export default async function (log: (line: string) => void): Promise<void> {
  const runs = Number(process.env["SCALEPLAN_BENCH_RUNS"] ?? 9);
  const dir = mkdtempSync(join(tmpdir(), "limits-cold-"));
  try {
    const script = join(dir, "limits-cold.mjs");
    const out = await build({ stdin: { contents: ENTRY, resolveDir: root, loader: "ts", sourcefile: "limits-cold.ts" }, bundle: true, platform: "node", format: "esm", write: false, logLevel: "silent" });
    writeFileSync(script, out.outputFiles[0]!.text);
    const load = loadavg()[0]!.toFixed(1);
    const results = Array.from({ length: runs }, () => JSON.parse(execFileSync("node", [script], { encoding: "utf8" }).trim()) as { wall: number[]; cpu: number[] });
    for (let call = 0; call < CALLS; call++) {
      log(`limits default sweep, call ${call + 1} in a fresh process: wall ${ms(results.map((r) => r.wall[call]!))}, process CPU ${ms(results.map((r) => r.cpu[call]!))}; ${runs} processes, load average ${load}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
