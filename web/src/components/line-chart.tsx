import type { ComponentChildren, RefObject } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { LineChartSpec } from "../../../src/core/plot/line-chart.ts";
import { useChartCode, type ChartCode } from "./chart-code.ts";
import { ChartDownloads } from "./downloads.tsx";
import { mountChart, NARROW_WIDTH, useChartWidth, useDeferredDraw } from "./chart-host.ts";

/** Which point of which series (indices into spec.series and its points). */
export interface PointRef {
  readonly series: number;
  readonly point: number;
}

const SVG_NS = "http://www.w3.org/2000/svg";

function dotCentre(el: Element): { cx: number; cy: number } {
  if (el.hasAttribute("cx")) return { cx: Number(el.getAttribute("cx")), cy: Number(el.getAttribute("cy")) };
  const m = /translate\(\s*([-0-9.e]+)[ ,]+([-0-9.e]+)\s*\)/.exec(el.getAttribute("transform") ?? "");
  return m ? { cx: Number(m[1]), cy: Number(m[2]) } : { cx: Number.NaN, cy: Number.NaN };
}

/**
 * The core's Observable Plot line chart, drawn with the browser's document and sized to its container.
 * With `onPoint`, the chart is interactive: the pointer (nearest dot) or the arrow keys (when focused) pick a
 * point, which is ringed and reported so the page can show its details.
 */
export function LineChart(props: {
  spec: LineChartSpec;
  description: string;
  onPoint?: (ref: PointRef | null) => void;
  selected?: PointRef | null;
  /** A short label shown next to the selected point. */
  tip?: (ref: PointRef) => ComponentChildren;
  /** File name (without extension) of the chart's SVG and PNG downloads. */
  filename: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const tipBox = useRef<HTMLDivElement>(null);
  const width = useChartWidth(host);
  const dotsRef = useMountedChart(host, props.spec, props.description, width);
  useSelectionRing(host, tipBox, dotsRef, props.selected ?? null);

  const interactive = props.onPoint !== undefined;

  // Mouse: hover. Touch and pen: a tap (pointerdown) picks the nearest point, so every point is reachable by touch.
  const onPointerMove = (event: PointerEvent) => {
    const svg = host.current?.querySelector("svg");
    const matrix = svg?.getScreenCTM();
    if (!svg || !matrix || dotsRef.current.length === 0) return;
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    const best = nearestDot(dotsRef.current, p.x, p.y);
    if (best) props.onPoint?.(best);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const next = pointAfterKey(event.key, props.spec.series, props.selected ?? null);
    if (next === undefined) return;
    if (next === null) {
      props.onPoint?.(null);
      return;
    }
    if (next.point >= 0) {
      event.preventDefault();
      props.onPoint?.(next);
    }
  };

  return (
    <div class="chart-wrap">
      <div
        class="chart"
        ref={host}
        {...(interactive
          ? {
              tabIndex: 0,
              "aria-label": `${props.description}. Use the arrow keys to step through the points.`,
              onPointerMove,
              onPointerDown: onPointerMove,
              onKeyDown,
            }
          : {})}
      />
      <ChartDownloads filename={props.filename} svg={() => host.current?.querySelector("svg") ?? null} />
      {props.tip && props.selected ? (
        <div class="chart-tip" ref={tipBox} aria-hidden="true">
          {props.tip(props.selected)}
        </div>
      ) : null}
    </div>
  );
}

/** A placed dot: which point it draws and its centre in the SVG's own coordinates. */
interface PlacedDot {
  ref: PointRef;
  cx: number;
  cy: number;
}

/** Rings the selected dot (a circle on top, not catching the pointer) and returns the ring. */
function drawSelectionRing(svg: SVGSVGElement, dot: PlacedDot): SVGCircleElement {
  const ring = document.createElementNS(SVG_NS, "circle");
  ring.setAttribute("class", "selection-ring");
  ring.setAttribute("cx", String(dot.cx));
  ring.setAttribute("cy", String(dot.cy));
  ring.setAttribute("r", "7");
  ring.setAttribute("fill", "none");
  ring.setAttribute("stroke", "#111");
  ring.setAttribute("stroke-width", "2");
  ring.setAttribute("pointer-events", "none");
  svg.appendChild(ring);
  return ring;
}

/** Places the tip beside the ring (to its left in the right half of the chart, so it stays inside). */
function placeTip(box: HTMLDivElement, hostEl: HTMLDivElement, ring: SVGCircleElement): void {
  const r = ring.getBoundingClientRect();
  const h = hostEl.getBoundingClientRect();
  const x = r.left + r.width / 2 - h.left;
  const y = r.top + r.height / 2 - h.top;
  const right = x > h.width / 2;
  box.style.left = right ? "" : `${x + 12}px`;
  box.style.right = right ? `${h.width - x + 12}px` : "";
  // Below the point in the upper half, above it in the lower half: the tip never hides the point's own curve segment.
  const below = y < h.height / 2;
  box.style.top = below ? `${y + 14}px` : "";
  box.style.bottom = below ? "" : `${h.height - y + 14}px`;
}

/** The dot nearest to (x, y) in SVG coordinates, if one lies within 40 units. */
function nearestDot(dots: readonly PlacedDot[], x: number, y: number): PointRef | null {
  let best: PointRef | null = null;
  let bestDistance = 40 * 40;
  for (const d of dots) {
    const dist = (d.cx - x) ** 2 + (d.cy - y) ** 2;
    if (dist < bestDistance) {
      bestDistance = dist;
      best = d.ref;
    }
  }
  return best;
}

/**
 * The point a key moves the selection to: left/right along the series, up/down to the previous/next series,
 * Home/End to its ends. Null clears the selection (Escape); undefined means the key does nothing. A point of -1
 * (an empty series) selects nothing.
 */
function pointAfterKey(key: string, series: LineChartSpec["series"], selected: PointRef | null): PointRef | null | undefined {
  if (series.length === 0) return undefined;
  const sel = selected ?? { series: 0, point: -1 };
  const count = series[sel.series]?.points.length ?? 0;
  if (key === "ArrowRight") return { series: sel.series, point: Math.min(count - 1, sel.point + 1) };
  if (key === "ArrowLeft") return { series: sel.series, point: Math.max(0, sel.point - 1) };
  if (key === "ArrowDown" || key === "ArrowUp") {
    const s = (sel.series + (key === "ArrowDown" ? 1 : series.length - 1)) % series.length;
    return { series: s, point: Math.min(Math.max(0, sel.point), (series[s]?.points.length ?? 1) - 1) };
  }
  if (key === "Home") return { series: sel.series, point: 0 };
  if (key === "End") return { series: sel.series, point: count - 1 };
  if (key === "Escape") return null;
  return undefined;
}

/**
 * Draws the chart into `host` at `width` whenever its inputs change (right after the effects pass, so after the
 * view's numbers: chart-host.ts useDeferredDraw), and keeps where each dot landed (for the pointer and the ring).
 */
function useMountedChart(
  host: RefObject<HTMLDivElement | null>,
  spec: LineChartSpec,
  description: string,
  width: number,
): RefObject<PlacedDot[]> {
  const dotsRef = useRef<PlacedDot[]>([]);
  const narrow = width < NARROW_WIDTH;
  const code = useChartCode();
  const draw = () => {
    const el = host.current;
    if (!el || !code) return;
    dotsRef.current = drawLineChart(code, el, { ...spec, width, height: narrow ? 320 : (spec.height ?? 420) }, description);
  };
  useDeferredDraw(code && draw, [spec, description, width, narrow, code]);
  return dotsRef;
}

/** Draws the chart into `el` and returns where each dot landed. */
function drawLineChart(code: ChartCode, el: HTMLElement, spec: LineChartSpec & { width: number }, description: string): PlacedDot[] {
  const svg = code.lineChartSvg(spec, window.document);
  mountChart(el, svg, description, spec.width);
  // Plot draws the dots in data order (no sort channel), i.e. series after series, point after point.
  const refs: PointRef[] = spec.series.flatMap((s, si) => s.points.map((_, pi) => ({ series: si, point: pi })));
  // A dot is a circle (cx, cy) or, with one marker shape per series, a path placed by translate(x,y).
  const dots = Array.from(svg.querySelectorAll("g[aria-label='dot'] > *"));
  return dots.length === refs.length ? dots.map((d, i) => ({ ref: refs[i]!, ...dotCentre(d) })) : [];
}

/**
 * After every render (a drawing re-renders the chart: useDeferredDraw's count changes): the ring around the selected
 * point, and the tip placed beside it.
 */
function useSelectionRing(
  host: RefObject<HTMLDivElement | null>,
  tipBox: RefObject<HTMLDivElement | null>,
  dotsRef: RefObject<PlacedDot[]>,
  selected: PointRef | null,
): void {
  useEffect(() => {
    const svg = host.current?.querySelector("svg");
    if (!svg) return;
    svg.querySelector(".selection-ring")?.remove();
    const sel = selected;
    if (!sel) return;
    const dot = dotsRef.current.find((d) => d.ref.series === sel.series && d.ref.point === sel.point);
    if (!dot) return;
    const ring = drawSelectionRing(svg, dot);
    const box = tipBox.current;
    const hostEl = host.current;
    if (box && hostEl) placeTip(box, hostEl, ring);
  });
}
