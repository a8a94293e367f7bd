// Scenario labels that tell scenarios apart: "2: H100 SXM, dense" alone cannot distinguish two H100 scenarios
// that differ in their deadline, so what differs is added ("2: H100 SXM, dense, 6 months").
import { BATCH_RULE_OPTIONS } from "./form-defaults.ts";
import type { ScenarioForm } from "./state.ts";

/** The form settings a label may name, with how each is written. */
const DISTINGUISHING: ReadonlyArray<{ readonly key: keyof ScenarioForm; readonly text: (s: ScenarioForm) => string }> = [
  { key: "months", text: (s) => `${s.months.trim()} months` },
  { key: "tokensPerParam", text: (s) => `${s.tokensPerParam.trim()} tokens/param` },
  { key: "batchRule", text: (s) => `${BATCH_RULE_OPTIONS.find((o) => o.value === s.batchRule)?.value ?? s.batchRule} batch` },
  { key: "depthScale", text: (s) => `depth × ${s.depthScale.trim()}` },
  { key: "datacenter", text: (s) => (s.datacenter ? `${s.datacenterSize.trim()}-GPU datacenters` : "one datacenter") },
];

/**
 * One label per scenario: "<n>: <GPU>, dense|sparse", plus every setting that differs among the scenarios sharing
 * that GPU and model type. `gpuName` names a scenario's GPU (the preset's or the custom GPU's name).
 */
export function scenarioLabels(forms: readonly ScenarioForm[], gpuName: (form: ScenarioForm, index: number) => string): string[] {
  const base = forms.map((f, i) => `${gpuName(f, i)}, ${f.sparse ? "sparse" : "dense"}`);
  return forms.map((f, i) => {
    const peers = forms.filter((_, j) => base[j] === base[i]);
    const extra = peers.length < 2 ? [] : DISTINGUISHING.filter((d) => new Set(peers.map(d.text)).size > 1).map((d) => d.text(f));
    return [`${i + 1}: ${base[i]}`, ...extra].join(", ");
  });
}
