// Writes examples/precision-runs.csv, the input of docs/moe-and-precision-laws.md's `fit --form precision` example:
// 140 SYNTHETIC runs on the grid of Kumar et al. 2024's sweep (§2: 30M–220M parameters, 1.5B–26B tokens; shared
// precisions 4–16 bits, above the 3.11 bits where the preset leaves activations no effective parameters) whose losses
// are the precision-kumar-2024 preset's (App. K Table 2) with an alternating ±0.3 % wobble, so the fit has something to
// recover. Not measurements. Deterministic: npx tsx tools/make-example-precision-runs.ts
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { precisionExampleRuns } from "../test/fixtures/precision-runs.ts";

const rows = ["params,tokens,bits,loss", ...precisionExampleRuns(0.003).map((r) => `${r.params},${r.tokens},${r.bits},${r.loss.toFixed(5)}`)];
writeFileSync(fileURLToPath(new URL("../examples/precision-runs.csv", import.meta.url)), `${rows.join("\n")}\n`);
