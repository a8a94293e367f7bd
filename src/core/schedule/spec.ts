// The schedule spec language shared by `scaleplan schedule`, `curve --schedule` and the web app:
//   KIND:key=value,key=value,...      lists inside a value use "/" (at=0.8/0.9)
// Kinds: constant, wsd, onecycle (alias cos: the reference cosine baseline), cosine, cos-inf, multistep,
// two-stage, table (table:FILE; the caller supplies the file text).
import { InputError } from "../errors.ts";
import { parseDecimal } from "../config/number.ts";
import { MAX_SCHEDULE_STEPS, requireWithinBound, SCHEDULE_STEPS } from "../config/bounds.ts";
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

/**
 * Parses a schedule spec. `field` names the option in error messages (e.g. "--schedule");
 * `readTable(name)` returns the text of a `step,lr` CSV for `table:NAME` (the CLI reads the file).
 */
export function parseScheduleSpec(text: string, field = "schedule", readTable?: (name: string) => string): Schedule {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(":");
  const rawKind = (colon < 0 ? trimmed : trimmed.slice(0, colon)).toLowerCase();
  const rest = colon < 0 ? "" : trimmed.slice(colon + 1);
  const kind = rawKind === "cos" ? "onecycle" : rawKind;
  if (!(SCHEDULE_KINDS as readonly string[]).includes(kind)) {
    throw new InputError(field, text, `KIND:key=value,... with KIND one of ${SCHEDULE_KINDS.join(", ")}`);
  }
  if (kind === "table") {
    if (!readTable) throw new InputError(field, text, "table:FILE where FILE is a step,lr CSV");
    return parseScheduleTable(readTable(rest), `${field} ${rest}`);
  }
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
  const f = (key: string) => `${field} ${kind}.${key}`;
  const num = (key: string, fallback?: number): number => {
    const raw = values.get(key);
    if (raw === undefined) {
      if (fallback === undefined) throw new InputError(f(key), undefined, "a number (required)");
      return fallback;
    }
    const v = parseDecimal(raw);
    if (v === undefined) throw new InputError(f(key), raw, "a finite decimal number");
    return v;
  };
  const int = (key: string, min: number, fallback?: number): number => {
    const v = num(key, fallback);
    if (!Number.isSafeInteger(v) || v < min) throw new InputError(f(key), values.get(key) ?? v, `a whole number >= ${min}`);
    return v;
  };
  const steps = requireWithinBound(f("steps"), num("steps"), SCHEDULE_STEPS, values.get("steps"));
  const peak = num("peak", 1);
  if (!(peak > 0)) throw new InputError(f("peak"), values.get("peak"), "a number > 0");
  const warmupSteps = int("warmup", 0, 0);
  if (warmupSteps >= steps) {
    throw new InputError(f("warmup"), warmupSteps, `fewer warmup steps than the run (steps = ${steps})`);
  }

  if (kind === "onecycle") {
    const div = num("div", 100);
    if (!(div > 0)) throw new InputError(f("div"), div, "a number > 0");
    const final = num("final", 0.1);
    if (!(final >= 0)) throw new InputError(f("final"), final, "a factor >= 0");
    const anneal = values.get("anneal") ?? "cos";
    if (anneal !== "cos" && anneal !== "linear") throw new InputError(f("anneal"), anneal, "cos or linear");
    if (warmupSteps < 1) throw new InputError(f("warmup"), warmupSteps, "a whole number >= 1 (OneCycle needs a warmup phase)");
    return { kind: "onecycle", steps, peak, warmupSteps, divFactor: div, final, anneal };
  }

  const from = num("warmup-from", 0.01);
  if (!(from >= 0 && from <= 1)) throw new InputError(f("warmup-from"), from, "a factor in [0, 1]");
  const shape = values.get("warmup-shape") ?? "linear";
  if (shape !== "linear" && shape !== "linspace") throw new InputError(f("warmup-shape"), shape, "linear or linspace");
  const warmup: WarmupSpec = { steps: warmupSteps, from, shape };
  const finalFactor = (fallback: number): number => {
    const v = num("final", fallback);
    if (!(v >= 0 && v <= 1)) throw new InputError(f("final"), values.get("final"), "a factor in [0, 1]");
    return v;
  };

  switch (kind) {
    case "constant":
      return { kind, steps, peak, warmup };
    case "cosine":
      return { kind, steps, peak, warmup, final: finalFactor(0.1) };
    case "cos-inf": {
      const constantSteps = int("constant-steps", 0);
      if (steps - constantSteps <= warmupSteps) {
        throw new InputError(f("constant-steps"), constantSteps, `fewer than steps − warmup = ${steps - warmupSteps}`);
      }
      return { kind, steps, peak, warmup, final: finalFactor(0.1), constantSteps };
    }
    case "wsd": {
      let cooldownSteps: number;
      if (values.has("cooldown-steps")) {
        cooldownSteps = int("cooldown-steps", 1);
        if (cooldownSteps > steps) throw new InputError(f("cooldown-steps"), cooldownSteps, `at most steps = ${steps}`);
      } else {
        const frac = num("cooldown", 0.2);
        if (!(frac > 0 && frac <= 1)) throw new InputError(f("cooldown"), values.get("cooldown") ?? frac, "a fraction in (0, 1]");
        // Reference: n_anneal_steps = int(fract_decay * n_iterations).
        cooldownSteps = Math.floor(frac * steps);
        if (cooldownSteps < 1) throw new InputError(f("cooldown"), frac, `a fraction giving at least one cooldown step of ${steps}`);
      }
      const rawShape = values.get("shape") ?? "linear";
      const cdShape = SHAPE_ALIASES[rawShape];
      if (!cdShape) throw new InputError(f("shape"), rawShape, COOLDOWN_SHAPES.join(", "));
      const final = finalFactor(0);
      if (cdShape === "exp" && !(final > 0)) throw new InputError(f("final"), final, "a factor in (0, 1] for shape=exp (φ^t)");
      if (steps - cooldownSteps < warmupSteps) {
        throw new InputError(f("cooldown"), values.get("cooldown") ?? values.get("cooldown-steps"), `a cooldown that starts after the warmup (${warmupSteps} steps)`);
      }
      return { kind, steps, peak, warmup, cooldownSteps, shape: cdShape, final };
    }
    case "two-stage": {
      const at = int("switch", 1);
      if (at <= warmupSteps || at >= steps) throw new InputError(f("switch"), at, `a step in (${warmupSteps}, ${steps})`);
      const factor = num("factor");
      if (!(factor > 0)) throw new InputError(f("factor"), factor, "a factor > 0");
      return { kind: "multistep", steps, peak, warmup, milestones: [{ step: at, factor }] };
    }
    case "multistep": {
      const factors = list(values.get("factors"), f("factors"));
      let at: number[];
      if (values.has("at-steps")) {
        at = list(values.get("at-steps"), f("at-steps"));
        for (const a of at) if (!Number.isInteger(a)) throw new InputError(f("at-steps"), a, "whole steps");
      } else {
        const fr = list(values.get("at") ?? "0.8/0.9", f("at"));
        for (const a of fr) if (!(a > 0 && a < 1)) throw new InputError(f("at"), a, "fractions of the run in (0, 1)");
        at = fr.map((a) => Math.floor(a * steps));
      }
      if (at.length !== factors.length) {
        throw new InputError(f("factors"), values.get("factors"), `${at.length} factors, one per milestone`);
      }
      for (let i = 0; i < at.length; i++) {
        if (at[i]! <= warmupSteps || at[i]! >= steps || (i > 0 && at[i]! <= at[i - 1]!)) {
          throw new InputError(f("at"), at[i], `increasing steps in (${warmupSteps}, ${steps})`);
        }
        if (!(factors[i]! > 0)) throw new InputError(f("factors"), factors[i], "factors > 0");
      }
      return { kind: "multistep", steps, peak, warmup, milestones: at.map((step, i) => ({ step, factor: factors[i]! })) };
    }
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
    if (!Number.isSafeInteger(step) || step < 0 || step >= MAX_SCHEDULE_STEPS) throw new InputError(`${field}:${i + 1} step`, cells[0], `a whole step in [0, ${MAX_SCHEDULE_STEPS - 1}]`);
    if (!Number.isFinite(lr) || lr <= 0) throw new InputError(`${field}:${i + 1} lr`, cells[1], "an LR > 0");
    const prev = points[points.length - 1];
    if (prev && step <= prev.step) throw new InputError(`${field}:${i + 1} step`, step, `a step after ${prev.step} (steps must increase)`);
    points.push({ step, lr });
  }
  if (points.length === 0) throw new InputError(field, "", "at least one step,lr row");
  let peak = 0;
  for (const p of points) peak = Math.max(peak, p.lr);
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
