// Series differ by more than colour (issue 13, WCAG 1.4.1): each gets a dash pattern and a marker shape, shown in
// the legend too, and a marked x range (the fitted range) is drawn. Rendered with linkedom, as the CLI does.
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { fitChartSvg } from "../../src/core/plot/fit-chart.ts";
import { lineChartSvg } from "../../src/core/plot/line-chart.ts";
import { SERIES_DASHES } from "../../src/core/plot/svg-parts.ts";

const { document } = parseHTML("<html><body></body></html>");
const doc = document as unknown as Document;
const names = Array.from({ length: 7 }, (_, i) => `series ${i + 1}`);

describe("chart series styles", () => {
  it("gives every line-chart series its own dash and marker (all seven d3 symbols draw), legend included", () => {
    const svg = lineChartSvg(
      { title: "t", xLabel: "x", yLabel: "y", dots: true, markedRange: { from: 1.2, to: 1.8, label: "fitted range" }, series: names.map((name, i) => ({ name, points: [{ x: 1, y: i }, { x: 2, y: i + 1 }] })) },
      doc,
    );
    const dashes = Array.from(svg.querySelectorAll("g[aria-label='line']")).map((g) => g.getAttribute("stroke-dasharray") ?? g.querySelector("path")?.getAttribute("stroke-dasharray") ?? "");
    expect(new Set(dashes.slice(0, SERIES_DASHES.length)).size).toBe(SERIES_DASHES.length);
    const markers = new Set(Array.from(svg.querySelectorAll("g[aria-label='dot'] > *")).map((d) => d.getAttribute("d")));
    expect(markers.size).toBe(7);
    expect(svg.querySelectorAll("g[aria-label='legend'] path")).toHaveLength(7);
    expect(svg.textContent).toContain("fitted range");
  });

  it("gives fit-chart groups a dash per line and a marker per group of dots", () => {
    const svg = fitChartSvg(
      { title: "t", xLabel: "x", yLabel: "y", lines: names.map((name, i) => ({ name, points: [{ x: 1, y: i }, { x: 2, y: i + 1 }] })), dots: names.map((name, i) => ({ name, points: [{ x: 1.5, y: i }] })) },
      doc,
    );
    expect(new Set(Array.from(svg.querySelectorAll("g[aria-label='dot'] > *")).map((d) => d.getAttribute("d"))).size).toBe(7);
    expect(svg.querySelectorAll("g[aria-label='legend'] line[stroke-dasharray]").length).toBe(names.filter((_, i) => SERIES_DASHES[i % SERIES_DASHES.length]).length);
  });
});
