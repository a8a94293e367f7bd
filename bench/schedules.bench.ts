// Issue 4 §5: MPL fit on three curves (≤ 10 s at the published accuracy), predicting a 100,000-step curve
// (≤ 0.1 s), safetensors averaging throughput vs `cat` of the same files to /dev/null (within 2×; benchAveraging).
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fitMpl } from "../src/core/curves/fit-mpl.ts";
import { fitMetrics } from "../src/core/curves/curve.ts";
import { mplPredict } from "../src/core/curves/multi-power-law.ts";
import { parseScheduleSpec } from "../src/core/schedule/spec.ts";
import { scheduleLrArray } from "../src/core/schedule/generators.ts";
import { encodeSafetensorsHeader } from "../src/core/safetensors.ts";
import { averageSafetensors, type AverageOptions } from "../src/node/safetensors-average.ts";
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

  await benchAveraging(log);
}

const median = (a: readonly number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(3)).join(" ");

/** Wall and CPU (user + sys) seconds of `cat FILES > /dev/null`; the CPU time comes from the shell's `times`. */
function timeCat(files: readonly string[]): { wall: number; cpu: number } {
  const t0 = performance.now();
  const out = execFileSync("sh", ["-c", `cat ${files.join(" ")} > /dev/null; times`], { encoding: "utf8" });
  const wall = (performance.now() - t0) / 1000;
  const [user, sys] = (out.trim().split("\n")[1] ?? "").split(" ").map((x) => { const m = /(\d+)m([\d.]+)s/.exec(x); return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN; });
  return { wall, cpu: user! + sys! };
}

/** Wall and CPU seconds of an in-process async function. */
async function timeSelf(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 };
}

/**
 * The least any JavaScript averaging can do: read every byte (1 MiB positional reads into one buffer) and add up
 * the f32 values in a plain loop. If this alone is slower than 2 × cat, no scalar JS loop meets the target.
 */
function readAndSum(files: readonly string[]): number {
  const buf = new Uint8Array(1 << 20);
  const f32 = new Float32Array(buf.buffer);
  let sum = 0;
  for (const path of files) {
    const fd = openSync(path, "r");
    try {
      for (let pos = 0; ; ) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n <= 0) break;
        pos += n;
        const m = n >> 2;
        for (let i = 0; i < m; i++) sum += f32[i]!;
      }
    } finally {
      closeSync(fd);
    }
  }
  return sum;
}

/**
 * The system calls any averaging program must make, in any language (without mmap): read every byte and write one
 * checkpoint's worth of output to a new file. cat does only the first half.
 */
function readAndWrite(files: readonly string[], output: string): void {
  const buf = new Uint8Array(1 << 20);
  const out = openSync(output, "w");
  try {
    for (const [k, path] of files.entries()) {
      const fd = openSync(path, "r");
      try {
        for (let pos = 0; ; ) {
          const n = readSync(fd, buf, 0, buf.length, pos);
          if (n <= 0) break;
          if (k === 0) writeSync(out, buf, 0, n, pos);
          pos += n;
        }
      } finally {
        closeSync(fd);
      }
    }
  } finally {
    closeSync(out);
    rmSync(output, { force: true });
  }
}

/**
 * Averaging throughput vs `cat` of the same files (issue 4 §5: within 2×). Three 134 MB checkpoints (f32 + bf16
 * tensors). Warm: pages cached (every variant ran once before). Cold: OUR files' cached pages dropped with GNU dd's
 * iflag=nocache (posix_fadvise DONTNEED, per file, nothing system-wide) before every run of every variant. Runs are
 * interleaved round by round so machine load hits every variant alike; medians, CPU time (user + sys) alongside,
 * because on a shared 2-core machine wall time mostly measures the scheduler.
 */
export async function benchAveraging(log: (line: string) => void, rounds = { warm: 7, cold: 5 }): Promise<void> {
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
    const totalGB = (3 * (bytes.length + dataSize)) / 1e9;
    const output = join(dir, "avg.safetensors");
    const avg = (extra: Partial<AverageOptions>) => () => averageSafetensors({ inputs: files, output, method: "swa", ...extra });
    const variants: Array<[string, () => Promise<{ wall: number; cpu: number }>]> = [
      ["cat > /dev/null", async () => timeCat(files)],
      ["average (default: f64 SIMD, 256 Ki-element chunks, next chunk read ahead on the thread pool)", () => timeSelf(avg({}))],
      ["average, 1 Mi-element chunks", () => timeSelf(avg({ chunkElements: 1 << 20 }))],
      ["average, synchronous reads (no read-ahead)", () => timeSelf(avg({ prefetch: false }))],
      ["average, --accumulate f32 (scalar JS loops)", () => timeSelf(avg({ accumulate: "f32" }))],
      ["JS floor: read all bytes + sum the f32 values in a loop", () => timeSelf(async () => readAndSum(files))],
      ["I/O floor: read all bytes (1 MiB reads) + write a 134 MB output, no arithmetic", () => timeSelf(async () => readAndWrite(files, join(dir, "io-floor.bin")))],
    ];
    const drop = () => {
      for (const f of [...files, output]) execFileSync("sh", ["-c", `[ -f ${f} ] && dd if=${f} iflag=nocache count=0 status=none || true`]);
    };
    for (const cold of [false, true]) {
      const wall = variants.map(() => [] as number[]);
      const cpu = variants.map(() => [] as number[]);
      if (!cold) for (const [, run] of variants) await run();
      const load0 = loadavg()[0]!;
      for (let r = 0; r < (cold ? rounds.cold : rounds.warm); r++) {
        for (const [i, [, run]] of variants.entries()) {
          if (cold) drop();
          const m = await run();
          wall[i]!.push(m.wall);
          cpu[i]!.push(m.cpu);
        }
      }
      const load1 = loadavg()[0]!;
      const cat = median(wall[0]!);
      log(`averaging, 3 × ${(totalGB / 3 * 1000).toFixed(0)} MB, ${cold ? "COLD" : "WARM"} page cache, median of ${wall[0]!.length} interleaved rounds (1-min load average ${load0.toFixed(1)} → ${load1.toFixed(1)} on ${cpus().length} cores):`);
      for (const [i, [name]] of variants.entries()) {
        const s = median(wall[i]!);
        log(`  ${name}: ${s.toFixed(3)} s = ${(totalGB / s).toFixed(2)} GB/s, ${(s / cat).toFixed(2)}× cat; CPU ${median(cpu[i]!).toFixed(3)} s; runs ${fmt(wall[i]!)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
