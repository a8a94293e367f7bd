import { Field, NumberInput } from "./field.tsx";

/** A bounded numeric form field: label, unit, the text as typed, and the core's message under it when refused. */
export function NumberField(props: {
  id: string;
  label: string;
  unit?: string;
  hint?: string;
  value: string;
  error: string | undefined;
  onInput: (value: string) => void;
  /** "text" for lists and exponents (1e21, 1,2,4): phone decimal keypads have no "e" or ",". */
  inputMode?: "decimal" | "text";
}) {
  return (
    <Field id={props.id} label={props.label} {...(props.unit ? { unit: props.unit } : {})} {...(props.hint ? { hint: props.hint } : {})} error={props.error}>
      <NumberInput id={props.id} value={props.value} error={props.error} hint={props.hint !== undefined} inputMode={props.inputMode ?? "text"} onInput={props.onInput} />
    </Field>
  );
}
