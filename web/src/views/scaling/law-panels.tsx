// The Scaling view's panels beyond dense BF16 training on one site; loaded (code and all) after the fit's first result.
import { DilocoPanel } from "./diloco-panel.tsx";
import { MoePanel } from "./moe-panel.tsx";
import { PrecisionPanel } from "./precision-panel.tsx";
import type { ScalingState } from "./state.ts";

export function LawPanels(props: { state: ScalingState; update: (patch: Partial<ScalingState>) => void }) {
  return (
    <div class="law-panels">
      <h2 class="section">Beyond dense, BF16, one site</h2>
      <PrecisionPanel state={props.state} update={props.update} />
      <MoePanel state={props.state} update={props.update} />
      <DilocoPanel state={props.state} update={props.update} />
    </div>
  );
}
