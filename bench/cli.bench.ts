// Command-line start-up (issue 12 targets on an idle machine: `scaleplan --version` ≤ 0.12 s, `scaleplan limits
// --json` ≤ 0.25 s): the bundled CLI, rebuilt first, timed end to end as a user runs it, next to bare Node.
// With hyperfine installed (apt-get install -y hyperfine) it measures wall and CPU time (user + sys); without it,
// wall time only. Figures: docs/benchmarks.md, "Command-line start-up". Set SCALEPLAN_BENCH_PYTHON=/path/to/script
// to time the authors' Python for the same sweep too (not part of this repository; run from its own folder, Debian's
// python3 with python3-numpy, python3-sympy and python3-matplotlib).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = join(root, "dist", "cli", "scaleplan.js");

const COMMANDS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["node -e 0", ["-e", "0"]],
  ["scaleplan --version", [bundle, "--version"]],
  ["scaleplan limits --json", [bundle, "limits", "--json"]],
];

function hasHyperfine(): boolean {
  return spawnSync("hyperfine", ["--version"]).status === 0;
}

interface HyperfineResult {
  readonly command: string;
  readonly mean: number;
  readonly min: number;
  readonly user: number;
  readonly system: number;
}

function withHyperfine(log: (line: string) => void, runs: number): void {
  const out = join(mkdtempSync(join(tmpdir(), "scaleplan-bench-")), "hyperfine.json");
  const commands = COMMANDS.map(([, args]) => ["node", ...args].join(" "));
  const python = process.env["SCALEPLAN_BENCH_PYTHON"];
  execFileSync("hyperfine", ["-N", "--warmup", "3", "--runs", String(runs), "--export-json", out, ...commands], { cwd: root, stdio: "ignore" });
  const results = (JSON.parse(readFileSync(out, "utf8")) as { results: HyperfineResult[] }).results;
  COMMANDS.forEach(([label], i) => {
    const r = results[i]!;
    log(`${label.padEnd(24)} wall mean ${(r.mean * 1000).toFixed(0)} ms (min ${(r.min * 1000).toFixed(0)} ms), CPU ${((r.user + r.system) * 1000).toFixed(0)} ms`);
  });
  if (python !== undefined) {
    execFileSync("hyperfine", ["-N", "--runs", "3", "--export-json", out, `/usr/bin/python3 ${python}`], { cwd: dirname(python), stdio: "ignore" });
    const r = (JSON.parse(readFileSync(out, "utf8")) as { results: HyperfineResult[] }).results[0]!;
    log(`authors' Python sweep     wall mean ${r.mean.toFixed(1)} s (min ${r.min.toFixed(1)} s), CPU ${(r.user + r.system).toFixed(1)} s`);
  }
}

function wallOnly(log: (line: string) => void, runs: number): void {
  for (const [label, args] of COMMANDS) {
    const times: number[] = [];
    for (let i = 0; i < runs + 3; i++) {
      const t0 = performance.now();
      spawnSync("node", args, { cwd: root, stdio: "ignore" });
      if (i >= 3) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    log(`${label.padEnd(24)} wall median ${times[times.length >> 1]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)} ms; install hyperfine for CPU time)`);
  }
}

export default function (log: (line: string) => void): void {
  execFileSync("npm", ["run", "build:cli"], { cwd: root, stdio: "ignore" });
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  log(`load average ${load} (the targets are for an idle machine)`);
  if (hasHyperfine()) withHyperfine(log, 20);
  else wallOnly(log, 20);
}
