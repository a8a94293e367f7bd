import type { Table } from "../../../src/core/table.ts";
import { ChartDownloads } from "./downloads.tsx";

/** A core Table (the same data the CLI prints) as an HTML table; numeric-looking cells are right-aligned. */
export function TableView(props: { table: Table; caption: string; id?: string }) {
  const numeric = (v: string | number) => typeof v === "number" || /^[-+]?[0-9.]+(e[-+]?[0-9]+)?%?$/i.test(v);
  return (
    <div class="scroll">
      <table class="data" {...(props.id ? { id: props.id } : {})}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.table.columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.table.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) =>
                j === 0 ? (
                  <th scope="row" key={j}>
                    {cell}
                  </th>
                ) : (
                  <td key={j} class={numeric(cell) ? "num" : undefined}>
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const BAR_COLORS = ["#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad", "#b03a2e", "#7f8c8d", "#b7950b", "#17a2b8", "#6c3483", "#34495e"];
/** Fill patterns beside the colours, so that neighbouring parts differ by more than colour (WCAG 1.4.1). */
const BAR_PATTERNS = ["", "stripes", "dots", "cross"] as const;

interface BarPart {
  readonly name: string;
  readonly value: number;
}

/**
 * The bar as a standalone SVG document (title, bar, legend), for the SVG/PNG downloads; the page draws the same
 * bar and an HTML legend.
 */
function barSvgDocument(label: string, unit: string, parts: readonly BarPart[], limit: BarPart | undefined): SVGSVGElement {
  const width = 640;
  const shown = parts.filter((p) => p.value > 0);
  const height = 60 + 18 * (shown.length + (limit ? 1 : 0));
  const total = parts.reduce((a, p) => a + p.value, 0);
  const scale = (width - 20) / (Math.max(total, limit?.value ?? 0) || 1);
  let x = 10;
  const rects = shown.map((p) => {
    const i = parts.indexOf(p);
    const r = `<rect x="${x}" y="30" width="${p.value * scale}" height="20" fill="${BAR_COLORS[i % BAR_COLORS.length]}"/>`;
    x += p.value * scale;
    return r;
  });
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const legend = [...shown.map((p) => ({ ...p, color: BAR_COLORS[parts.indexOf(p) % BAR_COLORS.length]! })), ...(limit ? [{ ...limit, color: "limit" }] : [])].map((p, k) => {
    const y = 68 + 18 * k;
    const swatch = p.color === "limit" ? `<line x1="14" x2="14" y1="${y - 10}" y2="${y + 2}" stroke="#111" stroke-width="3" stroke-dasharray="3 2"/>` : `<rect x="10" y="${y - 10}" width="10" height="10" fill="${p.color}"/>`;
    return `${swatch}<text x="28" y="${y}" font-size="12">${esc(`${p.name}: ${p.value.toPrecision(3)} ${unit}`)}</text>`;
  });
  const limitLine = limit ? `<line x1="${10 + limit.value * scale}" x2="${10 + limit.value * scale}" y1="26" y2="54" stroke="#111" stroke-width="3" stroke-dasharray="4 3"/>` : "";
  const text = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif"><rect width="${width}" height="${height}" fill="white"/><text x="10" y="18" font-size="14" font-weight="bold">${esc(label)}</text>${rects.join("")}${limitLine}${legend.join("")}</svg>`;
  return new DOMParser().parseFromString(text, "image/svg+xml").documentElement as unknown as SVGSVGElement;
}

/** One horizontal stacked bar with a legend: parts of a whole (seconds of a step, GiB of a GPU's memory). */
export function StackedBar(props: { label: string; unit: string; parts: readonly BarPart[]; limit?: BarPart; filename: string }) {
  const total = props.parts.reduce((a, p) => a + p.value, 0);
  const scale = Math.max(total, props.limit?.value ?? 0) || 1;
  const pattern = (i: number) => BAR_PATTERNS[i % BAR_PATTERNS.length];
  return (
    <figure class="stacked" aria-label={props.label}>
      <figcaption>
        <strong>{props.label}</strong>
      </figcaption>
      <div class="bar" role="img" aria-label={`${props.label}: ${props.parts.map((p) => `${p.name} ${p.value.toPrecision(3)} ${props.unit}`).join(", ")}`}>
        {props.parts.map((p, i) =>
          p.value > 0 ? (
            <span key={p.name} class={pattern(i) ? `pattern-${pattern(i)}` : undefined} style={{ width: `${(100 * p.value) / scale}%`, backgroundColor: BAR_COLORS[i % BAR_COLORS.length] }} title={`${p.name}: ${p.value.toPrecision(3)} ${props.unit}`} />
          ) : null,
        )}
        {props.limit ? <i class="limit" style={{ left: `${(100 * props.limit.value) / scale}%` }} title={props.limit.name} /> : null}
      </div>
      <ul class="legend">
        {props.parts
          .filter((p) => p.value > 0)
          .map((p) => (
            <li key={p.name}>
              <span class={`swatch${pattern(props.parts.indexOf(p)) ? ` pattern-${pattern(props.parts.indexOf(p))}` : ""}`} style={{ backgroundColor: BAR_COLORS[props.parts.indexOf(p) % BAR_COLORS.length] }} />
              {p.name}: {p.value.toPrecision(3)} {props.unit}
            </li>
          ))}
        {props.limit ? (
          <li>
            <span class="swatch limit-swatch" />
            {props.limit.name}: {props.limit.value.toPrecision(3)} {props.unit}
          </li>
        ) : null}
      </ul>
      <ChartDownloads filename={props.filename} svg={() => barSvgDocument(props.label, props.unit, props.parts, props.limit)} />
    </figure>
  );
}
