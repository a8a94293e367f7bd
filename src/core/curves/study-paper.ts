// The measured differences the schedule studies are compared with: final full-validation losses of the 124M runs
// released with Hägele et al. 2024 / Schaipp et al. 2025 (fabian-sp/lr-scheduling data/*.json), as tabulated in
// spec schedules-and-scaling-laws.md §A.6 [data], at 25k and 50k steps. Ours: the same schedules at T and 2T.
import { finalLossOf, type StudySetup } from "./study.ts";
import type { Schedule } from "../schedule/types.ts";

export interface PaperComparison {
  readonly quantity: string;
  /** Our law's difference at T and at 2T (nats). */
  readonly ours: readonly [number, number];
  /** The measured difference at 25k and 50k steps (null: not measured). */
  readonly paper: readonly [number | null, number | null];
  readonly paperNote: string;
}

type Build = (o: StudySetup, steps: number) => Schedule;
const cos = (final: number): Build => (o, steps) => ({ kind: "cosine", steps, peak: o.peak, warmup: o.warmup, final });
const wsd = (fraction: number, shape: "linear" | "sqrt"): Build => (o, steps) => ({ kind: "wsd", steps, peak: o.peak, warmup: o.warmup, cooldownSteps: Math.floor(fraction * steps), shape, final: 0 });
const constant: Build = (o, steps) => ({ kind: "constant", steps, peak: o.peak, warmup: o.warmup });

/** §A.6 124M table; a − b at 25k / 50k steps, the LRs as the table states them. */
const MEASURED: ReadonlyArray<{ quantity: string; a: Build; b: Build; paper: readonly [number | null, number | null]; note: string }> = [
  { quantity: "linear 20 % − cosine to 10 %", a: wsd(0.2, "linear"), b: cos(0.1), paper: [3.0378 - 3.0526, 2.966 - 2.9819], note: "η = 1e-3 both" },
  { quantity: "1-sqrt 20 % − linear 20 %", a: wsd(0.2, "sqrt"), b: wsd(0.2, "linear"), paper: [3.0332 - 3.0378, 2.9599 - 2.966], note: "η = 1e-3" },
  { quantity: "linear 10 % − linear 20 %", a: wsd(0.1, "linear"), b: wsd(0.2, "linear"), paper: [3.0541 - 3.0378, 2.9825 - 2.966], note: "η = 1e-3" },
  { quantity: "linear 40 % − linear 20 %", a: wsd(0.4, "linear"), b: wsd(0.2, "linear"), paper: [3.0274 - 3.0378, 2.9548 - 2.966], note: "η = 1e-3" },
  { quantity: "cosine to 0 − cosine to 10 %", a: cos(0), b: cos(0.1), paper: [3.0349 - 3.0505, 2.9534 - 2.9819], note: "best η of each (2e-3; 10 %: 2e-3 at 25k, 1e-3 at 50k)" },
  { quantity: "constant (no cooldown) − linear 20 %", a: constant, b: wsd(0.2, "linear"), paper: [null, 3.1121 - 2.966], note: "constant at η = 5e-4, cooldown at 1e-3" },
];

export function compareWithPaper(o: StudySetup): PaperComparison[] {
  return MEASURED.map((m) => {
    const at = (steps: number) => finalLossOf(o.fit, m.a(o, steps)) - finalLossOf(o.fit, m.b(o, steps));
    return { quantity: m.quantity, ours: [at(o.steps), at(2 * o.steps)], paper: m.paper, paperNote: m.note };
  });
}
