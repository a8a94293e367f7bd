// `scaleplan plan` speed (issue 10 targets): one cluster ≤ 1 s in-process, the CLI end to end ≤ 2 s, a 6-point
// frontier ≤ 5 s. The first plan in a fresh process includes the JIT warm-up of the layout search and the limits
// sweep for the GPU (cached afterwards); both figures are reported.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeFrontier } from "../src/core/plan/frontier.ts";
import { makePlan } from "../src/core/plan/make-plan.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function time<T>(f: () => T): { value: T; seconds: number } {
  const t = performance.now();
  const value = f();
  return { value, seconds: (performance.now() - t) / 1000 };
}

export default function (log: (line: string) => void): void {
  const input = { gpu: "h100-sxm", gpus: 4096, days: 90 };
  const first = time(() => makePlan(input));
  log(`plan H100 × 4096 × 90 days, first in this process: ${first.seconds.toFixed(2)} s (${first.value.candidates.length} candidates evaluated; chose ${first.value.model.name})`);
  const runs = [0, 1, 2].map(() => time(() => makePlan(input)).seconds).sort((a, b) => a - b);
  log(`plan H100 × 4096 × 90 days, repeated: median ${runs[1]!.toFixed(2)} s (range ${runs[0]!.toFixed(2)}–${runs[2]!.toFixed(2)} s)`);

  const frontier = time(() => makeFrontier({ gpu: "h100-sxm", gpus: [512, 1024, 2048, 4096, 8192, 16384], days: 90 }));
  log(`frontier, 6 cluster sizes 512…16,384 H100 × 90 days: ${frontier.seconds.toFixed(2)} s`);

  // CLI end to end: the bundled CLI (npm run build:cli → dist/cli/scaleplan.js), as an installed package runs it.
  execFileSync("npm", ["run", "build:cli"], { cwd: root, stdio: "ignore" });
  const cli = [0, 1, 2]
    .map(() => time(() => execFileSync("node", ["dist/cli/scaleplan.js", "plan", "--gpu", "h100-sxm", "--gpus", "4096", "--days", "90", "--json"], { cwd: root, stdio: ["ignore", "ignore", "ignore"] })).seconds)
    .sort((a, b) => a - b);
  log(`CLI end to end (node dist/cli/scaleplan.js plan --gpu h100-sxm --gpus 4096 --days 90 --json): median ${cli[1]!.toFixed(2)} s (range ${cli[0]!.toFixed(2)}–${cli[2]!.toFixed(2)} s)`);
}
