// The schedule spec language shared by `scaleplan schedule`, `curve --schedule` and the web app:
//   KIND:key=value,key=value,...      lists inside a value use "/" (at=0.8/0.9)
// Kinds: constant, wsd, onecycle (alias cos: the reference cosine baseline), cosine, cos-inf, multistep,
// two-stage, table (table:FILE; the caller supplies the file text).
import { InputError } from "../errors.ts";
import { formatExact } from "../format.ts";
import { parseDecimal } from "../config/number.ts";
import { MAX_SCHEDULE_STEPS, PEAK_LR, requireWithinBound, SCHEDULE_STEPS } from "../config/bounds.ts";
import { COOLDOWN_SHAPES, type CooldownShape, type Schedule, type WarmupSpec } from "./types.ts";

export const SCHEDULE_KINDS = ["constant", "wsd", "onecycle", "cosine", "cos-inf", "multistep", "two-stage", "table"] as const;

const SHAPE_ALIASES: Record<string, CooldownShape> = {
  linear: "linear",
  sqrt: "sqrt",
  "1-sqrt": "sqrt",
  cosine: "cosine",
  square: "square",
  "1-square": "square",
  "mirror-cosine": "mirror-cosine",
  miror_cosine: "mirror-cosine",
  exp: "exp",
};

const KEYS: Record<string, readonly string[]> = {
  constant: ["steps", "peak", "warmup", "warmup-from", "warmup-shape"],
  wsd: ["steps", "peak", "warmup", "warmup-from", "warmup-shape", "cooldown", "cooldown-steps", "shape", "final"],
  onecycle: ["steps", "peak", "warmup", "final", "div", "anneal"],
  cosine: ["steps", "peak", "warmup", "warmup-from", "warmup-shape", "final"],
  "cos-inf": ["steps", "peak", "warmup", "warmup-from", "warmup-shape", "final", "constant-steps"],
  multistep: ["steps", "peak", "warmup", "warmup-from", "warmup-shape", "at", "at-steps", "factors"],
  "two-stage": ["steps", "peak", "warmup", "warmup-from", "warmup-shape", "switch", "factor"],
};

/** The key=value pairs of one spec, read with the error field `${field} ${kind}.${key}`. */
class SpecValues {
  readonly kind: string;
  private readonly field: string;
  private readonly values: Map<string, string>;

  constructor(field: string, kind: string, values: Map<string, string>) {
    this.field = field;
    this.kind = kind;
    this.values = values;
  }

  /** The error field of `key`: "--schedule wsd.cooldown". */
  f(key: string): string {
    return `${this.field} ${this.kind}.${key}`;
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** The text given for `key`, if any. */
  raw(key: string): string | undefined {
    return this.values.get(key);
  }

  /** The decimal number given for `key`, else `fallback` (required when there is none). */
  num(key: string, fallback?: number): number {
    const raw = this.values.get(key);
    if (raw === undefined) {
      if (fallback === undefined) throw new InputError(this.f(key), undefined, "a number (required)");
      return fallback;
    }
    const v = parseDecimal(raw);
    if (v === undefined) throw new InputError(this.f(key), raw, "a finite decimal number");
    return v;
  }

  /** A whole number >= min given for `key`, else `fallback`. */
  int(key: string, min: number, fallback?: number): number {
    const v = this.num(key, fallback);
    if (!Number.isSafeInteger(v) || v < min) throw new InputError(this.f(key), this.values.get(key) ?? v, `a whole number >= ${min}`);
    return v;
  }

  /** The final LR factor in [0, 1]. */
  finalFactor(fallback: number): number {
    const v = this.num("final", fallback);
    if (!(v >= 0 && v <= 1)) throw new InputError(this.f("final"), this.values.get("final"), "a factor in [0, 1]");
    return v;
  }
}

/** The keys every kind has: the run's length, its peak LR and the warmup steps (fewer than the run). */
interface SpecBase {
  readonly steps: number;
  readonly peak: number;
  readonly warmupSteps: number;
}

/** The kind named before the colon (cos is the OneCycle reference baseline) and the text after it. */
function splitKind(text: string, field: string): { kind: string; rest: string } {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(":");
  const rawKind = (colon < 0 ? trimmed : trimmed.slice(0, colon)).toLowerCase();
  const rest = colon < 0 ? "" : trimmed.slice(colon + 1);
  const kind = rawKind === "cos" ? "onecycle" : rawKind;
  if (!(SCHEDULE_KINDS as readonly string[]).includes(kind)) {
    throw new InputError(field, text, `KIND:key=value,... with KIND one of ${SCHEDULE_KINDS.join(", ")}`);
  }
  return { kind, rest };
}

/** key=value pairs, each key one of the kind's and given once. */
function readValues(rest: string, field: string, kind: string): SpecValues {
  const allowed = KEYS[kind]!;
  const values = new Map<string, string>();
  for (const part of rest.split(",").map((p) => p.trim()).filter((p) => p.length > 0)) {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq).trim();
    if (eq < 0 || !allowed.includes(key)) {
      throw new InputError(`${field} ${kind}`, part, `key=value with key one of ${allowed.join(", ")}`);
    }
    if (values.has(key)) throw new InputError(`${field} ${kind}.${key}`, part, `each key once (${key} is given twice)`);
    values.set(key, part.slice(eq + 1).trim());
  }
  return new SpecValues(field, kind, values);
}

function readBase(v: SpecValues): SpecBase {
  const steps = requireWithinBound(v.f("steps"), v.num("steps"), SCHEDULE_STEPS, v.raw("steps"));
  // The peak-LR bound of `curve study/optimize --peak` (config/bounds.ts PEAK_LR): peak=1e300 gave an LR area of 1e302.
  const peak = requireWithinBound(v.f("peak"), v.num("peak", 1), PEAK_LR, v.raw("peak"));
  const warmupSteps = v.int("warmup", 0, 0);
  if (warmupSteps >= steps) {
    throw new InputError(v.f("warmup"), warmupSteps, `fewer warmup steps than the run (steps = ${steps})`);
  }
  return { steps, peak, warmupSteps };
}

/** PyTorch OneCycleLR (the reference's cosine baseline): its own warmup from peak/div and anneal to peak·final. */
function oneCycle(v: SpecValues, { steps, peak, warmupSteps }: SpecBase): Schedule {
  const div = v.num("div", 100);
  if (!(div > 0)) throw new InputError(v.f("div"), div, "a number > 0");
  const final = v.num("final", 0.1);
  if (!(final >= 0)) throw new InputError(v.f("final"), final, "a factor >= 0");
  const anneal = v.raw("anneal") ?? "cos";
  if (anneal !== "cos" && anneal !== "linear") throw new InputError(v.f("anneal"), anneal, "cos or linear");
  if (warmupSteps < 1) throw new InputError(v.f("warmup"), warmupSteps, "a whole number >= 1 (OneCycle needs a warmup phase)");
  return { kind: "onecycle", steps, peak, warmupSteps, divFactor: div, final, anneal };
}

function readWarmup(v: SpecValues, warmupSteps: number): WarmupSpec {
  const from = v.num("warmup-from", 0.01);
  if (!(from >= 0 && from <= 1)) throw new InputError(v.f("warmup-from"), from, "a factor in [0, 1]");
  const shape = v.raw("warmup-shape") ?? "linear";
  if (shape !== "linear" && shape !== "linspace") throw new InputError(v.f("warmup-shape"), shape, "linear or linspace");
  return { steps: warmupSteps, from, shape };
}

function cosInf(v: SpecValues, { steps, peak, warmupSteps }: SpecBase, warmup: WarmupSpec): Schedule {
  const constantSteps = v.int("constant-steps", 0);
  if (steps - constantSteps <= warmupSteps) {
    throw new InputError(v.f("constant-steps"), constantSteps, `fewer than steps − warmup = ${steps - warmupSteps}`);
  }
  return { kind: "cos-inf", steps, peak, warmup, final: v.finalFactor(0.1), constantSteps };
}

/** Warmup-stable-decay: the cooldown as whole steps or (reference: n_anneal_steps = int(fract_decay · n)) a fraction. */
function wsd(v: SpecValues, { steps, peak, warmupSteps }: SpecBase, warmup: WarmupSpec): Schedule {
  let cooldownSteps: number;
  if (v.has("cooldown-steps")) {
    cooldownSteps = v.int("cooldown-steps", 1);
    if (cooldownSteps > steps) throw new InputError(v.f("cooldown-steps"), cooldownSteps, `at most steps = ${steps}`);
  } else {
    const frac = v.num("cooldown", 0.2);
    if (!(frac > 0 && frac <= 1)) throw new InputError(v.f("cooldown"), v.raw("cooldown") ?? frac, "a fraction in (0, 1]");
    // Reference: n_anneal_steps = int(fract_decay * n_iterations).
    cooldownSteps = Math.floor(frac * steps);
    if (cooldownSteps < 1) throw new InputError(v.f("cooldown"), frac, `a fraction giving at least one cooldown step of ${steps}`);
  }
  const rawShape = v.raw("shape") ?? "linear";
  const cdShape = SHAPE_ALIASES[rawShape];
  if (!cdShape) throw new InputError(v.f("shape"), rawShape, COOLDOWN_SHAPES.join(", "));
  const final = v.finalFactor(0);
  if (cdShape === "exp" && !(final > 0)) throw new InputError(v.f("final"), final, "a factor in (0, 1] for shape=exp (φ^t)");
  if (steps - cooldownSteps < warmupSteps) {
    throw new InputError(v.f("cooldown"), v.raw("cooldown") ?? v.raw("cooldown-steps"), `a cooldown that starts after the warmup (${warmupSteps} steps)`);
  }
  return { kind: "wsd", steps, peak, warmup, cooldownSteps, shape: cdShape, final };
}

function twoStage(v: SpecValues, { steps, peak, warmupSteps }: SpecBase, warmup: WarmupSpec): Schedule {
  const at = v.int("switch", 1);
  if (at <= warmupSteps || at >= steps) throw new InputError(v.f("switch"), at, `a step in (${warmupSteps}, ${steps})`);
  const factor = milestoneFactor(v.f("factor"), v.num("factor"), peak);
  return { kind: "multistep", steps, peak, warmup, milestones: [{ step: at, factor }] };
}

/** A milestone's factor: > 0, its LR (peak × factor) inside PEAK_LR's top (factors=1e300 gave an LR of 1e297). */
function milestoneFactor(field: string, factor: number, peak: number): number {
  if (!(factor > 0 && peak * factor <= PEAK_LR.max)) throw new InputError(field, factor, `a factor > 0 keeping peak × factor at most ${formatExact(PEAK_LR.max)} (${PEAK_LR.reason})`);
  return factor;
}

/** Milestones as whole steps (at-steps) or fractions of the run (at, default 0.8/0.9), one factor each. */
function multistep(v: SpecValues, { steps, peak, warmupSteps }: SpecBase, warmup: WarmupSpec): Schedule {
  const factors = list(v.raw("factors"), v.f("factors"));
  let at: number[];
  if (v.has("at-steps")) {
    at = list(v.raw("at-steps"), v.f("at-steps"));
    for (const a of at) if (!Number.isInteger(a)) throw new InputError(v.f("at-steps"), a, "whole steps");
  } else {
    const fr = list(v.raw("at") ?? "0.8/0.9", v.f("at"));
    for (const a of fr) if (!(a > 0 && a < 1)) throw new InputError(v.f("at"), a, "fractions of the run in (0, 1)");
    at = fr.map((a) => Math.floor(a * steps));
  }
  if (at.length !== factors.length) {
    throw new InputError(v.f("factors"), v.raw("factors"), `${at.length} factors, one per milestone`);
  }
  for (let i = 0; i < at.length; i++) {
    if (at[i]! <= warmupSteps || at[i]! >= steps || (i > 0 && at[i]! <= at[i - 1]!)) {
      throw new InputError(v.f("at"), at[i], `increasing steps in (${warmupSteps}, ${steps})`);
    }
    milestoneFactor(v.f("factors"), factors[i]!, peak);
  }
  return { kind: "multistep", steps, peak, warmup, milestones: at.map((step, i) => ({ step, factor: factors[i]! })) };
}

/**
 * Parses a schedule spec. `field` names the option in error messages (e.g. "--schedule");
 * `readTable(name)` returns the text of a `step,lr` CSV for `table:NAME` (the CLI reads the file).
 */
export function parseScheduleSpec(text: string, field = "schedule", readTable?: (name: string) => string): Schedule {
  const { kind, rest } = splitKind(text, field);
  if (kind === "table") {
    if (!readTable) throw new InputError(field, text, "table:FILE where FILE is a step,lr CSV");
    return parseScheduleTable(readTable(rest), `${field} ${rest}`);
  }
  const v = readValues(rest, field, kind);
  const base = readBase(v);
  if (kind === "onecycle") return oneCycle(v, base);
  const warmup = readWarmup(v, base.warmupSteps);
  switch (kind) {
    case "constant":
      return { kind, steps: base.steps, peak: base.peak, warmup };
    case "cosine":
      return { kind, steps: base.steps, peak: base.peak, warmup, final: v.finalFactor(0.1) };
    case "cos-inf":
      return cosInf(v, base, warmup);
    case "wsd":
      return wsd(v, base, warmup);
    case "two-stage":
      return twoStage(v, base, warmup);
    case "multistep":
      return multistep(v, base, warmup);
  }
  throw new InputError(field, text, SCHEDULE_KINDS.join(", "));
}

function list(raw: string | undefined, field: string): number[] {
  if (raw === undefined || raw === "") throw new InputError(field, raw, "a /-separated list of numbers");
  const parts = raw.split("/");
  return parts.map((x) => {
    const v = parseDecimal(x);
    if (v === undefined) throw new InputError(field, x, "a /-separated list of decimal numbers");
    return v;
  });
}

/**
 * A `step,lr` table (header optional, increasing steps, LR > 0) as a schedule. Steps between rows are linearly
 * interpolated; the schedule ends at the last listed step.
 */
export function parseScheduleTable(text: string, field: string): Schedule {
  const points: Array<{ step: number; lr: number }> = [];
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) continue;
    const cells = t.split(",").map((c) => c.trim());
    if (i === 0 && !/^[-+0-9.]/.test(cells[0] ?? "")) continue; // header
    const step = parseDecimal(cells[0] ?? "") ?? Number.NaN;
    const lr = parseDecimal(cells[1] ?? "") ?? Number.NaN;
    if (!Number.isSafeInteger(step) || step < 0 || step >= MAX_SCHEDULE_STEPS) throw new InputError(`${field}:${i + 1} step`, cells[0], `a whole step in [0, ${formatExact(MAX_SCHEDULE_STEPS - 1)}]`);
    // Every LR of a table is at most its peak, so at most PEAK_LR's top; the peak itself is checked below.
    if (!Number.isFinite(lr) || lr <= 0 || lr > PEAK_LR.max) throw new InputError(`${field}:${i + 1} lr`, cells[1], `an LR in (0, ${formatExact(PEAK_LR.max)}] (${PEAK_LR.reason})`);
    const prev = points[points.length - 1];
    if (prev && step <= prev.step) throw new InputError(`${field}:${i + 1} step`, step, `a step after ${prev.step} (steps must increase)`);
    points.push({ step, lr });
  }
  if (points.length === 0) throw new InputError(field, "", "at least one step,lr row");
  let peak = 0;
  for (const p of points) peak = Math.max(peak, p.lr);
  requireWithinBound(`${field} peak`, peak, PEAK_LR);
  return { kind: "table", points, steps: points[points.length - 1]!.step + 1, peak };
}

/** The canonical spec text of a schedule (round-trips through parseScheduleSpec except tables). */
export function formatScheduleSpec(s: Schedule): string {
  const w = "warmup" in s ? s.warmup : undefined;
  const warm = w ? [`warmup=${w.steps}`, `warmup-from=${w.from}`, `warmup-shape=${w.shape}`] : [];
  const head = [`steps=${s.steps}`, `peak=${s.peak}`];
  switch (s.kind) {
    case "constant":
      return `constant:${[...head, ...warm].join(",")}`;
    case "wsd":
      return `wsd:${[...head, ...warm, `cooldown-steps=${s.cooldownSteps}`, `shape=${s.shape}`, `final=${s.final}`].join(",")}`;
    case "onecycle":
      return `onecycle:${[...head, `warmup=${s.warmupSteps}`, `div=${s.divFactor}`, `final=${s.final}`, `anneal=${s.anneal}`].join(",")}`;
    case "cosine":
      return `cosine:${[...head, ...warm, `final=${s.final}`].join(",")}`;
    case "cos-inf":
      return `cos-inf:${[...head, ...warm, `final=${s.final}`, `constant-steps=${s.constantSteps}`].join(",")}`;
    case "multistep":
      return `multistep:${[...head, ...warm, `at-steps=${s.milestones.map((m) => m.step).join("/")}`, `factors=${s.milestones.map((m) => m.factor).join("/")}`].join(",")}`;
    case "table":
      return `table:(${s.points.length} points)`;
  }
}
