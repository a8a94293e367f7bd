// Schedule studies (issue 14): the comparisons of Hägele et al. 2024 (arXiv 2405.18392) Figs. 3–6, cosine to 0 vs
// 10 %, and an SWA-vs-cooldown estimate, evaluated with a fitted or published loss-curve law instead of training runs.
// Each study is a list of schedules; each row is one schedule's predicted final loss and its difference to the
// study's reference schedule. The laws' disagreements with the measured runs are in docs/schedule-studies.md.
import { PEAK_LR, requireWithinBound } from "../config/bounds.ts";
import { InputError } from "../errors.ts";
import { scheduleLrArray } from "../schedule/generators.ts";
import { formatScheduleSpec } from "../schedule/spec.ts";
import type { CooldownShape, Schedule, WarmupSpec } from "../schedule/types.ts";
import { extrapolations, worstExtrapolations, type Extrapolation } from "./extrapolation.ts";
import { predictWithFit, type SavedFit } from "./fit-file.ts";

export const STUDY_KINDS = ["fraction", "shape", "length", "lr", "final", "swa"] as const;
export type StudyKind = (typeof STUDY_KINDS)[number];

/** What Hägele et al. show for each study (figure or section of arXiv 2405.18392). */
export const STUDY_TITLES: Readonly<Record<StudyKind, string>> = {
  fraction: "cooldown length vs cosine to 10 % (Hägele et al. Fig. 5)",
  shape: "cooldown shape at 20 % (Fig. 4: 1-sqrt vs linear, gap growing with length)",
  length: "longer runs need shorter cooldowns (Fig. 6: 1-sqrt cooldowns vs cosine)",
  lr: "peak-LR sensitivity, cosine vs 20 % linear cooldown (Fig. 3)",
  final: "final LR: cosine to 0 vs to 10 % (§3, 'max and final LR set independently')",
  swa: "SWA on a constant-LR run vs a 20 % cooldown (§4; SWA modelled as a linear cooldown, see swaAsCooldown)",
};

export interface StudySetup {
  readonly fit: SavedFit;
  /** Total steps T of the base run (the studies also use 2T, 4T, 8T). */
  readonly steps: number;
  readonly peak: number;
  readonly warmup: WarmupSpec;
  /** SWA windows in steps (default 500, 1000, 2500: Hägele et al. §4 used ≈500, up to ≈2500). */
  readonly swaWindows?: readonly number[];
}

export interface StudyRow {
  readonly study: StudyKind;
  readonly label: string;
  readonly spec: string;
  readonly steps: number;
  readonly finalLoss: number;
  /** The curve this row belongs to in the study's figure (study-chart.ts), e.g. "1-sqrt" or "cosine to 10 %". */
  readonly series: string;
  /** Its x in that figure (cooldown fraction, multiple of T, peak-LR multiple, SWA window); null: a flat reference line. */
  readonly x: number | null;
  /** Final loss minus the reference row's (negative: better than the reference). */
  readonly delta: number;
  readonly reference: string;
}

export interface StudyResult {
  readonly rows: readonly StudyRow[];
  /** The furthest extrapolation of each kind among the predictions (for one warning). */
  readonly extrapolation: readonly Extrapolation[];
}

/** Fractions of Fig. 5 (the paper sweeps 5–90 %; the released logs have 10–90 %). */
export const COOLDOWN_FRACTIONS: readonly number[] = [0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8];
const LENGTH_MULTIPLES: readonly number[] = [1, 2, 4, 8];
const LR_MULTIPLES: readonly number[] = [0.25, 0.5, 1, 2, 4];
const DEFAULT_SWA_WINDOWS: readonly number[] = [500, 1000, 2500];

interface Candidate {
  readonly label: string;
  readonly schedule: Schedule;
  readonly series: string;
  readonly x: number | null;
}

function cosine(o: StudySetup, steps: number, final: number, peak = o.peak): Schedule {
  return { kind: "cosine", steps, peak, warmup: o.warmup, final };
}

function wsd(o: StudySetup, steps: number, fraction: number, shape: CooldownShape, final = 0, peak = o.peak): Schedule {
  // Reference semantics: int(f·n) cooldown steps of the TOTAL n (spec §A.2).
  return { kind: "wsd", steps, peak, warmup: o.warmup, cooldownSteps: Math.floor(fraction * steps), shape, final };
}

const pct = (f: number) => `${Math.round(f * 1000) / 10} %`;
const shapeName = (s: CooldownShape) => (s === "sqrt" ? "1-sqrt" : s);

function fractionCandidates(o: StudySetup): Candidate[][] {
  const T = o.steps;
  return [[
    { label: "cosine to 10 %", schedule: cosine(o, T, 0.1), series: "cosine to 10 %", x: null },
    ...(["linear", "sqrt"] as const).flatMap((shape) => COOLDOWN_FRACTIONS.map((f) => ({ label: `${shapeName(shape)} ${pct(f)}`, schedule: wsd(o, T, f, shape), series: shapeName(shape), x: f }))),
  ]];
}

function shapeCandidates(o: StudySetup): Candidate[][] {
  const shapes: CooldownShape[] = ["linear", "sqrt", "cosine", "square", "mirror-cosine"];
  return [1, 2, 4].map((m) => shapes.map((s) => ({ label: `${shapeName(s)} 20 %, ${m}T`, schedule: wsd(o, m * o.steps, 0.2, s), series: `${shapeName(s)} 20 %`, x: m })));
}

function lengthCandidates(o: StudySetup): Candidate[][] {
  return LENGTH_MULTIPLES.map((m) => [
    { label: `cosine to 10 %, ${m}T`, schedule: cosine(o, m * o.steps, 0.1), series: "cosine to 10 %", x: m },
    ...[0.05, 0.1, 0.2].map((f) => ({ label: `1-sqrt ${pct(f)}, ${m}T`, schedule: wsd(o, m * o.steps, f, "sqrt"), series: `1-sqrt ${pct(f)}`, x: m })),
  ]);
}

function lrCandidates(o: StudySetup): Candidate[][] {
  return LR_MULTIPLES.map((m) => [
    { label: `cosine to 10 %, peak ×${m}`, schedule: cosine(o, o.steps, 0.1, o.peak * m), series: "cosine to 10 %", x: m },
    { label: `linear 20 %, peak ×${m}`, schedule: wsd(o, o.steps, 0.2, "linear", 0, o.peak * m), series: "linear 20 %", x: m },
  ]);
}

function finalCandidates(o: StudySetup): Candidate[][] {
  return [1, 2].map((m) => [
    { label: `cosine to 10 %, ${m}T`, schedule: cosine(o, m * o.steps, 0.1), series: "cosine to 10 %", x: m },
    { label: `cosine to 1 %, ${m}T`, schedule: cosine(o, m * o.steps, 0.01), series: "cosine to 1 %", x: m },
    { label: `cosine to 0, ${m}T`, schedule: cosine(o, m * o.steps, 0), series: "cosine to 0", x: m },
    { label: `linear 20 % to 10 %, ${m}T`, schedule: wsd(o, m * o.steps, 0.2, "linear", 0.1), series: "linear 20 % to 10 %", x: m },
    { label: `linear 20 % to 0, ${m}T`, schedule: wsd(o, m * o.steps, 0.2, "linear", 0), series: "linear 20 % to 0", x: m },
  ]);
}

/**
 * SWA as a cooldown (our model, stated in docs/schedule-studies.md): the uniform average of the last h iterates of
 * SGD at constant LR η is x̄ = x_{T−h} − Σ_{i<h} η·(1 − (i+1)/h)·g_i, i.e. to first order the iterate of a linear
 * decay to 0 over the last h steps whose gradients g_i are taken on the constant-LR path (Sandler et al. 2023,
 * arXiv 2301.02312, "averaging techniques have equivalent learning rate schedules"). The law then prices SWA as a
 * linear cooldown of h steps. This ignores that those gradients are the noisier constant-LR ones, so it is an
 * optimistic estimate of SWA.
 */
export function swaAsCooldown(o: StudySetup, steps: number, window: number): Schedule {
  return { kind: "wsd", steps, peak: o.peak, warmup: o.warmup, cooldownSteps: window, shape: "linear", final: 0 };
}

function swaCandidates(o: StudySetup): Candidate[][] {
  const windows = o.swaWindows ?? DEFAULT_SWA_WINDOWS;
  return [[
    { label: "linear 20 % cooldown", schedule: wsd(o, o.steps, 0.2, "linear"), series: "linear 20 % cooldown", x: null },
    { label: "constant LR, last iterate", schedule: { kind: "constant", steps: o.steps, peak: o.peak, warmup: o.warmup }, series: "constant LR, last iterate", x: null },
    ...windows.map((h) => ({ label: `constant LR + SWA over ${h} steps`, schedule: swaAsCooldown(o, o.steps, h), series: "constant LR + SWA", x: h })),
  ]];
}

const CANDIDATES: Readonly<Record<StudyKind, (o: StudySetup) => Candidate[][]>> = {
  fraction: fractionCandidates,
  shape: shapeCandidates,
  length: lengthCandidates,
  lr: lrCandidates,
  final: finalCandidates,
  swa: swaCandidates,
};

function checkSetup(o: StudySetup): void {
  if (!(Number.isInteger(o.steps) && o.steps > o.warmup.steps + 10)) throw new InputError("steps", o.steps, `a whole number of steps > warmup + 10 (${o.warmup.steps + 10})`);
  requireWithinBound("peak", o.peak, PEAK_LR);
  for (const h of o.swaWindows ?? []) {
    if (!(Number.isInteger(h) && h >= 1 && h < o.steps - o.warmup.steps)) throw new InputError("swa window", h, `a whole number of steps in [1, ${o.steps - o.warmup.steps - 1}]`);
  }
}

/** Predicted loss at the last step of a schedule. */
export function finalLossOf(fit: SavedFit, schedule: Schedule): number {
  const lr = scheduleLrArray(schedule);
  return predictWithFit(fit, lr, [lr.length - 1])[0]!;
}

/** Runs the chosen studies; each group's first schedule is its reference. `onProgress` counts groups. */
export function runScheduleStudy(o: StudySetup, kinds: readonly StudyKind[] = STUDY_KINDS, onProgress?: (done: number, total: number) => void): StudyResult {
  checkSetup(o);
  const groups = kinds.flatMap((k) => CANDIDATES[k](o).map((g) => ({ kind: k, group: g })));
  const rows: StudyRow[] = [];
  const found: Extrapolation[] = [];
  for (const [i, { kind, group }] of groups.entries()) {
    let ref: number | undefined;
    for (const c of group) {
      const lr = scheduleLrArray(c.schedule);
      const loss = predictWithFit(o.fit, lr, [lr.length - 1])[0]!;
      if (o.fit.domain) found.push(...extrapolations(o.fit.domain, lr, lr.length - 1));
      ref ??= loss;
      rows.push({ study: kind, label: c.label, spec: formatScheduleSpec(c.schedule), steps: c.schedule.steps, finalLoss: loss, series: c.series, x: c.x, delta: loss - ref, reference: group[0]!.label });
    }
    onProgress?.(i + 1, groups.length);
  }
  return { rows, extrapolation: worstExtrapolations(found) };
}
