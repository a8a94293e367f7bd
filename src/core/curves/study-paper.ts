// The measured differences the schedule studies are compared with: final full-validation losses of the 124M runs
// released with Hägele et al. 2024 / Schaipp et al. 2025 (fabian-sp/lr-scheduling data/*.json), as tabulated in
// spec schedules-and-scaling-laws.md §A.6 [data], at 25k and 50k steps. Ours: the same schedules at T and 2T.
// Where the law orders two schedules differently from the runs, the study says so in one line (`disagreementNote`),
// so that a law's ordering is not read as the paper's finding (docs/schedule-studies.md, issue 14).
import { finalLossOf, type StudyKind, type StudySetup } from "./study.ts";
import type { Schedule } from "../schedule/types.ts";

/**
 * Whether the law orders the two schedules as the measured runs do, over the horizons both have: every measured
 * pair with the same sign ("agrees"), none ("opposite"), some ("mixed"), or nothing measured.
 */
export type SignAgreement = "agrees" | "opposite" | "mixed" | "unmeasured";

export interface PaperComparison {
  readonly quantity: string;
  /** Our law's difference at T and at 2T (nats). */
  readonly ours: readonly [number, number];
  /** The measured difference at 25k and 50k steps (null: not measured). */
  readonly paper: readonly [number | null, number | null];
  readonly paperNote: string;
  readonly agreement: SignAgreement;
  /** The runs' peak LRs of the two schedules (a, b), as §A.6 states them for the 25k runs. */
  readonly runPeaks: readonly [number, number];
  /** Our law's difference at T and 2T with the runs' peak LRs instead of the study's (often past the fitted LRs). */
  readonly oursAtRunPeaks: readonly [number, number];
  readonly agreementAtRunPeaks: SignAgreement;
  /** True when a run peak lies above the highest LR the fit saw (the law extrapolates there). */
  readonly runPeaksExtrapolate: boolean;
  /** The studies (`--only` names) whose rows contain this comparison, the one it belongs to first. */
  readonly studies: readonly StudyKind[];
}

type Build = (o: StudySetup, steps: number, peak: number) => Schedule;
const cos = (final: number): Build => (o, steps, peak) => ({ kind: "cosine", steps, peak, warmup: o.warmup, final });
const wsd = (fraction: number, shape: "linear" | "sqrt"): Build => (o, steps, peak) => ({ kind: "wsd", steps, peak, warmup: o.warmup, cooldownSteps: Math.floor(fraction * steps), shape, final: 0 });
const constant: Build = (o, steps, peak) => ({ kind: "constant", steps, peak, warmup: o.warmup });

/** §A.6 124M table; a − b at 25k / 50k steps, the LRs as the table states them. */
const MEASURED: ReadonlyArray<{ quantity: string; a: Build; b: Build; paper: readonly [number | null, number | null]; note: string; runPeaks: readonly [number, number]; studies: readonly StudyKind[] }> = [
  { quantity: "linear 20 % − cosine to 10 %", a: wsd(0.2, "linear"), b: cos(0.1), paper: [3.0378 - 3.0526, 2.966 - 2.9819], note: "η = 1e-3 both", runPeaks: [1e-3, 1e-3], studies: ["fraction", "lr", "final"] },
  { quantity: "1-sqrt 20 % − linear 20 %", a: wsd(0.2, "sqrt"), b: wsd(0.2, "linear"), paper: [3.0332 - 3.0378, 2.9599 - 2.966], note: "η = 1e-3", runPeaks: [1e-3, 1e-3], studies: ["shape", "fraction"] },
  { quantity: "linear 10 % − linear 20 %", a: wsd(0.1, "linear"), b: wsd(0.2, "linear"), paper: [3.0541 - 3.0378, 2.9825 - 2.966], note: "η = 1e-3", runPeaks: [1e-3, 1e-3], studies: ["fraction"] },
  { quantity: "linear 40 % − linear 20 %", a: wsd(0.4, "linear"), b: wsd(0.2, "linear"), paper: [3.0274 - 3.0378, 2.9548 - 2.966], note: "η = 1e-3", runPeaks: [1e-3, 1e-3], studies: ["fraction"] },
  { quantity: "cosine to 0 − cosine to 10 %", a: cos(0), b: cos(0.1), paper: [3.0349 - 3.0505, 2.9534 - 2.9819], note: "best η of each (2e-3; 10 %: 2e-3 at 25k, 1e-3 at 50k)", runPeaks: [2e-3, 2e-3], studies: ["final"] },
  { quantity: "constant (no cooldown) − linear 20 %", a: constant, b: wsd(0.2, "linear"), paper: [null, 3.1121 - 2.966], note: "constant at η = 5e-4, cooldown at 1e-3", runPeaks: [5e-4, 1e-3], studies: ["swa"] },
];

/** Same sign over every horizon that was measured (a zero difference counts as its own sign). */
export function signAgreement(ours: readonly [number, number], paper: readonly [number | null, number | null]): SignAgreement {
  const pairs = ours.flatMap((o, i) => (paper[i] === null || paper[i] === undefined ? [] : [Math.sign(o) === Math.sign(paper[i]!)]));
  if (pairs.length === 0) return "unmeasured";
  if (pairs.every((same) => same)) return "agrees";
  return pairs.some((same) => same) ? "mixed" : "opposite";
}

export function compareWithPaper(o: StudySetup): PaperComparison[] {
  return MEASURED.map((m) => {
    const at = (steps: number, peakA: number, peakB: number) => finalLossOf(o.fit, m.a(o, steps, peakA)) - finalLossOf(o.fit, m.b(o, steps, peakB));
    const ours: [number, number] = [at(o.steps, o.peak, o.peak), at(2 * o.steps, o.peak, o.peak)];
    const [ra, rb] = m.runPeaks;
    const atRun: [number, number] = [at(o.steps, ra, rb), at(2 * o.steps, ra, rb)];
    return {
      quantity: m.quantity,
      ours,
      paper: m.paper,
      paperNote: m.note,
      agreement: signAgreement(ours, m.paper),
      runPeaks: m.runPeaks,
      oursAtRunPeaks: atRun,
      agreementAtRunPeaks: signAgreement(atRun, m.paper),
      runPeaksExtrapolate: o.fit.domain !== undefined && Math.max(ra, rb) > o.fit.domain.maxLr,
      studies: m.studies,
    };
  });
}

const lrText = (v: number) => v.toExponential().replace(/\.?0+e/, "e");
const signed = (v: number | null) => (v === null ? "-" : `${v >= 0 ? "+" : ""}${v.toFixed(4)}`);

const AGREEMENT_WORDS: Readonly<Record<SignAgreement, string>> = { agrees: "the same sign", opposite: "the opposite sign", mixed: "mixed signs", unmeasured: "nothing measured" };

/**
 * One line for a comparison the law orders differently from the runs (undefined when it agrees or was not
 * measured), with what the law says at the runs' own peak LRs: the MPL's annealing credit is in absolute LR, so its
 * ordering of shapes and final LRs changes with the peak (docs/schedule-studies.md).
 */
export function disagreementNote(p: PaperComparison): string | undefined {
  if (p.agreement === "agrees" || p.agreement === "unmeasured") return undefined;
  const how = p.agreement === "opposite" ? "opposite to" : "not consistently as";
  const [ra, rb] = p.runPeaks;
  const peaks = ra === rb ? `η ${lrText(ra)}` : `η ${lrText(ra)} / ${lrText(rb)}`;
  const past = p.runPeaksExtrapolate ? " (above the fitted LRs)" : "";
  const atRun = `at the runs' ${peaks}${past} it gives ${signed(p.oursAtRunPeaks[0])} / ${signed(p.oursAtRunPeaks[1])}, ${AGREEMENT_WORDS[p.agreementAtRunPeaks]}`;
  return `note: the law orders "${p.quantity}" ${how} the measured 124M runs (law ${signed(p.ours[0])} at T, ${signed(p.ours[1])} at 2T; runs ${signed(p.paper[0])} at 25k, ${signed(p.paper[1])} at 50k; ${atRun}): do not read the law's ordering as the paper's finding (docs/schedule-studies.md)`;
}
