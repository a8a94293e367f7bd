import { Resvg } from "@resvg/resvg-js";
import { parseHTML } from "linkedom";
import { UsageError } from "../core/errors.ts";
import { lineChartSvg, type LineChartSpec } from "../core/plot/line-chart.ts";
import { writeFileAtomic } from "./files.ts";

/** A DOM document for Observable Plot in Node (linkedom: small, deterministic output). */
export function nodeDocument(): Document {
  return parseHTML("<!DOCTYPE html><html><head></head><body></body></html>").document as unknown as Document;
}

/** The chart as a standalone SVG string (with xmlns, so it opens in any viewer and rasterises). */
export function renderLineChartSvg(spec: LineChartSpec): string {
  const svg = lineChartSvg(spec, nodeDocument());
  if (!svg.getAttribute("xmlns")) svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return `${svg.outerHTML}\n`;
}

/** SVG → PNG with resvg and the system's DejaVu fonts, on white, 2× for sharp text. */
export function svgToPng(svg: string): Uint8Array {
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
  if (lower.endsWith(".svg")) return writeFileAtomic(path, svg);
  if (lower.endsWith(".png")) return writeFileAtomic(path, svgToPng(svg));
  throw new UsageError(`${option}: ${JSON.stringify(path)} is not allowed; expected a file name ending in .svg or .png`);
}
