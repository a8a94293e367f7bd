// The Plan view's first result (issue 13: ≤ 300 ms after page load): makePlan's first estimate (onEstimate) and the
// full plan, each in a fresh Node process (bench/plan-estimate-child.ts), cold (first plan in the process) and
// warm-uncached (the JIT warmed by a plan for another GPU count, the layout searches not cached). Wall times,
// median and range of RUNS processes, with the load average they ran at.
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = 5;

interface Times {
  readonly estimate: number;
  readonly full: number;
}

function once(gpus: number, warm: boolean): Times {
  const out = execFileSync("node", ["--import", "tsx", join("bench", "plan-estimate-child.ts"), String(gpus), warm ? "warm" : "cold"], { cwd: root, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").at(-1)!) as Times;
}

const ms = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[s.length >> 1]!.toFixed(0)} ms (${s[0]!.toFixed(0)}–${s.at(-1)!.toFixed(0)})`;
};

export default function (log: (line: string) => void): void {
  for (const warm of [false, true]) {
    const load = loadavg()[0]!.toFixed(1);
    const runs = Array.from({ length: RUNS }, () => once(4096, warm));
    log(
      `plan H100 × 4096 × 90 days, ${warm ? "warm JIT, uncached searches" : "cold process"}: first estimate ${ms(runs.map((r) => r.estimate))}, full plan ${ms(runs.map((r) => r.full))}; ${RUNS} fresh processes, load average ${load}`,
    );
  }
}
