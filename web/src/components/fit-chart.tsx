import { useEffect, useRef, useState } from "preact/hooks";
import { fitChartSvg, type FitChartSpec } from "../../../src/core/plot/fit-chart.ts";

const MAX_WIDTH = 760;

/** The core's fit-vs-data chart (dots, fitted lines, bootstrap bands), drawn with the browser's document. */
export function FitChart(props: { spec: FitChartSpec; description: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(MAX_WIDTH);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? MAX_WIDTH);
      if (w > 0) setWidth(Math.min(MAX_WIDTH, Math.max(280, w)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const svg = fitChartSvg({ ...props.spec, width, height: width < 520 ? 320 : 420 }, window.document);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", props.description);
    svg.style.maxWidth = "100%";
    svg.style.height = "auto";
    el.replaceChildren(svg);
  }, [props.spec, props.description, width]);
  return <div class="chart" ref={host} />;
}
