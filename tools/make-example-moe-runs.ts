// Writes examples/moe-runs.csv, the input of docs/moe-and-precision-laws.md's `fit --form moe` example: 72 SYNTHETIC
// MoE runs (experts 1…32 × active parameters 1e8…3e9 × 5/20/80 tokens per parameter) whose losses are the
// moe-joint-2025 preset's (Ludziejewski et al. 2025, eq. 6, Table 3) with an alternating ±0.3 % wobble, so the fit
// has something to recover. Not measurements. Deterministic: npx tsx tools/make-example-moe-runs.ts
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { jointMoeLoss } from "../src/core/scaling/moe-laws.ts";
import { JOINT_MOE_2025 } from "../src/core/scaling/moe-presets.ts";

const NOISE = 0.003;
const rows = ["active_params,experts,tokens,loss"];
let k = 0;
for (const experts of [1, 2, 4, 8, 16, 32]) {
  for (const active of [1e8, 3e8, 1e9, 3e9]) {
    for (const tokensPerParam of [5, 20, 80]) {
      const tokens = active * tokensPerParam;
      const wobble = 1 + NOISE * (k++ % 2 === 0 ? 1 : -1);
      rows.push(`${active},${experts},${tokens},${(jointMoeLoss(JOINT_MOE_2025, active, tokens, experts) * wobble).toFixed(5)}`);
    }
  }
}
writeFileSync(fileURLToPath(new URL("../examples/moe-runs.csv", import.meta.url)), `${rows.join("\n")}\n`);
