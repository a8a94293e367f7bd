import * as Plot from "@observablehq/plot";
import { addLegend, addTitle, decadeTicks, FONT, rangeMarks, seriesDash, symbolPath, type MarkedRange, type SymbolType } from "./svg-parts.ts";
import type { Series } from "./line-chart.ts";

/** A band between lo and hi along x (a confidence interval). */
export interface BandSeries {
  readonly name: string;
  readonly points: ReadonlyArray<{ readonly x: number; readonly lo: number; readonly hi: number }>;
}

/** Fitted curves (lines) drawn over observations (dots), with optional shaded bands; one colour per group. */
export interface FitChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly lines: readonly Series[];
  readonly dots: readonly Series[];
  readonly bands?: readonly BandSeries[];
  readonly xLog?: boolean;
  readonly yLog?: boolean;
  readonly width?: number;
  readonly height?: number;
  /** The x range the observations cover (the fitted range): marked, so extrapolation shows. */
  readonly markedRange?: MarkedRange;
}


/**
 * Renders a fit-vs-data chart with Observable Plot into `document` (the browser's, or linkedom's in Node).
 * Lines and dots that share a name share a colour, named in a legend in the right margin.
 */
export function fitChartSvg(spec: FitChartSpec, document: Document): SVGSVGElement {
  const lineRows = spec.lines.flatMap((s) => s.points.map((p) => ({ series: s.name, x: p.x, y: p.y })));
  const dotRows = spec.dots.flatMap((s) => s.points.map((p) => ({ series: s.name, x: p.x, y: p.y })));
  const bandRows = (spec.bands ?? []).flatMap((b) => b.points.map((p) => ({ series: b.name, x: p.x, lo: p.lo, hi: p.hi })));
  const names = [...new Set([...spec.lines.map((s) => s.name), ...spec.dots.map((s) => s.name), ...(spec.bands ?? []).map((b) => b.name)])];
  // Each group's line has its own dash pattern and its dots their own marker: groups differ by more than colour.
  const dashOf = (name: string) => seriesDash(names.indexOf(name));
  const marks: Plot.Markish[] = [
    ...rangeMarks(spec.markedRange),
    Plot.areaY(bandRows, { x: "x", y1: "lo", y2: "hi", z: "series", fill: "series", fillOpacity: 0.18 }),
    Plot.dot(dotRows, { x: "x", y: "y", stroke: "series", symbol: "series", r: 2.6, strokeOpacity: 0.8 }),
    ...spec.lines.map((s) =>
      Plot.line(
        s.points.map((p) => ({ series: s.name, x: p.x, y: p.y })),
        { x: "x", y: "y", stroke: "series", strokeWidth: 1.6, ...(dashOf(s.name) ? { strokeDasharray: dashOf(s.name) } : {}) },
      ),
    ),
  ];
  const width = spec.width ?? 760;
  const height = spec.height ?? 460;
  const marginRight = 150;
  const marginTop = 20;
  const figure = Plot.plot({
    document,
    width,
    height,
    marginTop,
    marginRight,
    marginLeft: 60,
    marginBottom: 45,
    style: { fontFamily: FONT, fontSize: "12px", background: "white" },
    x: { type: spec.xLog ? "log" : "linear", label: spec.xLabel, labelAnchor: "center", grid: true, ...decadeTicks(spec.xLog, [...lineRows, ...dotRows].map((r) => r.x)) },
    y: { type: spec.yLog ? "log" : "linear", label: spec.yLabel, labelAnchor: "center", grid: true, ...decadeTicks(spec.yLog, [...lineRows, ...dotRows].map((r) => r.y)) },
    color: { type: "categorical", domain: names },
    symbol: { domain: names },
    marks,
  });
  const svg = (figure.tagName.toLowerCase() === "svg" ? figure : figure.querySelector("svg")) as unknown as SVGSVGElement;
  const scales = figure as unknown as { scale(name: "color"): { apply(v: string): string }; scale(name: "symbol"): { apply(v: string): SymbolType } | undefined };
  const color = scales.scale("color");
  const symbol = dotRows.length > 0 ? scales.scale("symbol") : undefined;
  const dotted = new Set(spec.dots.map((s) => s.name));
  addLegend(
    svg,
    names.map((name) => ({
      name,
      color: color.apply(name),
      ...(dashOf(name) ? { dash: dashOf(name) } : {}),
      ...(symbol && dotted.has(name) ? { symbol: symbolPath(symbol.apply(name)) } : {}),
    })),
    width - marginRight + 12,
    marginTop,
    document,
    height - marginTop - 45,
  );
  addTitle(svg, spec.title, document);
  return svg;
}

