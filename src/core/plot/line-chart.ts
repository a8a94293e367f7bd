import * as Plot from "@observablehq/plot";
import { addLegend, addTitle, decadeTicks, FONT, rangeMarks, seriesDash, symbolPath, type MarkedRange, type SymbolType } from "./svg-parts.ts";

/** One named series of (x, y) points. */
export interface Series {
  readonly name: string;
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number }>;
}

/** A line chart described as data, drawn the same way by the CLI (SVG/PNG files) and the web app. */
export interface LineChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly xLog?: boolean;
  readonly yLog?: boolean;
  readonly yDomain?: readonly [number, number];
  readonly width?: number;
  readonly height?: number;
  /** Draw a dot at every point (sweeps) or only lines (dense curves). */
  readonly dots?: boolean;
  /** The x range the data behind the curves covers (a fitted range): marked, so extrapolation shows. */
  readonly markedRange?: MarkedRange;
}


/**
 * Renders the chart to an SVG element with Observable Plot. `document` is the browser's, or linkedom's in Node.
 * Series are labelled at their last point (an SVG legend that survives rasterisation; Plot's own legend is HTML).
 */
export function lineChartSvg(spec: LineChartSpec, document: Document): SVGSVGElement {
  const rows = spec.series.flatMap((s) => s.points.map((p) => ({ series: s.name, x: p.x, y: p.y })));
  const many = spec.series.length > 1;
  // One line mark per series, each with its own dash pattern, and one marker shape per series: series differ by
  // more than colour (WCAG 1.4.1).
  const marks: Plot.Markish[] = [
    Plot.ruleY(spec.yLog ? [] : [0], { stroke: "#999" }),
    ...rangeMarks(spec.markedRange),
    ...spec.series.map((s, i) =>
      Plot.line(
        s.points.map((p) => ({ series: s.name, x: p.x, y: p.y })),
        { x: "x", y: "y", stroke: many ? "series" : "steelblue", strokeWidth: 1.6, ...(many && seriesDash(i) ? { strokeDasharray: seriesDash(i) } : {}) },
      ),
    ),
  ];
  const dots = spec.dots ?? false;
  if (dots) marks.push(Plot.dot(rows, { x: "x", y: "y", fill: many ? "series" : "steelblue", ...(many ? { symbol: "series" } : {}), r: many ? 3 : 2.2 }));
  const width = spec.width ?? 760;
  const marginRight = many ? 170 : 30;
  const marginTop = 20;
  const svg = Plot.plot({
    document,
    width,
    height: spec.height ?? 440,
    marginTop,
    marginRight,
    marginLeft: 60,
    marginBottom: 45,
    style: { fontFamily: FONT, fontSize: "12px", background: "white" },
    title: spec.title,
    x: { type: spec.xLog ? "log" : "linear", label: spec.xLabel, labelAnchor: "center", grid: true, ...decadeTicks(spec.xLog, rows.map((r) => r.x)) },
    y: {
      type: spec.yLog ? "log" : "linear",
      label: spec.yLabel,
      labelAnchor: "center",
      grid: true,
      ...(spec.yDomain ? { domain: [...spec.yDomain] } : {}),
      ...decadeTicks(spec.yLog, rows.map((r) => r.y)),
    },
    color: many ? { type: "categorical", domain: spec.series.map((s) => s.name) } : {},
    ...(many && dots ? { symbol: { domain: spec.series.map((s) => s.name) } } : {}),
    marks,
  });
  // With a title Plot returns a <figure>; the files we write want the bare <svg> with the title drawn inside.
  const element = svg.tagName.toLowerCase() === "svg" ? (svg as unknown as SVGSVGElement) : (svg.querySelector("svg") as SVGSVGElement);
  if (many) {
    const scales = svg as unknown as { scale(name: "color"): { apply(v: string): string }; scale(name: "symbol"): { apply(v: string): SymbolType } };
    const color = scales.scale("color");
    const symbol = dots ? scales.scale("symbol") : null;
    addLegend(
      element,
      spec.series.map((s, i) => ({
        name: s.name,
        color: color.apply(s.name),
        ...(seriesDash(i) ? { dash: seriesDash(i) } : {}),
        ...(symbol ? { symbol: symbolPath(symbol.apply(s.name)) } : {}),
      })),
      width - marginRight + 12,
      marginTop,
      document,
    );
  }
  if (svg.tagName.toLowerCase() !== "svg") addTitle(element, spec.title, document);
  return element;
}

