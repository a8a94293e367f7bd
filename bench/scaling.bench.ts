// Chinchilla Approach 3 speed (issue 3 §4): the full 4,500-start grid, 1,000 bootstrap refits, and the same
// grid with SciPy's L-BFGS-B (bench/scaling_scipy.py) when python3 + scipy are installed.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CHINCHILLA_GRID, fitApproach3, parseRuns, toRunPoints } from "../src/core/scaling/index.ts";

const fixture = fileURLToPath(new URL("../test/fixtures/chinchilla/svg_extracted_data.csv", import.meta.url));

export default async function (log: (line: string) => void): Promise<void> {
  const all = toRunPoints(parseRuns(readFileSync(fixture, "utf8"), fixture), fixture);
  const points = [...all].sort((p, q) => p.loss - q.loss).slice(0, 240);
  const law = (l: { E: number; A: number; B: number; alpha: number; beta: number }) =>
    `E ${l.E.toFixed(4)}, A ${l.A.toFixed(1)}, B ${l.B.toFixed(1)}, alpha ${l.alpha.toFixed(4)}, beta ${l.beta.toFixed(4)}`;

  fitApproach3(points); // warm-up (JIT)
  const gridTimes: number[] = [];
  let full = fitApproach3(points, { grid: CHINCHILLA_GRID });
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    full = fitApproach3(points, { grid: CHINCHILLA_GRID });
    gridTimes.push(performance.now() - t0);
  }
  gridTimes.sort((a, b) => a - b);
  log(`Approach 3, 240 points, 4,500-start Chinchilla grid: ${(gridTimes[1]! / 1000).toFixed(2)} s median of 3 (min ${(gridTimes[0]! / 1000).toFixed(2)} s; target <= 1 s)`);
  log(`  ${full.optimizer.evaluations} objective+gradient evaluations; objective ${full.objective.toExponential(6)}; ${law(full.law)}; a ${full.frontier.a.toFixed(4)}`);
  log(`  ${full.optimizer.startsReachingBest} starts within 0.1% of the optimum; best start on grid boundary: ${full.optimizer.bestStartOnBoundary}`);

  const t1 = performance.now();
  const small = fitApproach3(points);
  log(`Default 243-start grid: ${((performance.now() - t1) / 1000).toFixed(2)} s; same optimum: ${Math.abs(small.objective / full.objective - 1) < 1e-9}`);

  const t2 = performance.now();
  const boot = fitApproach3(points, { bootstrap: 1000, seed: 1 });
  const bootSeconds = (performance.now() - t2) / 1000;
  log(`Default fit + 1,000 bootstrap refits: ${bootSeconds.toFixed(2)} s (target <= 5 s); ${boot.bootstrap!.samples.length} converged`);
  const iv = boot.intervals!;
  log(`  95% CI: E ${iv.E.map((v) => v.toFixed(3)).join("–")}, alpha ${iv.alpha.map((v) => v.toFixed(3)).join("–")}, beta ${iv.beta.map((v) => v.toFixed(3)).join("–")}, a ${iv.a.map((v) => v.toFixed(3)).join("–")}`);

  const py = spawnSync("python3", ["-c", "import scipy, numpy"], { encoding: "utf8" });
  if (py.status !== 0) {
    log("SciPy comparison skipped: python3 with scipy and numpy not found (apt-get install -y python3-scipy)");
    return;
  }
  const script = fileURLToPath(new URL("./scaling_scipy.py", import.meta.url));
  const r = spawnSync("python3", [script, fixture], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    log(`SciPy comparison failed: ${r.stderr.trim().split("\n").pop() ?? ""}`);
    return;
  }
  const s = JSON.parse(r.stdout) as { seconds: number; evaluations: number; objective: number; E: number; A: number; B: number; alpha: number; beta: number; scipy: string };
  log(`SciPy ${s.scipy} L-BFGS-B, analytic gradients, same 4,500 starts: ${s.seconds.toFixed(1)} s, ${s.evaluations} evaluations; objective ${s.objective.toExponential(6)}; ${law(s)}`);
  log(`  speed-up of the TypeScript fitter: ${(s.seconds / (gridTimes[1]! / 1000)).toFixed(0)}x`);
}
