import { GPU_COUNT, SEARCH_TOP } from "../../src/core/config/bounds.ts";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

const fixture = join(import.meta.dirname, "..", "fixtures", "run", "gpt3-175b-h100.yaml");
const tmp = mkdtempSync(join(tmpdir(), "scaleplan-step-"));
const write = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe("scaleplan step / search / validate", () => {
  it("step --json prints exactly the run-config.md output shape", async () => {
    const io = memoryIO();
    expect(await runCli(["step", "--config", fixture, "--json"], io)).toBe(0);
    const out = JSON.parse(io.out) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(["stepTimeSeconds", "tokensPerSecondPerGpu", "modelFlopsPerToken", "mfu", "mfuAtPrecisionPeak", "memoryPerGpuGiB", "fitsInMemory", "software", "breakdown"]);
    expect(Object.keys(out["memoryPerGpuGiB"] as object)).toEqual(["weights", "gradients", "optimizer", "activations", "total"]);
    expect(out["modelFlopsPerToken"]).toBe(1_076_442_955_776);
    expect(io.out).not.toMatch(/NaN|null/);
    // No software block in the file: megatron-core with its defaults, printed in full.
    expect(out["software"]).toEqual({ framework: "megatron-core", attention: "cudnn", compile: false, tpCommOverlap: false });
  });

  it("step --json fills the framework's defaults into the software it prints", async () => {
    const cfg = write("titan.yaml", "model: { layers: 2, hidden: 1024, heads: 8, vocab: 1000, seqLen: 1024 }\nhardware: { gpu: h100-sxm, count: 8 }\ntraining: { globalBatch: 8, precision: fp8 }\nsoftware: { framework: torchtitan, compile: true }\n");
    const io = memoryIO();
    expect(await runCli(["step", "--config", cfg, "--json"], io)).toBe(0);
    const out = JSON.parse(io.out) as { software: object };
    expect(out.software).toEqual({ framework: "torchtitan", attention: "flash", compile: true, tpCommOverlap: false, fp8Recipe: "tensorwise", fp8AllGather: false });
  });

  it("step prints a readable breakdown", async () => {
    const io = memoryIO();
    expect(await runCli(["step", "--config", fixture], io)).toBe(0);
    expect(io.out).toMatch(/where the step time goes/);
    expect(io.out).toMatch(/tensor-parallel comm \(exposed\).*scale-up, exposed/);
    expect(io.out).toMatch(/pipeline bubble/);
    expect(io.out).toMatch(/optimizer states/);
  });

  it("bad input is one line naming the field, exit 2", async () => {
    const bad = write("bad.yaml", "model: { layers: 96, hidden: 12288, heads: 96, vocab: 51200, seqLen: 2048 }\nhardware: { gpu: h100-sxm, count: 1000 }\nparallelism: { tp: 8, pp: 8 }\ntraining: { globalBatch: 1536 }\n");
    const io = memoryIO();
    expect(await runCli(["step", "--config", bad], io)).toBe(2);
    expect(io.err.trim().split("\n")).toHaveLength(1);
    expect(io.err).toMatch(/parallelism\.tp·pp·cp = 8·8·1 = 64 must divide hardware\.count \(1000\)/);
  });

  it("a layout that cannot fit is bad input (exit 2) unless --allow-oom", async () => {
    const cfg = write("oom.yaml", "model: { layers: 96, hidden: 12288, heads: 96, vocab: 51200, seqLen: 2048 }\nhardware: { gpu: a100-sxm-40gb, count: 8 }\nparallelism: { tp: 8 }\ntraining: { globalBatch: 8 }\n");
    const io = memoryIO();
    expect(await runCli(["step", "--config", cfg], io)).toBe(2);
    expect(io.err.trim().split("\n")).toHaveLength(1);
    expect(io.err).toMatch(/parallelism: tp8 pp1 .* needs \d+\.\d GiB per GPU; at most 38\.0 GiB fit/);
    const io2 = memoryIO();
    expect(await runCli(["step", "--config", cfg, "--allow-oom", "--json"], io2)).toBe(0);
    expect((JSON.parse(io2.out) as { fitsInMemory: boolean }).fitsInMemory).toBe(false);
  });

  it("a custom GPU from a file, overriding a preset field by field", async () => {
    write("gpu.yaml", "preset: h100-sxm\nhbmGiB: 96\nhbmTBps: 2.4\n");
    const cfg = write("custom.yaml", "model: { layers: 2, hidden: 1024, heads: 8, vocab: 1000, seqLen: 1024 }\nhardware: { gpu: gpu.yaml, count: 8 }\ntraining: { globalBatch: 8 }\n");
    const io = memoryIO();
    expect(await runCli(["step", "--config", cfg, "--json"], io)).toBe(0);
    const out = JSON.parse(io.out) as { breakdown: { memoryGiB: { hbm: number }; efficiency: { gpu: string } } };
    expect(out.breakdown.memoryGiB.hbm).toBe(96);
    expect(out.breakdown.efficiency.gpu).toBe("h100-sxm-custom");
  });

  it("search ranks fitting layouts fastest first", async () => {
    const cfg = write("search.yaml", "model: { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, ffnKind: swiglu, vocab: 128256, seqLen: 8192 }\nhardware: { gpu: h100-sxm, count: 16 }\ntraining: { globalBatch: 64 }\n");
    const io = memoryIO();
    expect(await runCli(["search", "--config", cfg, "--top", "3", "--json"], io)).toBe(0);
    const r = JSON.parse(io.out) as { best: Array<{ stepTimeSeconds: number; memoryPerGpuGiB: number }>; usableMemoryGiB: number };
    expect(r.best).toHaveLength(3);
    expect(r.best[0]!.stepTimeSeconds).toBeLessThanOrEqual(r.best[1]!.stepTimeSeconds);
    for (const b of r.best) expect(b.memoryPerGpuGiB).toBeLessThanOrEqual(r.usableMemoryGiB);
  });

  it("search rejects a --top or --gpus that is not a whole number >= 1, naming the value typed (exit 2)", async () => {
    const cfg = write("search-flags.yaml", "model: { layers: 2, hidden: 1024, heads: 8, vocab: 1000, seqLen: 1024 }\nhardware: { gpu: h100-sxm, count: 8 }\ntraining: { globalBatch: 8 }\n");
    for (const [flag, value] of [["--top", ""], ["--top", "2.5"], ["--gpus", "0"], ["--gpus", "eight"]] as const) {
      const io = memoryIO();
      expect(await runCli(["search", "--config", cfg, flag, value], io)).toBe(2);
      // The bounds are named since issue 13 (search time grows with --top; layouts enumerate divisors of --gpus).
      expect(io.err).toBe(`scaleplan: ${flag}: ${JSON.stringify(value)} is not allowed; expected ${(flag === "--top" ? SEARCH_TOP : GPU_COUNT).allowed}\n`);
    }
  });

  it("search with nothing that fits names the smallest memory needed, exit 1", async () => {
    const cfg = write("huge.yaml", "model: { layers: 96, hidden: 12288, heads: 96, vocab: 51200, seqLen: 2048 }\nhardware: { gpu: a100-sxm-40gb, count: 8 }\ntraining: { globalBatch: 8 }\n");
    const io = memoryIO();
    expect(await runCli(["search", "--config", cfg], io)).toBe(1);
    expect(io.err).toMatch(/no layout fits in 38\.0 GiB usable per GPU; the smallest needs \d+\.\d GiB per GPU \(tp\d+/);
  });

  it("validate prints every calibration row and the median error", async () => {
    const io = memoryIO();
    expect(await runCli(["validate"], io)).toBe(0);
    expect(io.out).toMatch(/^K2b\s/m);
    expect(io.out).toMatch(/^MB4\s/m); // DeepSeek-V3: MLA, 61 layers on pp 4 × vp 4
    expect(io.out).toMatch(/^T5-32k\s/m); // 126 layers on pp 8
    expect(io.out).toMatch(/median \|error\|/);
    expect(io.out).toMatch(/^framework torchtitan\s+9\s/m);
    expect(io.out).toMatch(/^GPU hopper\s/m);
  });
});
