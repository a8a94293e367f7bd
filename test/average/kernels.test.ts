import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { averageKernelsModule, instantiateAverageKernels } from "../../src/node/average-kernels.ts";
import { averageSafetensors, averageWeights } from "../../src/node/safetensors-average.ts";
import { encodeSafetensorsHeader, floatToBf16 } from "../../src/core/safetensors.ts";
import { seededRandom } from "../../src/core/util/random.ts";

const bf16 = (bits: number) => new Float32Array(new Uint32Array([bits << 16]).buffer)[0]!;

describe("WebAssembly SIMD averaging kernels", () => {
  it("validate and match the scalar formulas bit for bit (f32, bf16 inputs; f32 and bf16 rounding)", () => {
    expect(WebAssembly.validate(averageKernelsModule())).toBe(true);
    const k = instantiateAverageKernels(1 << 20)!;
    const rnd = seededRandom(3);
    const n = 4096;
    const acc = new Float64Array(k.memory.buffer, 0, n);
    const x32 = new Float32Array(k.memory.buffer, 65536, n);
    const x16 = new Uint16Array(k.memory.buffer, 2 * 65536, n);
    const out = new Uint16Array(k.memory.buffer, 3 * 65536, n);
    for (let i = 0; i < n; i++) {
      x32[i] = (rnd() - 0.5) * 10 ** (rnd() * 40 - 20);
      let b = Math.floor(rnd() * 65536);
      if ((b & 0x7f80) === 0x7f80) b &= 0xbfff; // no NaN/inf: their payloads are not specified
      x16[i] = b;
    }
    const [w0, w1, w2] = [1 / 3, 0.7, 1e-3];
    const ref = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      ref[i] = w0 * x32[i]!;
      ref[i]! += w1 * bf16(x16[i]!);
      ref[i]! += w2 * x32[i]!;
    }
    k.setF32(0, x32.byteOffset, n, w0);
    k.addBf16(0, x16.byteOffset, n, w1);
    k.addF32(0, x32.byteOffset, n, w2);
    expect(Array.from(acc)).toEqual(Array.from(ref));
    k.setBf16(0, x16.byteOffset, n, w1);
    for (let i = 0; i < n; i++) expect(acc[i]).toBe(w1 * bf16(x16[i]!));
    // rounding, incl. ties to even (1 + 2^-8 → 0x3f80, 1 + 3·2^-8 → 0x3f82), overflow to inf, ±0, subnormals
    const special = [1 + 2 ** -8, 1 + 3 * 2 ** -8, 3.4e38 * 1.01, -0, 0, 1e-40, -1e-45, Infinity, -Infinity];
    for (let i = 0; i < n; i++) acc[i] = i < special.length ? special[i]! : ref[i]!;
    k.encodeBf16(out.byteOffset, 0, n);
    for (let i = 0; i < n; i++) expect(out[i]).toBe(floatToBf16(acc[i]!));
    const o32 = new Float32Array(k.memory.buffer, 4 * 65536, n);
    k.encodeF32(o32.byteOffset, 0, n);
    for (let i = 0; i < n; i++) expect(o32[i]).toBe(Math.fround(acc[i]!));
    expect(out[0]).toBe(0x3f80);
    expect(out[1]).toBe(0x3f82);
  });

  it("averaging with chunks that leave SIMD tails equals Σ wᵢ·xᵢ in f64 rounded once to the dtype", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scaleplan-avg-k-"));
    const rnd = seededRandom(11);
    const tensors = [
      { name: "f32", dtype: "F32" as const, shape: [1037] },
      { name: "bf16", dtype: "BF16" as const, shape: [13, 79] },
    ];
    const { bytes, offsets } = encodeSafetensorsHeader(tensors, {});
    const values: Array<{ f32: Float32Array; bf16: Uint16Array }> = [];
    const paths: string[] = [];
    for (let c = 0; c < 4; c++) {
      const f32 = Float32Array.from({ length: 1037 }, () => (rnd() - 0.5) * 100);
      const b = Uint16Array.from({ length: 13 * 79 }, () => floatToBf16((rnd() - 0.5) * 100));
      values.push({ f32, bf16: b });
      const data = new Uint8Array(offsets[1]! + b.byteLength);
      data.set(new Uint8Array(f32.buffer), 0);
      data.set(new Uint8Array(b.buffer), offsets[1]!);
      paths.push(join(dir, `c${c}.safetensors`));
      writeFileSync(paths[c]!, Buffer.concat([bytes, data]));
    }
    for (const chunkElements of [101, 1 << 20]) {
      for (const prefetch of [true, false]) {
        const out = join(dir, `out-${chunkElements}-${prefetch}.safetensors`);
        await averageSafetensors({ inputs: paths, output: out, method: "ema", emaDecay: 0.8, chunkElements, prefetch });
        const w = averageWeights(4, "ema", 0.8);
        const buf = readFileSync(out);
        const dataStart = 8 + Number(buf.readBigUInt64LE(0));
        for (let i = 0; i < 1037; i++) {
          let s = 0;
          for (let c = 0; c < 4; c++) s += w[c]! * values[c]!.f32[i]!;
          expect(buf.readFloatLE(dataStart + 4 * i)).toBe(Math.fround(s));
        }
        for (let i = 0; i < 13 * 79; i++) {
          let s = 0;
          for (let c = 0; c < 4; c++) s += w[c]! * bf16(values[c]!.bf16[i]!);
          expect(buf.readUInt16LE(dataStart + 4 * 1037 + 2 * i)).toBe(floatToBf16(s));
        }
      }
    }
  });
});
