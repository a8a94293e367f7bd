import { describe, expect, it } from "vitest";
import { renderLineChartSvg, svgToPng } from "../src/node/plot-file.ts";

const spec = {
  title: "Utilization vs compute",
  xLabel: "Training compute (FLOP)",
  yLabel: "Utilization",
  xLog: true,
  series: [
    { name: "H100", points: [{ x: 1e25, y: 0.7 }, { x: 1e28, y: 0.55 }, { x: 1e31, y: 0.05 }] },
    { name: "A100", points: [{ x: 1e25, y: 0.85 }, { x: 1e29, y: 0.3 }] },
  ],
};

describe("plot files", () => {
  it("renders a standalone, deterministic SVG with title, axis labels and series labels", async () => {
    const a = await renderLineChartSvg(spec);
    expect(a).toBe(await renderLineChartSvg(spec));
    expect(a.startsWith("<svg")).toBe(true);
    expect(a).toContain('xmlns="http://www.w3.org/2000/svg"');
    for (const text of ["Utilization vs compute", "Training compute (FLOP)", "H100", "A100"]) expect(a).toContain(text);
    expect(a).toContain(`aria-label="legend"`);
  });

  it("rasterises to a PNG", async () => {
    const png = await svgToPng(await renderLineChartSvg(spec));
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(5000);
  });
});
