// Downloads offered by every view: the data (CSV, JSON) and each chart (SVG, PNG). Files are made when clicked,
// in the page (no server), so a large result costs nothing until it is asked for.
import type { ComponentChildren } from "preact";

/** Saves `blob` as `filename` through a temporary link (the browser's download). */
export function saveBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked after the browser has started reading it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A standalone SVG document of a chart drawn in the page (namespaces and size written out). */
export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.removeAttribute("style");
  copy.querySelector(".selection-ring")?.remove();
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}

/** The chart as a PNG at twice its size (sharp on high-density screens), on white. */
export async function svgPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const width = Number(svg.getAttribute("width")) || svg.getBoundingClientRect().width;
  const viewBox = svg.viewBox.baseVal;
  const height = viewBox && viewBox.height > 0 ? (viewBox.height * width) / (viewBox.width || width) : Number(svg.getAttribute("height")) || svg.getBoundingClientRect().height;
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext("2d")!;
    context.fillStyle = "white";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG encoding failed"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

function DownloadButton(props: { id: string; onClick: () => void; children: ComponentChildren }) {
  return (
    <button type="button" class="download" id={props.id} onClick={props.onClick}>
      {props.children}
    </button>
  );
}

/** "Download: CSV · JSON" for a view's data. `id` prefixes the buttons' ids (`limits` → `limits-download-csv`). */
export function DataDownloads(props: { id: string; filename: string; csv: () => string; json: () => string; label?: string }) {
  return (
    <p class="downloads">
      {props.label ?? "Download the full output:"}{" "}
      <DownloadButton id={`${props.id}-download-csv`} onClick={() => saveBlob(`${props.filename}.csv`, new Blob([props.csv()], { type: "text/csv" }))}>
        CSV
      </DownloadButton>{" "}
      <DownloadButton id={`${props.id}-download-json`} onClick={() => saveBlob(`${props.filename}.json`, new Blob([props.json()], { type: "application/json" }))}>
        JSON
      </DownloadButton>
    </p>
  );
}

/** "SVG · PNG" under a chart; `svg` returns the chart's element when it is drawn. */
export function ChartDownloads(props: { filename: string; svg: () => SVGSVGElement | null; label?: string }) {
  const withSvg = (f: (svg: SVGSVGElement) => void) => () => {
    const svg = props.svg();
    if (svg) f(svg);
  };
  return (
    <p class="downloads chart-downloads">
      {props.label ?? "Chart:"}{" "}
      <DownloadButton id={`${props.filename}-svg`} onClick={withSvg((svg) => saveBlob(`${props.filename}.svg`, new Blob([svgText(svg)], { type: "image/svg+xml" })))}>
        SVG
      </DownloadButton>{" "}
      <DownloadButton id={`${props.filename}-png`} onClick={withSvg((svg) => void svgPng(svg).then((png) => saveBlob(`${props.filename}.png`, png)))}>
        PNG
      </DownloadButton>
    </p>
  );
}
