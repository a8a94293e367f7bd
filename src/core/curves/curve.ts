// A logged training curve: the LR at EVERY step from 0 to the last step, and losses at some of those steps.
import { InputError } from "../errors.ts";
import { parseDecimal } from "../config/number.ts";
import { MAX_SCHEDULE_STEPS } from "../config/bounds.ts";
import { formatExact } from "../format.ts";
import { scheduleLrArray } from "../schedule/generators.ts";
import type { Schedule } from "../schedule/types.ts";

export interface LossCurve {
  readonly name: string;
  /** η_s for s = 0 … lastStep (per-step LR; the laws need every step, not only the logged ones). */
  readonly lr: readonly number[];
  /** Logged losses (increasing steps, each ≤ lastStep). May be empty (prediction only). */
  readonly points: ReadonlyArray<{ readonly step: number; readonly loss: number }>;
}

export interface CurveRow {
  readonly step: number;
  readonly lr?: number;
  readonly loss?: number;
}

/**
 * Parses `step,lr,loss` CSV text (header required; `lr` and `loss` cells may be empty). Steps must increase.
 * `source` names the file in error messages: `A.csv:17: step: ...`.
 */
export function parseCurveCsv(text: string, source: string): CurveRow[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? "").split(",").map((h) => h.trim().toLowerCase());
  const iStep = header.indexOf("step");
  const iLr = header.indexOf("lr");
  const iLoss = header.indexOf("loss");
  if (iStep < 0 || (iLr < 0 && iLoss < 0)) throw new InputError(`${source}:1`, lines[0] ?? "", "a header with columns step,lr,loss");
  const twice = header.find((h, i) => h !== "" && header.indexOf(h) !== i);
  if (twice !== undefined) throw new InputError(`${source}:1: column ${JSON.stringify(twice)}`, twice, "each column name once", `${source}:1: column ${JSON.stringify(twice)} appears twice; expected each column name once`);
  const rows: CurveRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    const cells = line.split(",").map((c) => c.trim());
    const where = `${source}:${i + 1}`;
    const step = parseDecimal(cells[iStep] ?? "") ?? Number.NaN;
    if (!Number.isSafeInteger(step) || step < 0 || step >= MAX_SCHEDULE_STEPS) throw new InputError(`${where}: step`, cells[iStep], `a whole step in [0, ${formatExact(MAX_SCHEDULE_STEPS - 1)}] (every step's LR is held in memory)`);
    const prev = rows[rows.length - 1];
    if (prev && step <= prev.step) throw new InputError(`${where}: step`, step, `a step after ${prev.step} (steps must increase)`);
    const row: { step: number; lr?: number; loss?: number } = { step };
    const lrCell = iLr >= 0 ? (cells[iLr] ?? "") : "";
    if (lrCell !== "") {
      const lr = parseDecimal(lrCell) ?? Number.NaN;
      if (!Number.isFinite(lr) || lr < 0) throw new InputError(`${where}: lr`, lrCell, "an LR >= 0");
      row.lr = lr;
    }
    const lossCell = iLoss >= 0 ? (cells[iLoss] ?? "") : "";
    if (lossCell !== "") {
      const loss = parseDecimal(lossCell) ?? Number.NaN;
      if (!Number.isFinite(loss) || loss <= 0) throw new InputError(`${where}: loss`, lossCell, "a loss > 0 (or empty)");
      row.loss = loss;
    }
    rows.push(row);
  }
  if (rows.length === 0) throw new InputError(source, "", "at least one data row");
  return rows;
}

/**
 * Builds a LossCurve. The LR comes from `schedule` when given (then logged LRs must agree with it to 1e-6
 * relative, which catches a wrong spec), otherwise from the rows, which must then list every step 0 … last.
 */
export function curveFromRows(name: string, rows: readonly CurveRow[], schedule?: Schedule): LossCurve {
  const last = rows[rows.length - 1]!.step;
  const points = rows.filter((r) => r.loss !== undefined).map((r) => ({ step: r.step, loss: r.loss! }));
  if (schedule) {
    const lr = Array.from(scheduleLrArray(schedule, last + 1));
    for (const r of rows) {
      if (r.lr === undefined) continue;
      const want = lr[r.step]!;
      if (Math.abs(r.lr - want) > 1e-6 * Math.max(Math.abs(want), 1e-12)) {
        throw new InputError(`${name}: lr at step ${r.step}`, r.lr, `the --schedule value ${want} (the rows and the schedule disagree)`);
      }
    }
    return { name, lr, points };
  }
  if (rows[0]!.step !== 0 || rows.length !== last + 1 || rows.some((r) => r.lr === undefined)) {
    const missing = rows[0]!.step !== 0 ? 0 : (rows.find((r, i) => r.step !== i || r.lr === undefined)?.step ?? last);
    throw new InputError(`${name}: lr`, `step ${missing}`, "an LR for every step from 0 to the last (or give --schedule SPEC)");
  }
  return { name, lr: rows.map((r) => r.lr!), points };
}

/** Checks the LR is > 0 where the laws take powers of it (every step ≥ 1). */
export function requirePositiveLr(curve: LossCurve): void {
  for (let s = 1; s < curve.lr.length; s++) {
    if (!(curve.lr[s]! > 0)) {
      throw new InputError(`${curve.name}: lr at step ${s}`, curve.lr[s], "an LR > 0 (the loss laws take powers of the LR and of its area)");
    }
  }
}

export interface FitMetrics {
  /** null when the actual losses do not vary (one point). */
  readonly r2: number | null;
  readonly meanRelError: number;
  readonly worstRelError: number;
  readonly points: number;
}

/** R², mean and worst |L − L̂|/L over matched points (spec §C.2 PredE / WorstE). */
export function fitMetrics(actual: readonly number[], predicted: readonly number[]): FitMetrics {
  const n = actual.length;
  let mean = 0;
  for (const a of actual) mean += a / n;
  let ssRes = 0;
  let ssTot = 0;
  let rel = 0;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const a = actual[i]!;
    const p = predicted[i]!;
    ssRes += (a - p) ** 2;
    ssTot += (a - mean) ** 2;
    const e = Math.abs(a - p) / a;
    rel += e / n;
    worst = Math.max(worst, e);
  }
  return { r2: ssTot > 0 ? 1 - ssRes / ssTot : null, meanRelError: rel, worstRelError: worst, points: n };
}
