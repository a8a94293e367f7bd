// A schedule study (study.ts) as the figure Hägele et al. 2024 draw for it: one curve per row series, against the
// study's x (cooldown fraction for Fig. 5, run length for Figs. 4 and 6, peak-LR multiple for Fig. 3, SWA window for
// §4). Rows without an x (the study's reference schedules: cosine to 10 % in Fig. 5, constant LR and the cooldown
// beside SWA) are drawn as flat lines across the x range. Used by `curve study --plot` and the web Schedules view.
import type { LineChartSpec, Series } from "../plot/line-chart.ts";
import { maxOf, minOf } from "../util/extent.ts";
import { STUDY_TITLES, type StudyKind, type StudyRow } from "./study.ts";

interface StudyAxes {
  readonly xLabel: string;
  /** "loss": the predicted final loss; "delta": the difference to each group's reference (groups differ in length). */
  readonly y: "loss" | "delta";
  readonly xLog?: boolean;
}

const AXES: Readonly<Record<StudyKind, StudyAxes>> = {
  fraction: { xLabel: "cooldown fraction of the run", y: "loss" },
  // Losses fall with length: differences to each length's linear (or cosine) run keep the curves on one scale.
  shape: { xLabel: "run length (multiples of T)", y: "delta", xLog: true },
  length: { xLabel: "run length (multiples of T)", y: "delta", xLog: true },
  lr: { xLabel: "peak LR (multiple of the base peak)", y: "loss", xLog: true },
  final: { xLabel: "run length (multiples of T)", y: "delta" },
  swa: { xLabel: "SWA window (steps)", y: "loss" },
};

/** The y label of a study's chart. */
export function studyYLabel(kind: StudyKind): string {
  return AXES[kind].y === "loss" ? "predicted final loss (nats)" : "final loss − reference (nats)";
}

/** The chart of one study's rows (rows of other studies are ignored). `lawName` goes into the title. */
export function studyChart(rows: readonly StudyRow[], kind: StudyKind, lawName: string): LineChartSpec {
  const axes = AXES[kind];
  const own = rows.filter((r) => r.study === kind);
  const y = (r: StudyRow) => (axes.y === "loss" ? r.finalLoss : r.delta);
  const xs = own.flatMap((r) => (r.x === null ? [] : [r.x]));
  const [x0, x1] = [minOf(xs), maxOf(xs)];
  const names = [...new Set(own.map((r) => r.series))];
  const series: Series[] = names.map((name) => {
    const members = own.filter((r) => r.series === name);
    const points = members.every((r) => r.x === null) ? [x0, x1].map((x) => ({ x, y: y(members[0]!) })) : members.filter((r) => r.x !== null).map((r) => ({ x: r.x!, y: y(r) }));
    return { name, points };
  });
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const lo = minOf(ys);
  const hi = maxOf(ys);
  const pad = 0.1 * (hi - lo) + 1e-4;
  return {
    title: `${STUDY_TITLES[kind]}, predicted by ${lawName}`,
    xLabel: axes.xLabel,
    yLabel: studyYLabel(kind),
    yDomain: [lo - pad, hi + pad],
    ...(axes.xLog ? { xLog: true } : {}),
    dots: true,
    series,
  };
}
