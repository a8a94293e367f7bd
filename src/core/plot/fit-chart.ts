import * as Plot from "@observablehq/plot";
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
}

const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";

/**
 * Renders a fit-vs-data chart with Observable Plot into `document` (the browser's, or linkedom's in Node).
 * Lines and dots that share a name share a colour; lines are labelled at their last point.
 */
export function fitChartSvg(spec: FitChartSpec, document: Document): SVGSVGElement {
  const lineRows = spec.lines.flatMap((s) => s.points.map((p) => ({ series: s.name, x: p.x, y: p.y })));
  const dotRows = spec.dots.flatMap((s) => s.points.map((p) => ({ series: s.name, x: p.x, y: p.y })));
  const bandRows = (spec.bands ?? []).flatMap((b) => b.points.map((p) => ({ series: b.name, x: p.x, lo: p.lo, hi: p.hi })));
  const names = [...new Set([...spec.lines.map((s) => s.name), ...spec.dots.map((s) => s.name), ...(spec.bands ?? []).map((b) => b.name)])];
  const last = spec.lines.filter((s) => s.points.length > 0).map((s) => ({ series: s.name, ...s.points[s.points.length - 1]! }));
  const marks: Plot.Markish[] = [
    Plot.areaY(bandRows, { x: "x", y1: "lo", y2: "hi", z: "series", fill: "series", fillOpacity: 0.18 }),
    Plot.dot(dotRows, { x: "x", y: "y", stroke: "series", r: 2.4, strokeOpacity: 0.8 }),
    Plot.line(lineRows, { x: "x", y: "y", z: "series", stroke: "series", strokeWidth: 1.6 }),
    Plot.text(last, { x: "x", y: "y", text: "series", fill: "series", dx: 6, textAnchor: "start", fontSize: 11 }),
  ];
  const figure = Plot.plot({
    document,
    width: spec.width ?? 760,
    height: spec.height ?? 460,
    marginRight: 150,
    marginLeft: 60,
    marginBottom: 45,
    style: { fontFamily: FONT, fontSize: "12px", background: "white" },
    x: { type: spec.xLog ? "log" : "linear", label: spec.xLabel, labelAnchor: "center", grid: true, ...decadeTicks(spec.xLog, [...lineRows, ...dotRows].map((r) => r.x)) },
    y: { type: spec.yLog ? "log" : "linear", label: spec.yLabel, labelAnchor: "center", grid: true, ...decadeTicks(spec.yLog, [...lineRows, ...dotRows].map((r) => r.y)) },
    color: { type: "categorical", domain: names },
    marks,
  });
  const svg = (figure.tagName.toLowerCase() === "svg" ? figure : figure.querySelector("svg")) as unknown as SVGSVGElement;
  addTitle(svg, spec.title, document);
  return svg;
}

/** Decade ticks labelled 1e21, 1e22, … on log axes spanning more than 3 decades (SI prefixes misread FLOP). */
function decadeTicks(log: boolean | undefined, values: readonly number[]): { ticks?: number[]; tickFormat?: (d: number) => string } {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (!log || positive.length === 0) return {};
  const lo = Math.ceil(Math.log10(Math.min(...positive)));
  const hi = Math.floor(Math.log10(Math.max(...positive)));
  if (hi - lo < 3) return {};
  const step = Math.max(1, Math.ceil((hi - lo + 1) / 12));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += step) ticks.push(10 ** e);
  return { ticks, tickFormat: (d: number) => `1e${Math.round(Math.log10(d))}` };
}

function addTitle(svg: SVGSVGElement, title: string, document: Document): void {
  const ns = "http://www.w3.org/2000/svg";
  const height = Number(svg.getAttribute("height"));
  const width = Number(svg.getAttribute("width"));
  const top = 24;
  svg.setAttribute("height", String(height + top));
  svg.setAttribute("viewBox", `0 ${-top} ${width} ${height + top}`);
  const bg = document.createElementNS(ns, "rect");
  bg.setAttribute("x", "0");
  bg.setAttribute("y", String(-top));
  bg.setAttribute("width", String(width));
  bg.setAttribute("height", String(top));
  bg.setAttribute("fill", "white");
  const text = document.createElementNS(ns, "text");
  text.setAttribute("x", String(width / 2));
  text.setAttribute("y", "-8");
  text.setAttribute("text-anchor", "middle");
  text.setAttribute("font-size", "14");
  text.setAttribute("font-weight", "bold");
  text.setAttribute("font-family", FONT);
  text.textContent = title;
  svg.insertBefore(text, svg.firstChild);
  svg.insertBefore(bg, svg.firstChild);
}
