import * as Plot from "@observablehq/plot";
import { maxOf, minOf } from "../util/extent.ts";
// Pieces shared by every chart: the font, decade ticks for log axes, and a title and legend drawn as SVG (so they
// survive PNG rasterisation; Plot's own title and legend are HTML around the SVG).

export const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";
const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * Decade ticks for a log axis, only inside the data's extent (Plot's log domain is the extent, and a tick outside
 * it is drawn off the axis), thinned to at most 12. Large and small decades read 1e8, 1e25, … (Plot's SI prefixes
 * misread FLOP as "10000Y"), others as plain numbers. Leaves the axis to Plot when no decade falls inside.
 */
export function decadeTicks(log: boolean | undefined, values: readonly number[]): { ticks?: number[]; tickFormat?: (d: number) => string } {
  if (!log) return {};
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return {};
  const lo = Math.ceil(Math.log10(minOf(positive)) - 1e-9);
  const hi = Math.floor(Math.log10(maxOf(positive)) + 1e-9);
  if (hi < lo) return {};
  const step = Math.max(1, Math.ceil((hi - lo + 1) / 12));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += step) ticks.push(10 ** e);
  const label = (d: number): string => {
    const e = Math.round(Math.log10(d));
    return e >= 5 || e <= -4 ? `1e${e}` : String(Number(d.toPrecision(3)));
  };
  return { ticks, tickFormat: label };
}

/** One legend row: the series' colour, and its dash pattern and dot marker when it has them (not colour alone). */
export interface LegendEntry {
  readonly name: string;
  readonly color: string;
  readonly dash?: string;
  /** SVG path data of the series' marker, centred on 0,0 (see symbolPath). */
  readonly symbol?: string;
}

/**
 * Dash patterns given to series in turn, so that series differ by more than colour (WCAG 1.4.1 Use of Color);
 * the first is solid.
 */
export const SERIES_DASHES: readonly string[] = ["", "7 3", "2 3", "9 3 2 3", "14 4", "4 2 1 2"];

/** The dash pattern of series number `i`. */
export function seriesDash(i: number): string {
  return SERIES_DASHES[i % SERIES_DASHES.length]!;
}

/** A d3 symbol type as Plot's symbol scale returns it: it draws itself into a path context. */
export interface SymbolType {
  draw(context: PathContext, size: number): void;
}

interface PathContext {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  closePath(): void;
  arc(x: number, y: number, r: number, a0: number, a1: number): void;
  rect(x: number, y: number, w: number, h: number): void;
}

/** SVG path data of a d3 symbol of area `size` (px²) centred on 0,0, for drawing the marker in a legend. */
export function symbolPath(symbol: SymbolType, size = 48): string {
  const parts: string[] = [];
  const n = (v: number) => String(Math.round(v * 1000) / 1000);
  symbol.draw(
    {
      moveTo: (x, y) => parts.push(`M${n(x)},${n(y)}`),
      lineTo: (x, y) => parts.push(`L${n(x)},${n(y)}`),
      closePath: () => parts.push("Z"),
      // Only full circles are drawn by the symbols Plot uses (d3.symbolCircle).
      arc: (x, y, r) => parts.push(`M${n(x + r)},${n(y)}A${n(r)},${n(r)},0,1,1,${n(x - r)},${n(y)}A${n(r)},${n(r)},0,1,1,${n(x + r)},${n(y)}`),
      // d3.symbolSquare draws itself as one rect.
      rect: (x, y, w, h) => parts.push(`M${n(x)},${n(y)}h${n(w)}v${n(h)}h${n(-w)}Z`),
    },
    size,
  );
  return parts.join("");
}

/** An x range of a chart to mark (the range a law was fitted on): two dashed rules and a label at the top. */
export interface MarkedRange {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

/** Plot marks for a MarkedRange: dashed grey rules at both ends, the label right of the first. */
export function rangeMarks(range: MarkedRange | undefined): Plot.Markish[] {
  if (!range) return [];
  return [
    Plot.ruleX([range.from, range.to], { stroke: "#555", strokeDasharray: "3 3", strokeWidth: 1.2 }),
    Plot.text([range.from], { x: (d: number) => d, text: () => range.label, frameAnchor: "top", textAnchor: "start", dx: 4, dy: 6, fill: "#333", fontSize: 10 }),
  ];
}

/**
 * A legend (swatch + name per series) at (x, y) in the right margin. Rows tighten when many entries must share
 * `room` pixels (e.g. one per IsoFLOP profile).
 */
export function addLegend(
  svg: SVGSVGElement,
  entries: ReadonlyArray<LegendEntry>,
  x: number,
  y: number,
  document: Document,
  room = Number.POSITIVE_INFINITY,
): void {
  const group = document.createElementNS(SVG_NS, "g");
  group.setAttribute("aria-label", "legend");
  const step = Math.min(18, room / Math.max(1, entries.length));
  const fontSize = Math.max(7, Math.min(11, step - 2));
  entries.forEach((entry, i) => {
    const cy = y + 8 + i * step;
    const line = document.createElementNS(SVG_NS, "line");
    line.setAttribute("x1", String(x));
    line.setAttribute("x2", String(x + 16));
    line.setAttribute("y1", String(cy));
    line.setAttribute("y2", String(cy));
    line.setAttribute("stroke", entry.color);
    line.setAttribute("stroke-width", entry.dash ? "2" : "3");
    if (entry.dash) line.setAttribute("stroke-dasharray", entry.dash);

    const text = document.createElementNS(SVG_NS, "text");
    text.setAttribute("x", String(x + 22));
    text.setAttribute("y", String(cy + fontSize / 3));
    text.setAttribute("font-size", String(fontSize));
    text.setAttribute("font-family", FONT);
    text.setAttribute("fill", "currentColor");
    text.setAttribute("text-anchor", "start");
    text.textContent = entry.name;
    group.append(line, text);
    if (entry.symbol) {
      // The marker on top of the line swatch, as the chart draws it.
      const mark = document.createElementNS(SVG_NS, "path");
      mark.setAttribute("d", entry.symbol);
      mark.setAttribute("transform", `translate(${x + 8},${cy})`);
      mark.setAttribute("fill", entry.color);
      mark.setAttribute("stroke", entry.color);
      group.append(mark);
    }
  });
  svg.append(group);
}

/** A bold title above the plot area: the SVG grows by a 24 px band on top. */
export function addTitle(svg: SVGSVGElement, title: string, document: Document): void {
  const height = Number(svg.getAttribute("height"));
  const width = Number(svg.getAttribute("width"));
  const top = 24;
  svg.setAttribute("height", String(height + top));
  svg.setAttribute("viewBox", `0 ${-top} ${width} ${height + top}`);
  const bg = document.createElementNS(SVG_NS, "rect");
  bg.setAttribute("x", "0");
  bg.setAttribute("y", String(-top));
  bg.setAttribute("width", String(width));
  bg.setAttribute("height", String(top));
  bg.setAttribute("fill", "white");
  const text = document.createElementNS(SVG_NS, "text");
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
