import type { Table } from "../../../src/core/table.ts";

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

/** One horizontal stacked bar with a legend: parts of a whole (seconds of a step, GiB of a GPU's memory). */
export function StackedBar(props: { label: string; unit: string; parts: ReadonlyArray<{ name: string; value: number }>; limit?: { name: string; value: number } }) {
  const total = props.parts.reduce((a, p) => a + p.value, 0);
  const scale = Math.max(total, props.limit?.value ?? 0) || 1;
  const colors = ["#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad", "#b03a2e", "#7f8c8d", "#b7950b", "#17a2b8", "#6c3483", "#34495e"];
  return (
    <figure class="stacked" aria-label={props.label}>
      <figcaption>
        <strong>{props.label}</strong>
      </figcaption>
      <div class="bar" role="img" aria-label={`${props.label}: ${props.parts.map((p) => `${p.name} ${p.value.toPrecision(3)} ${props.unit}`).join(", ")}`}>
        {props.parts.map((p, i) =>
          p.value > 0 ? <span key={p.name} style={{ width: `${(100 * p.value) / scale}%`, background: colors[i % colors.length] }} title={`${p.name}: ${p.value.toPrecision(3)} ${props.unit}`} /> : null,
        )}
        {props.limit ? <i class="limit" style={{ left: `${(100 * props.limit.value) / scale}%` }} title={props.limit.name} /> : null}
      </div>
      <ul class="legend">
        {props.parts
          .filter((p) => p.value > 0)
          .map((p) => (
            <li key={p.name}>
              <span class="swatch" style={{ background: colors[props.parts.indexOf(p) % colors.length] }} />
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
    </figure>
  );
}
