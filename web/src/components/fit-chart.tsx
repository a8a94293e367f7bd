import { useRef } from "preact/hooks";
import type { FitChartSpec } from "../../../src/core/plot/fit-chart.ts";
import { useChartCode } from "./chart-code.ts";
import { ChartDownloads } from "./downloads.tsx";
import { mountChart, NARROW_WIDTH, useChartWidth, useDeferredDraw } from "./chart-host.ts";

/** The core's fit-vs-data chart (dots, fitted lines, bootstrap bands), drawn with the browser's document. */
export function FitChart(props: { spec: FitChartSpec; description: string; filename: string }) {
  const host = useRef<HTMLDivElement>(null);
  const width = useChartWidth(host);
  const code = useChartCode();
  useDeferredDraw(
    code &&
      (() => {
        const el = host.current;
        if (!el) return;
        const svg = code.fitChartSvg({ ...props.spec, width, height: width < NARROW_WIDTH ? 320 : 420 }, window.document);
        mountChart(el, svg, props.description, width);
      }),
    [props.spec, props.description, width, code],
  );
  return (
    <>
      <div class="chart" ref={host} />
      <ChartDownloads filename={props.filename} svg={() => host.current?.querySelector("svg") ?? null} />
    </>
  );
}
