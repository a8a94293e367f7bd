import type { FitChartSpec } from "../plot/fit-chart.ts";
import { chinchillaLoss, chinchillaOptimum } from "./chinchilla-law.ts";
import type { Approach3Fit, RunPoint } from "./approach3.ts";
import { groupIsoFlop, type Approach2Fit } from "./approach2.ts";
import { centralInterval } from "./percentile.ts";
import { maxOf, minOf } from "../util/extent.ts";

const label = (c: number) => `C≈${c.toExponential(1).replace("e+", "e")}`;

/**
 * Loss vs N per compute budget: the runs (dots) grouped into ~`bins` log-spaced bands of C = 6ND, and the fitted
 * law along each band's median C (lines: L(N, C/(6N)), the IsoFLOP curve of the fit).
 */
export function approach3FitChart(fit: Pick<Approach3Fit, "law">, points: readonly RunPoint[], bins = 6): FitChartSpec {
  const lc = points.map((p) => Math.log10(6 * p.n * p.d));
  const span = maxOf(lc) - minOf(lc);
  const groups = groupIsoFlop(points, span / bins + 1e-9);
  const lines: Array<FitChartSpec["lines"][number]> = [];
  const dots: Array<FitChartSpec["dots"][number]> = [];
  for (const g of groups) {
    const cs = g.map((p) => 6 * p.n * p.d).sort((u, v) => u - v);
    const c = cs[Math.floor(cs.length / 2)]!;
    const name = label(c);
    dots.push({ name, points: g.map((p) => ({ x: p.n, y: p.loss })) });
    const lo = Math.log(minOf(g.map((p) => p.n)) / 1.5);
    const hi = Math.log(maxOf(g.map((p) => p.n)) * 1.5);
    const curve = Array.from({ length: 60 }, (_, i) => {
      const n = Math.exp(lo + ((hi - lo) * i) / 59);
      return { x: n, y: chinchillaLoss(fit.law, n, c / (6 * n)) };
    });
    lines.push({ name, points: curve });
  }
  return { title: "Fitted law vs runs: loss against N per compute budget (IsoFLOP)", xLabel: "parameters N", yLabel: "loss (nats/token)", lines, dots, xLog: true };
}

/** N_opt(C) of the fit with its bootstrap band, from flopsLo to flopsHi. */
export function frontierChart(fit: Pick<Approach3Fit, "law" | "bootstrap">, flopsLo: number, flopsHi: number): FitChartSpec {
  const k = 40;
  const cs = Array.from({ length: k }, (_, i) => flopsLo * (flopsHi / flopsLo) ** (i / (k - 1)));
  const line = cs.map((c) => ({ x: c, y: chinchillaOptimum(fit.law, c).n }));
  const samples = fit.bootstrap?.samples ?? [];
  const level = fit.bootstrap?.level ?? 0.95;
  const bands =
    samples.length >= 2
      ? [
          {
            name: "N_opt",
            points: cs.map((c) => {
              const [lo, hi] = centralInterval(samples.map(([E, A, B, alpha, beta]) => chinchillaOptimum({ E, A, B, alpha, beta }, c).n), level);
              return { x: c, lo, hi };
            }),
          },
        ]
      : [];
  return {
    title: `Compute-optimal model size N_opt(C)${samples.length >= 2 ? ` with ${Math.round(level * 100)}% bootstrap band` : ""}`,
    xLabel: "training compute C (FLOP)",
    yLabel: "N_opt (parameters)",
    lines: [{ name: "N_opt", points: line }],
    dots: [],
    bands,
    xLog: true,
    yLog: true,
  };
}

/** Approach 2: each IsoFLOP profile's runs (dots) and its fitted parabola in ln N (line), vertex marked by the curve's minimum. */
export function approach2Chart(fit: Pick<Approach2Fit, "profiles">, points: readonly RunPoint[], groupTolerance: number): FitChartSpec {
  const groups = groupIsoFlop(points, groupTolerance);
  const lines: Array<FitChartSpec["lines"][number]> = [];
  const dots: Array<FitChartSpec["dots"][number]> = [];
  for (const p of fit.profiles) {
    const name = label(p.flops);
    // The profile's C is its group's median C = 6ND (as in fitApproach2), which identifies the group exactly.
    const group = groups.find((g) => {
      const cs = g.map((q) => 6 * q.n * q.d).sort((u, v) => u - v);
      return cs[Math.floor(cs.length / 2)] === p.flops;
    });
    if (group) dots.push({ name, points: group.map((q) => ({ x: q.n, y: q.loss })) });
    const lo = Math.log(p.nRange[0]);
    const hi = Math.log(p.nRange[1]);
    const [p0, p1, p2] = p.parabola;
    lines.push({ name, points: Array.from({ length: 40 }, (_, i) => { const x = lo + ((hi - lo) * i) / 39; return { x: Math.exp(x), y: p0 + p1 * x + p2 * x * x }; }) });
  }
  return { title: "Approach 2: IsoFLOP profiles and their parabolas in ln N", xLabel: "parameters N", yLabel: "loss (nats/token)", lines, dots, xLog: true };
}
