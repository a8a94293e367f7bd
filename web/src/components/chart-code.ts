// The chart renderers (Observable Plot and d3, ~250 KB, the largest chunk) load on their own once the view's first
// numbers are on screen: evaluated earlier, they competed for the page's thread and the machine's two cores with
// the first computation and delayed the first result (bench/web.bench.ts; docs/web-app.md).
import { useEffect, useState } from "preact/hooks";
import { FIRST_RESULT_MARK } from "../worker/use-task.ts";

export interface ChartCode {
  readonly lineChartSvg: typeof import("../../../src/core/plot/line-chart.ts").lineChartSvg;
  readonly fitChartSvg: typeof import("../../../src/core/plot/fit-chart.ts").fitChartSvg;
}

let loaded: ChartCode | null = null;
let loading: Promise<ChartCode> | null = null;

/** Starts loading the chart code (boot.tsx calls this at once); resolves when it is there. */
export function loadChartCode(): Promise<ChartCode> {
  loading ??= Promise.all([import("../../../src/core/plot/line-chart.ts"), import("../../../src/core/plot/fit-chart.ts")]).then(([line, fit]) => {
    loaded = { lineChartSvg: line.lineChartSvg, fitChartSvg: fit.fitChartSvg };
    return loaded;
  });
  return loading;
}

/** How long after page start the chart code loads anyway (a view whose first task fails never marks a result). */
const CHART_LOAD_FALLBACK_MS = 2000;

/**
 * Starts loading the chart code once every task the opening view runs (`tasks`) has marked its first result
 * (use-task.ts), or after a fallback delay. Waiting for all of them matters for Schedules (two tasks): loading the
 * charts after the first would delay the second.
 */
export function loadChartCodeAfterFirstResults(tasks: readonly string[]): void {
  const done = () => tasks.every((t) => performance.getEntriesByName(FIRST_RESULT_MARK + t, "mark").length > 0);
  const start = () => {
    observer.disconnect();
    clearTimeout(fallback);
    void loadChartCode();
  };
  const observer = new PerformanceObserver(() => {
    if (done()) start();
  });
  observer.observe({ type: "mark" });
  const fallback = setTimeout(start, CHART_LOAD_FALLBACK_MS);
  if (done()) start();
}

/** The chart code, or null until it has loaded (the component re-renders then). */
export function useChartCode(): ChartCode | null {
  const [code, setCode] = useState<ChartCode | null>(loaded);
  useEffect(() => {
    if (code === null) void loadChartCode().then(setCode);
  }, [code]);
  return code;
}
