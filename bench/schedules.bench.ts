// Issue 4 §5: MPL fit on three curves (≤ 10 s at the published accuracy), predicting a 100,000-step curve
// (≤ 0.1 s), safetensors averaging throughput vs `cat` of the same files to /dev/null (within 2×).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fitMpl } from "../src/core/curves/fit-mpl.ts";
import { fitMetrics } from "../src/core/curves/curve.ts";
import { mplPredict } from "../src/core/curves/multi-power-law.ts";
import { parseScheduleSpec } from "../src/core/schedule/spec.ts";
import { scheduleLrArray } from "../src/core/schedule/generators.ts";
import { encodeSafetensorsHeader } from "../src/core/safetensors.ts";
import { averageSafetensors } from "../src/node/safetensors-average.ts";
import { HELD_OUT, load25M } from "../test/fixtures/loss-curves/load.ts";

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, (performance.now() - t0) / 1000];
}

export default async function (log: (line: string) => void): Promise<void> {
  for (const train of [["cosine_24000", "constant_24000", "wsdcon_9"], ["cosine_24000", "constant_24000", "wsd_20000_24000"]]) {
    const curves = train.map(load25M);
    const [fit, s] = time(() => fitMpl(curves));
    const test = [...HELD_OUT, "wsdcon_9"].filter((n) => !train.includes(n));
    let r2 = 0;
    let mre = 0;
    for (const n of test) {
      const c = load25M(n);
      const m = fitMetrics(c.points.map((p) => p.loss), mplPredict(fit.params, c.lr, c.points.map((p) => p.step)));
      r2 += m.r2! / test.length;
      mre += m.meanRelError / test.length;
    }
    log(`MPL fit on ${train.join(" + ")} (${fit.points} points, ${fit.evaluations} evaluations): ${s.toFixed(2)} s; held-out (${test.length} curves) mean R² ${r2.toFixed(4)}, mean rel. error ${(mre * 100).toFixed(3)} %`);
  }

  const params = { L0: 3.04045406, A: 0.52468604, alpha: 0.50786857, B: 363.78751622, C: 2.06560812, beta: 0.58279013, gamma: 0.64142257 };
  for (const spec of ["wsd:steps=100000,peak=3e-4,warmup=2160,warmup-from=0,warmup-shape=linspace,cooldown=0.2,shape=sqrt", "cosine:steps=100000,peak=3e-4,warmup=2160,warmup-from=0,warmup-shape=linspace,final=0.1"]) {
    const lr = scheduleLrArray(parseScheduleSpec(spec));
    const every = Array.from({ length: 99999 }, (_, i) => i + 1);
    const sparse = every.filter((s) => s % 128 === 0);
    mplPredict(params, lr, sparse); // warm up the JIT
    // Median of 5 runs: the 2-core machine is shared.
    const median = (fn: () => unknown) => Array.from({ length: 5 }, () => time(fn)[1]).sort((a, b) => a - b)[2]!;
    const sAll = median(() => mplPredict(params, lr, every));
    const sSparse = median(() => mplPredict(params, lr, sparse));
    log(`MPL predict, 100,000-step ${spec.split(":")[0]}: every step ${sAll.toFixed(3)} s; every 128th step ${(sSparse * 1000).toFixed(1)} ms`);
  }

  // Averaging: three 96 MiB checkpoints (f32 + bf16 tensors), page cache warm for both measurements.
  const dir = mkdtempSync(join(tmpdir(), "scaleplan-bench-avg-"));
  try {
    const files: string[] = [];
    const tensors = [
      { name: "a", dtype: "F32" as const, shape: [4096, 4096] },
      { name: "b", dtype: "BF16" as const, shape: [4096, 4096] },
      { name: "c", dtype: "F32" as const, shape: [2048, 4096] },
    ];
    const { bytes, offsets } = encodeSafetensorsHeader(tensors, {});
    const dataSize = offsets[2]! + 2048 * 4096 * 4;
    for (let i = 0; i < 3; i++) {
      const data = new Uint8Array(dataSize);
      const f = new Float32Array(data.buffer, 0, dataSize / 4);
      for (let j = 0; j < f.length; j++) f[j] = Math.sin(j * 0.001 + i); // valid floats everywhere (bf16 region too)
      const path = join(dir, `ckpt${i}.safetensors`);
      writeFileSync(path, Buffer.concat([bytes, data]));
      files.push(path);
    }
    const totalMB = (3 * (bytes.length + dataSize)) / 1e6;
    execFileSync("cat", files, { stdio: ["ignore", "ignore", "ignore"] });
    // Medians of 5 runs each (shared 2-core machine).
    const cats: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      execFileSync("sh", ["-c", `cat ${files.join(" ")} > /dev/null`]);
      cats.push((performance.now() - t0) / 1000);
    }
    const cat = cats.sort((a, b) => a - b)[2]!;
    for (const acc of ["f64", "f32"] as const) {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) runs.push((await averageSafetensors({ inputs: files, output: join(dir, `avg-${acc}.safetensors`), method: "swa", accumulate: acc })).seconds);
      const s = runs.sort((a, b) => a - b)[2]!;
      log(`average (SWA, ${acc} accumulation) of 3 × ${(totalMB / 3).toFixed(0)} MB: ${s.toFixed(2)} s = ${(totalMB / s).toFixed(0)} MB/s read; cat > /dev/null: ${cat.toFixed(2)} s = ${(totalMB / cat).toFixed(0)} MB/s; ratio ${(s / cat).toFixed(2)}×`);
    }
    // Cold page cache (checkpoints are usually larger than RAM or not yet read): drop OUR files' cached pages with
    // GNU dd's iflag=nocache (per file, nothing system-wide) before every run of either side.
    const drop = () => {
      for (const f of [...files, join(dir, "avg-cold.safetensors")]) execFileSync("sh", ["-c", `[ -f ${f} ] && dd if=${f} iflag=nocache count=0 status=none || true`]);
    };
    const coldCat: number[] = [];
    const coldAvg: number[] = [];
    for (let i = 0; i < 3; i++) {
      drop();
      const t0 = performance.now();
      execFileSync("sh", ["-c", `cat ${files.join(" ")} > /dev/null`]);
      coldCat.push((performance.now() - t0) / 1000);
      drop();
      coldAvg.push((await averageSafetensors({ inputs: files, output: join(dir, "avg-cold.safetensors"), method: "swa" })).seconds);
    }
    const cc = coldCat.sort((a, b) => a - b)[1]!;
    const ca = coldAvg.sort((a, b) => a - b)[1]!;
    log(`cold cache (median of 3): average (f64) ${ca.toFixed(2)} s = ${(totalMB / ca).toFixed(0)} MB/s; cat > /dev/null ${cc.toFixed(2)} s = ${(totalMB / cc).toFixed(0)} MB/s; ratio ${(ca / cc).toFixed(2)}×`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
