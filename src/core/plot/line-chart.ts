import * as Plot from "@observablehq/plot";

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
}

const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";

/**
 * Renders the chart to an SVG element with Observable Plot. `document` is the browser's, or linkedom's in Node.
 * Series are labelled at their last point (an SVG legend that survives rasterisation; Plot's own legend is HTML).
 */
export function lineChartSvg(spec: LineChartSpec, document: Document): SVGSVGElement {
  const rows = spec.series.flatMap((s) => s.points.map((p) => ({ series: s.name, x: p.x, y: p.y })));
  const many = spec.series.length > 1;
  const marks: Plot.Markish[] = [
    Plot.ruleY(spec.yLog ? [] : [0], { stroke: "#999" }),
    Plot.line(rows, { x: "x", y: "y", z: "series", stroke: many ? "series" : "steelblue", strokeWidth: 1.6 }),
  ];
  if (spec.dots ?? false) marks.push(Plot.dot(rows, { x: "x", y: "y", fill: many ? "series" : "steelblue", r: 2.2 }));
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
    x: { type: spec.xLog ? "log" : "linear", label: spec.xLabel, labelAnchor: "center", grid: true, ...logTicks(spec.xLog, rows.map((r) => r.x)) },
    y: {
      type: spec.yLog ? "log" : "linear",
      label: spec.yLabel,
      labelAnchor: "center",
      grid: true,
      ...(spec.yDomain ? { domain: [...spec.yDomain] } : {}),
      ...logTicks(spec.yLog, rows.map((r) => r.y)),
    },
    color: many ? { type: "categorical", domain: spec.series.map((s) => s.name) } : {},
    marks,
  });
  // With a title Plot returns a <figure>; the files we write want the bare <svg> with the title drawn inside.
  const element = svg.tagName.toLowerCase() === "svg" ? (svg as unknown as SVGSVGElement) : (svg.querySelector("svg") as SVGSVGElement);
  if (many) {
    const color = (svg as unknown as { scale(name: "color"): { apply(v: string): string } }).scale("color");
    addLegend(element, spec.series.map((s) => ({ name: s.name, color: color.apply(s.name) })), width - marginRight + 12, marginTop, document);
  }
  if (svg.tagName.toLowerCase() !== "svg") addTitle(element, spec.title, document);
  return element;
}

/** Decade ticks labelled 1e25, 1e26, … (thinned to at most 12) for log axes; Plot's default SI labels misread FLOP. */
function logTicks(log: boolean | undefined, values: readonly number[]): { ticks?: number[]; tickFormat?: (d: number) => string } {
  if (!log) return {};
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return {};
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.ceil(Math.log10(Math.max(...positive)));
  const step = Math.max(1, Math.ceil((hi - lo + 1) / 12));
  const min = Math.min(...positive);
  const max = Math.max(...positive);
  const ticks: number[] = [];
  // Only ticks inside the data's extent: Plot's log domain is the extent, and a tick outside it is drawn off the axis.
  for (let e = lo; e <= hi; e += step) if (10 ** e >= min * (1 - 1e-9) && 10 ** e <= max * (1 + 1e-9)) ticks.push(10 ** e);
  const span = hi - lo;
  return { ticks, tickFormat: (d: number) => (span <= 3 ? String(Number(d.toPrecision(3))) : `1e${Math.round(Math.log10(d))}`) };
}

/** A legend drawn as SVG (swatch + name per series) in the right margin, so it survives PNG rasterisation. */
function addLegend(svg: SVGSVGElement, entries: ReadonlyArray<{ name: string; color: string }>, x: number, y: number, document: Document): void {
  const ns = "http://www.w3.org/2000/svg";
  const group = document.createElementNS(ns, "g");
  group.setAttribute("aria-label", "legend");
  entries.forEach((entry, i) => {
    const cy = y + 8 + i * 18;
    const line = document.createElementNS(ns, "line");
    line.setAttribute("x1", String(x));
    line.setAttribute("x2", String(x + 16));
    line.setAttribute("y1", String(cy));
    line.setAttribute("y2", String(cy));
    line.setAttribute("stroke", entry.color);
    line.setAttribute("stroke-width", "3");
    const text = document.createElementNS(ns, "text");
    text.setAttribute("x", String(x + 22));
    text.setAttribute("y", String(cy + 4));
    text.setAttribute("font-size", "11");
    text.setAttribute("font-family", FONT);
    text.setAttribute("fill", "currentColor");
    text.setAttribute("text-anchor", "start");
    text.textContent = entry.name;
    group.append(line, text);
  });
  svg.append(group);
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
  text.setAttribute("y", String(-8));
  text.setAttribute("text-anchor", "middle");
  text.setAttribute("font-size", "14");
  text.setAttribute("font-weight", "bold");
  text.setAttribute("font-family", FONT);
  text.textContent = title;
  svg.insertBefore(text, svg.firstChild);
  svg.insertBefore(bg, svg.firstChild);
}
