// The scenario editor of the Limits view. Every field shows the core's InputError message for it, if any.
import { Checkbox, Field, NumberInput, Select } from "../../components/field.tsx";
import { BATCH_RULE_OPTIONS, DEFAULT_CUSTOM_GPU, type CustomGpuForm, type ScenarioForm } from "./state.ts";
import { findDataMovementGpu } from "../../../../src/core/hardware/lookup.ts";

/** An alias in an old URL (the reference's a100-sxm) selects its catalogue GPU in the list. */
function canonicalGpuId(idOrAlias: string): string {
  return findDataMovementGpu(idOrAlias)?.id ?? idOrAlias;
}

export interface GpuChoice {
  readonly value: string;
  readonly label: string;
}

/** Field errors keyed by form field name (`months`, `custom.numSms`, …). */
export type FieldErrors = Readonly<Record<string, string>>;

const CUSTOM_FIELDS: ReadonlyArray<{ key: Exclude<keyof CustomGpuForm, "dsmem" | "name">; label: string; unit?: string }> = [
  { key: "flopPerClockPerThread", label: "FLOP per clock per thread (16-bit)", unit: "FLOP" },
  { key: "numSms", label: "Streaming multiprocessors", unit: "SMs" },
  { key: "maxClockMHz", label: "Max clock", unit: "MHz" },
  { key: "effectiveUtilization", label: "Sustained utilization ceiling", unit: "fraction" },
  { key: "hbmGBps", label: "HBM bandwidth", unit: "GB/s" },
  { key: "memoryGB", label: "HBM capacity", unit: "GB" },
  { key: "l2GBps", label: "L2 bandwidth", unit: "GB/s" },
  { key: "l2MiB", label: "L2 capacity", unit: "MiB" },
  { key: "registerKiB", label: "Register file per processing block", unit: "KiB" },
  { key: "matmulLatencyUs", label: "Matmul kernel latency", unit: "µs" },
  { key: "nodeSize", label: "GPUs per node", unit: "GPUs" },
  { key: "nodeGBps", label: "In-node bandwidth per GPU, bidirectional", unit: "GB/s" },
  { key: "scaleOutGBps", label: "Scale-out bandwidth per GPU, bidirectional", unit: "GB/s" },
  { key: "hopLatencyUs", label: "Network latency per hop", unit: "µs" },
];

export function ScenarioEditor(props: {
  index: number;
  scenario: ScenarioForm;
  gpus: readonly GpuChoice[];
  errors: FieldErrors;
  onChange: (scenario: ScenarioForm) => void;
}) {
  const s = props.scenario;
  const custom = s.custom ?? DEFAULT_CUSTOM_GPU;
  const id = (name: string) => `s${props.index}-${name}`;
  const set = <K extends keyof ScenarioForm>(key: K, value: ScenarioForm[K]) => props.onChange({ ...s, [key]: value });
  const setCustom = <K extends keyof CustomGpuForm>(key: K, value: CustomGpuForm[K]) => props.onChange({ ...s, custom: { ...custom, [key]: value } });
  const err = (name: string) => props.errors[name];
  const num = (key: "depthScale" | "months" | "tokensPerParam" | "datacenterSize" | "datacenterGBps" | "datacenterLatencyS") => (
    <NumberInput id={id(key)} value={s[key]} error={err(key)} onInput={(v) => set(key, v)} />
  );

  return (
    <div class="scenario-editor">
      <div class="grid">
        <Field id={id("gpu")} label="GPU" error={err("gpu")}>
          <Select id={id("gpu")} value={canonicalGpuId(s.gpu)} options={[...props.gpus, { value: "custom", label: "Custom GPU…" }]} onChange={(v) => props.onChange({ ...s, gpu: v, ...(v === "custom" ? { custom } : {}) })} />
        </Field>
        <Field id={id("model")} label="Model type">
          <Select
            id={id("model")}
            value={s.sparse ? "sparse" : "dense"}
            options={[
              { value: "dense", label: "Dense" },
              { value: "sparse", label: "Sparse (mixture of experts)" },
            ]}
            onChange={(v) => set("sparse", v === "sparse")}
          />
        </Field>
        <Field id={id("batchRule")} label="Batch size rule" error={err("batchRule")}>
          <Select id={id("batchRule")} value={s.batchRule} options={BATCH_RULE_OPTIONS} onChange={(v) => set("batchRule", v)} />
        </Field>
        <Field id={id("months")} label="Training time limit" unit="months" error={err("months")}>
          {num("months")}
        </Field>
        <Field id={id("tokensPerParam")} label="Tokens per parameter" unit="tokens" error={err("tokensPerParam")}>
          {num("tokensPerParam")}
        </Field>
        <Field id={id("depthScale")} label="Depth scale" unit="× layers" error={err("depthScale")}>
          {num("depthScale")}
        </Field>
      </div>
      <Checkbox id={id("datacenter")} label="Add a datacenter level (multi-datacenter training)" checked={s.datacenter} onChange={(v) => set("datacenter", v)} />
      {s.datacenter ? (
        <div class="grid">
          <Field id={id("datacenterSize")} label="GPUs per datacenter" unit="GPUs" error={err("datacenterSize")}>
            {num("datacenterSize")}
          </Field>
          <Field id={id("datacenterGBps")} label="Bandwidth between datacenters per GPU" unit="GB/s" error={err("datacenterGBps")}>
            {num("datacenterGBps")}
          </Field>
          <Field id={id("datacenterLatencyS")} label="Latency between datacenters" unit="s" error={err("datacenterLatencyS")}>
            {num("datacenterLatencyS")}
          </Field>
        </div>
      ) : null}
      {s.gpu === "custom" ? (
        <fieldset class="custom-gpu">
          <legend>Custom GPU (starts from H100 SXM)</legend>
          <div class="grid">
            <Field id={id("custom-name")} label="Name" error={err("custom.name")}>
              <input id={id("custom-name")} type="text" value={custom.name} onInput={(e) => setCustom("name", (e.currentTarget as HTMLInputElement).value)} />
            </Field>
            {CUSTOM_FIELDS.map((f) => (
              <Field key={f.key} id={id(`custom-${f.key}`)} label={f.label} {...(f.unit ? { unit: f.unit } : {})} error={err(`custom.${f.key}`)}>
                <NumberInput id={id(`custom-${f.key}`)} value={custom[f.key]} error={err(`custom.${f.key}`)} onInput={(v) => setCustom(f.key, v)} />
              </Field>
            ))}
          </div>
          <Checkbox id={id("custom-dsmem")} label="Distributed shared memory between SMs (Hopper)" checked={custom.dsmem} onChange={(v) => setCustom("dsmem", v)} />
        </fieldset>
      ) : null}
    </div>
  );
}
