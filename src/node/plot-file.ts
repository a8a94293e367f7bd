// Charts as files. Observable Plot, linkedom and resvg take ~0.3 s to load, so they are imported on the first
// plot: commands without --plot (most runs) start without them.
import type { FitChartSpec } from "../core/plot/fit-chart.ts";
import type { LineChartSpec } from "../core/plot/line-chart.ts";
import { InputError } from "../core/errors.ts";
import { checkOutputPath, writeFileAtomic } from "./files.ts";

/** A DOM document for Observable Plot in Node (linkedom: small, deterministic output). */
async function nodeDocument(): Promise<Document> {
  const { parseHTML } = await import("linkedom");
  return parseHTML("<!DOCTYPE html><html><head></head><body></body></html>").document as unknown as Document;
}

/** A rendered chart as a standalone SVG string (with xmlns, so it opens in any viewer and rasterises). */
function standalone(svg: SVGSVGElement): string {
  if (!svg.getAttribute("xmlns")) svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return `${svg.outerHTML}\n`;
}

export async function renderLineChartSvg(spec: LineChartSpec): Promise<string> {
  const { lineChartSvg } = await import("../core/plot/line-chart.ts");
  return standalone(lineChartSvg(spec, await nodeDocument()));
}

export async function renderFitChartSvg(spec: FitChartSpec): Promise<string> {
  const { fitChartSvg } = await import("../core/plot/fit-chart.ts");
  return standalone(fitChartSvg(spec, await nodeDocument()));
}

/** SVG → PNG with resvg and the system's DejaVu fonts, on white, 2× for sharp text. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  });
  return resvg.render().asPng();
}

/** Writes a plot to FILE.svg or FILE.png (chosen by extension), atomically. */
export async function writePlotFile(path: string, svg: string, option = "--plot"): Promise<void> {
  const lower = path.toLowerCase();
  if (lower.endsWith(".svg")) return writeFileAtomic(path, svg, option);
  if (lower.endsWith(".png")) {
    checkOutputPath(path, option);
    return writeFileAtomic(path, await svgToPng(svg), option);
  }
  throw new InputError(option, path, "a file name ending in .svg or .png");
}
