import { describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { averageSafetensors, averageWeights } from "../../src/node/safetensors-average.ts";
import { bf16ToFloat, encodeSafetensorsHeader, floatToBf16, floatToHalf, halfToFloatTable, type FloatDtype } from "../../src/core/safetensors.ts";
import { InputError } from "../../src/core/errors.ts";
import { runCli } from "../../src/cli/program.ts";
import { memoryIO } from "../../src/cli/io.ts";

type T = { name: string; dtype: FloatDtype; shape: number[]; values: number[] };

/** Writes a safetensors file the way the format README describes (little-endian data after the header). */
function writeSafetensors(path: string, tensors: T[]): void {
  const { bytes, offsets } = encodeSafetensorsHeader(tensors, { format: "pt" });
  const size = tensors.reduce((s, t) => s + t.values.length * { F64: 8, F32: 4, F16: 2, BF16: 2 }[t.dtype], 0);
  const data = new Uint8Array(size);
  const view = new DataView(data.buffer);
  tensors.forEach((t, i) => {
    t.values.forEach((v, j) => {
      const at = offsets[i]!;
      if (t.dtype === "F32") view.setFloat32(at + 4 * j, v, true);
      else if (t.dtype === "F64") view.setFloat64(at + 8 * j, v, true);
      else if (t.dtype === "F16") view.setUint16(at + 2 * j, floatToHalf(v), true);
      else view.setUint16(at + 2 * j, floatToBf16(v), true);
    });
  });
  writeFileSync(path, Buffer.concat([bytes, data]));
}

function readSafetensors(path: string): Record<string, { dtype: string; shape: number[]; values: number[] }> {
  const buf = readFileSync(path);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString("utf8"));
  const out: Record<string, { dtype: string; shape: number[]; values: number[] }> = {};
  for (const [name, e] of Object.entries(header) as Array<[string, { dtype: string; shape: number[]; data_offsets: [number, number] }]>) {
    if (name === "__metadata__") continue;
    const start = 8 + n + e.data_offsets[0];
    const values: number[] = [];
    const size = { F64: 8, F32: 4, F16: 2, BF16: 2 }[e.dtype]!;
    for (let p = start; p < 8 + n + e.data_offsets[1]; p += size) {
      if (e.dtype === "F32") values.push(buf.readFloatLE(p));
      else if (e.dtype === "F64") values.push(buf.readDoubleLE(p));
      else if (e.dtype === "F16") values.push(halfToFloatTable()[buf.readUInt16LE(p)]!);
      else values.push(bf16ToFloat(buf.readUInt16LE(p)));
    }
    out[name] = { dtype: e.dtype, shape: e.shape, values };
  }
  return out;
}

function checkpoint(dir: string, name: string, scale: number, overrides: Partial<Record<string, Partial<T>>> = {}): string {
  const base: T[] = [
    { name: "w.f32", dtype: "F32", shape: [3, 5], values: Array.from({ length: 15 }, (_, i) => (i - 7) * 0.25 * scale) },
    { name: "w.bf16", dtype: "BF16", shape: [4, 2], values: Array.from({ length: 8 }, (_, i) => (i + 1) * scale) },
    { name: "w.f16", dtype: "F16", shape: [6], values: Array.from({ length: 6 }, (_, i) => -i * 0.5 * scale) },
  ];
  const path = join(dir, name);
  writeSafetensors(path, base.map((t) => ({ ...t, ...(overrides[t.name] ?? {}) })));
  return path;
}

describe("safetensors averaging", () => {
  const dir = mkdtempSync(join(tmpdir(), "scaleplan-avg-"));
  const a = checkpoint(dir, "a.safetensors", 1);
  const b = checkpoint(dir, "b.safetensors", 2);
  const c = checkpoint(dir, "c.safetensors", 3);

  it("SWA keeps each dtype and averages exactly (values representable in bf16/f16), in small chunks", async () => {
    const out = join(dir, "swa.safetensors");
    const report = await averageSafetensors({ inputs: [a, b, c], output: out, method: "swa", chunkElements: 4 });
    const got = readSafetensors(out);
    expect(got["w.f32"]!.dtype).toBe("F32");
    expect(got["w.bf16"]!.dtype).toBe("BF16");
    expect(got["w.f16"]!.dtype).toBe("F16");
    expect(got["w.f32"]!.shape).toEqual([3, 5]);
    expect(got["w.f32"]!.values).toEqual(Array.from({ length: 15 }, (_, i) => (i - 7) * 0.25 * 2));
    expect(got["w.bf16"]!.values).toEqual(Array.from({ length: 8 }, (_, i) => (i + 1) * 2));
    expect(got["w.f16"]!.values).toEqual(Array.from({ length: 6 }, (_, i) => -i * 0.5 * 2));
    expect(report.tensors).toBe(3);
    expect(report.bytesWritten).toBe(readFileSync(out).length);
  });

  it("EMA follows avg ← d·avg + (1 − d)·x from the first checkpoint", async () => {
    expect(averageWeights(3, "ema", 0.5)).toEqual([0.25, 0.25, 0.5]);
    const out = join(dir, "ema.safetensors");
    await averageSafetensors({ inputs: [a, b, c], output: out, method: "ema", emaDecay: 0.5, accumulate: "f32" });
    // scales 1, 2, 3 with weights 0.25, 0.25, 0.5 → 2.25
    expect(readSafetensors(out)["w.f32"]!.values).toEqual(Array.from({ length: 15 }, (_, i) => (i - 7) * 0.25 * 2.25));
  });

  it("rounds bf16 to nearest even", () => {
    expect(floatToBf16(1 + 2 ** -8)).toBe(0x3f80); // tie → even
    expect(floatToBf16(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(floatToHalf(65520)).toBe(0x7c00);
  });

  it("says which tensor differs (shape, dtype, name) and writes nothing", async () => {
    const cases: Array<[string, RegExp]> = [
      [checkpoint(dir, "shape.safetensors", 1, { "w.f32": { shape: [5, 3] } }), /tensor "w.f32" has shape \[5, 3\], .*a.safetensors has \[3, 5\]/],
      [checkpoint(dir, "dtype.safetensors", 1, { "w.bf16": { dtype: "F16" } }), /tensor "w.bf16" has dtype F16, .* has BF16/],
      [checkpoint(dir, "name.safetensors", 1, { "w.f16": { name: "w.half" } }), /tensor "w.f16" is missing/],
    ];
    for (const [other, msg] of cases) {
      const out = join(dir, "bad-out.safetensors");
      await expect(averageSafetensors({ inputs: [a, other], output: out, method: "swa" })).rejects.toThrow(InputError);
      await expect(averageSafetensors({ inputs: [a, other], output: out, method: "swa" })).rejects.toThrow(msg);
      expect(existsSync(out)).toBe(false);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("rejects a corrupt header in one line via the CLI (exit 2, nothing written)", async () => {
    const corrupt = join(dir, "corrupt.safetensors");
    const good = readFileSync(a);
    const broken = Buffer.from(good);
    broken.write("#", 8); // the opening brace of the JSON header
    writeFileSync(corrupt, broken);
    const tooLong = join(dir, "toolong.safetensors");
    const t = Buffer.from(good);
    t.writeBigUInt64LE(10n ** 9n, 0);
    writeFileSync(tooLong, t);
    for (const [file, msg] of [[corrupt, /corrupt safetensors header: not valid JSON/], [tooLong, /header length 1000000000 does not fit/]] as const) {
      const io = memoryIO();
      const out = join(dir, "never.safetensors");
      const code = await runCli(["average", a, file, "-o", out], io);
      expect(code).toBe(2);
      expect(io.err).toMatch(msg);
      expect(io.err.trim().split("\n")).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("CLI reports throughput and supports --last", async () => {
    const io = memoryIO();
    const out = join(dir, "last2.safetensors");
    expect(await runCli(["average", a, b, c, "--last", "2", "-o", out, "--json"], io)).toBe(0);
    const r = JSON.parse(io.out);
    expect(r.inputs).toEqual([b, c]);
    expect(r.readMBps).toBeGreaterThan(0);
    expect(readSafetensors(out)["w.bf16"]!.values).toEqual(Array.from({ length: 8 }, (_, i) => (i + 1) * 2.5));
    const w = memoryIO();
    expect(await runCli(["average", a, b, c, "--window", "1:2", "-o", join(dir, "win.safetensors"), "--json"], w)).toBe(0);
    expect(JSON.parse(w.out).inputs).toEqual([a, b]);
    const bad = memoryIO();
    expect(await runCli(["average", a, b, "--window", "2:3", "-o", join(dir, "never2.safetensors")], bad)).toBe(2);
    expect(bad.err.trim().split("\n")).toHaveLength(1);
  });
});
