// Writes the small checkpoints that docs/schedules-and-curves.md averages (examples/checkpoints/): four
// safetensors files step1000…step4000 of a toy model (one BF16, one F32 and one F16 tensor, values drifting
// with the step as weights do along a run) and bad.safetensors, whose header is not JSON.
// Deterministic (no randomness), so re-running it reproduces the committed files byte for byte:
//   npx tsx tools/make-example-checkpoints.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeSafetensorsHeader, floatToBf16, floatToHalf, FLOAT_DTYPES, type FloatDtype } from "../src/core/safetensors.ts";

const DIR = fileURLToPath(new URL("../examples/checkpoints/", import.meta.url));

interface Tensor {
  readonly name: string;
  readonly dtype: FloatDtype;
  readonly shape: readonly number[];
}

const TENSORS: readonly Tensor[] = [
  { name: "embed.weight", dtype: "BF16", shape: [128, 64] },
  { name: "mlp.weight", dtype: "F32", shape: [64, 64] },
  { name: "norm.weight", dtype: "F16", shape: [64] },
];

/** A smooth, deterministic weight value for element i of tensor t at a training step. */
function weight(t: number, i: number, step: number): number {
  return Math.sin(0.37 * i + 1.3 * t) * 0.05 + Math.cos(0.011 * i * (t + 1) + step / 1000) * 0.01;
}

function checkpointBytes(step: number): Uint8Array {
  const { bytes, offsets } = encodeSafetensorsHeader(TENSORS, { format: "pt", step: String(step) });
  const sizes = TENSORS.map((t) => t.shape.reduce((a, b) => a * b, 1) * FLOAT_DTYPES[t.dtype]);
  const data = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
  const view = new DataView(data.buffer);
  TENSORS.forEach((tensor, t) => {
    const width = FLOAT_DTYPES[tensor.dtype];
    for (let i = 0; i < sizes[t]! / width; i++) {
      const at = offsets[t]! + i * width;
      const v = weight(t, i, step);
      if (tensor.dtype === "F32") view.setFloat32(at, v, true);
      else if (tensor.dtype === "F16") view.setUint16(at, floatToHalf(v), true);
      else view.setUint16(at, floatToBf16(v), true);
    }
  });
  const file = new Uint8Array(bytes.length + data.length);
  file.set(bytes);
  file.set(data, bytes.length);
  return file;
}

mkdirSync(DIR, { recursive: true });
for (const step of [1000, 2000, 3000, 4000]) writeFileSync(join(DIR, `step${step}.safetensors`), checkpointBytes(step));
// A header length of 16 followed by 16 bytes that are not JSON: `average` must reject it in one line, exit 2.
const bad = new Uint8Array(8 + 16).fill(0x23);
new DataView(bad.buffer).setBigUint64(0, 16n, true);
writeFileSync(join(DIR, "bad.safetensors"), bad);
