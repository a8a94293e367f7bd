import type { ComponentChildren } from "preact";

/** A labelled form field with its unit and, when invalid, the core's InputError message right under it. */
export function Field(props: { id: string; label: string; unit?: string; hint?: string; error?: string | undefined; children: ComponentChildren }) {
  return (
    <div class={props.error ? "field invalid" : "field"}>
      <label for={props.id}>
        {props.label}
        {props.unit ? <span class="unit"> ({props.unit})</span> : null}
      </label>
      {props.children}
      {props.hint ? <p class="hint" id={`${props.id}-hint`}>{props.hint}</p> : null}
      {props.error ? (
        <p class="error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** A numeric text input: keeps exactly what was typed (the URL stores it), validation happens in the core. */
export function NumberInput(props: {
  id: string;
  value: string;
  error?: string | undefined;
  onInput: (value: string) => void;
  hint?: boolean;
  /** "text" for lists, SI suffixes and exponents (5.76e23): phone decimal keypads have no "e" or ",". */
  inputMode?: "decimal" | "text";
}) {
  const describedBy = [props.hint ? `${props.id}-hint` : "", props.error ? `${props.id}-error` : ""].filter(Boolean).join(" ");
  return (
    <input
      id={props.id}
      name={props.id}
      type="text"
      inputMode={props.inputMode ?? "decimal"}
      autoComplete="off"
      spellcheck={false}
      value={props.value}
      aria-invalid={props.error ? "true" : "false"}
      {...(describedBy ? { "aria-describedby": describedBy } : {})}
      onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
    />
  );
}

/** A multi-line text input (run configurations, run tables, schedules, saved fits): its error is tied to it as NumberInput's. */
export function TextArea(props: { id: string; rows: number; value: string; error?: string | undefined; placeholder?: string; onInput: (value: string) => void }) {
  return (
    <textarea
      id={props.id}
      rows={props.rows}
      spellcheck={false}
      {...(props.placeholder !== undefined ? { placeholder: props.placeholder } : {})}
      value={props.value}
      aria-invalid={props.error ? "true" : "false"}
      {...(props.error ? { "aria-describedby": `${props.id}-error` } : {})}
      onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)}
    />
  );
}

export function Select<T extends string>(props: { id: string; value: T; options: ReadonlyArray<{ value: T; label: string }>; onChange: (value: T) => void }) {
  return (
    <select id={props.id} name={props.id} value={props.value} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value as T)}>
      {props.options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export function Checkbox(props: { id: string; label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div class="field checkbox">
      <input id={props.id} name={props.id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)} />
      <label for={props.id}>{props.label}</label>
    </div>
  );
}
