import type { RefObject } from "preact";
import { useEffect, useState, type Inputs } from "preact/hooks";

/** User Timing mark set when the page's first chart is drawn (bench/web.bench.ts reports it beside the first result). */
export const FIRST_CHART_MARK = "scaleplan:first-chart";

/** Charts are drawn at most this wide and never narrower than a phone. */
const MAX_WIDTH = 760;
const MIN_WIDTH = 280;
/** Below this width a chart is drawn shorter and with a smaller title. */
export const NARROW_WIDTH = 520;

/** The width to draw a chart at: its container's, clamped, following resizes. */
export function useChartWidth(host: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(MAX_WIDTH);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? MAX_WIDTH);
      if (w > 0) setWidth(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return width;
}

/**
 * Runs `draw` (building a chart's SVG) right after the effects pass that follows the render which asked for it (a
 * microtask queued from an effect runs once the whole pass is over), and again whenever `inputs` change; a drawing
 * still pending when the inputs change or the chart unmounts is dropped. Preact runs a render's effects after the
 * paint, children's first: drawn inside its own effect, a chart (Observable Plot, 15–45 ms each on this 2-core
 * machine, more when cold) held back every later effect, among them the view's `scaleplan:first-result` mark and
 * the start of the work that follows a first result. Drawn right after the pass, the view's numbers are already on
 * screen, and nothing queued meanwhile (a lazily loaded panel, its workers) delays the chart: a task of its own
 * (setTimeout) let that work go first and doubled the time to the first chart under load.
 * Returns how many times the chart has been drawn, so what is laid over it (the selection ring) can follow.
 */
export function useDeferredDraw(draw: (() => void) | null, inputs: Inputs): number {
  const [drawn, setDrawn] = useState(0);
  useEffect(() => {
    if (draw === null) return undefined;
    let live = true;
    queueMicrotask(() => {
      if (!live) return;
      draw();
      setDrawn((n) => n + 1);
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `inputs` are what `draw` reads
  }, inputs);
  return drawn;
}

/**
 * Puts a chart's SVG into its host as an accessible image that scales with the page. At phone width the title
 * (drawn at 14 px) would overflow: it is shrunk, and squeezed if still too long.
 */
export function mountChart(host: HTMLElement, svg: SVGSVGElement, description: string, width: number): void {
  if (performance.getEntriesByName(FIRST_CHART_MARK, "mark").length === 0) performance.mark(FIRST_CHART_MARK);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", description);
  svg.style.maxWidth = "100%";
  svg.style.height = "auto";
  const title = svg.querySelector<SVGTextElement>("text[font-weight='bold']");
  if (width < NARROW_WIDTH) title?.setAttribute("font-size", "11");
  host.replaceChildren(svg);
  if (title && title.getComputedTextLength() > width - 8) {
    title.setAttribute("textLength", String(width - 8));
    title.setAttribute("lengthAdjust", "spacingAndGlyphs");
  }
}
