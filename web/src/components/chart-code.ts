// The chart renderers (Observable Plot and d3, ~40 % of the app's code) load on their own, in parallel with the
// first computation, so they never delay a view's first numbers on screen.
import { useEffect, useState } from "preact/hooks";

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

/** The chart code, or null until it has loaded (the component re-renders then). */
export function useChartCode(): ChartCode | null {
  const [code, setCode] = useState<ChartCode | null>(loaded);
  useEffect(() => {
    if (code === null) void loadChartCode().then(setCode);
  }, [code]);
  return code;
}
