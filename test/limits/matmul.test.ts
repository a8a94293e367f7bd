import { describe, expect, it } from "vitest";
import { findDataMovementGpu } from "../../src/core/hardware/lookup.ts";
import { deriveGpu } from "../../src/core/limits/gpus.ts";
import { matmulTraffic } from "../../src/core/limits/matmul.ts";
import { expectPrinted } from "./printed.ts";

const h100 = deriveGpu(findDataMovementGpu("h100-sxm")!);

describe("H100 SXM derived constants (spec §1.2)", () => {
  it("peak and effective FLOP/s, shared-memory bandwidth, usable L2", () => {
    expectPrinted(h100.peakFlopPerS, "9.894e14");
    expectPrinted(h100.flopPerS, "6.926e14");
    expectPrinted(h100.sharedBps, "2.164e13");
    expect(h100.usefulL2Bytes).toBe(39_321_600);
    expect(4 * h100.usefulRegisterBytesPerBlock).toBe(196_608);
  });
  it("the other base GPUs", () => {
    const v100 = deriveGpu(findDataMovementGpu("v100-sxm")!);
    const a100 = deriveGpu(findDataMovementGpu("a100-sxm")!);
    const pcie = deriveGpu(findDataMovementGpu("h100-pcie")!);
    expectPrinted(v100.peakFlopPerS, "1.256e14");
    expectPrinted(a100.peakFlopPerS, "3.119e14");
    expectPrinted(pcie.peakFlopPerS, "7.564e14");
    expectPrinted(v100.sharedBps, "1.413e13");
    expectPrinted(a100.sharedBps, "1.657e13");
    expectPrinted(pcie.sharedBps, "1.30e13");
  });
});

// Spec §3.5 "Single matmul times": d1, d2, b, wgrad, HBM, L2↔SM, DSMEM, SM↔reg bytes, time.
const vectors: Array<[number, number, number, boolean, string, string, string, string, string]> = [
  [6144, 3072, 57344, false, "1.094713e9", "1.447035e9", "1.930291e10", "4.075749e10", "3.129913e-3"],
  [6144, 3072, 57344, true, "1.132462e9", "1.484784e9", "1.380813e10", "2.769175e10", "3.129913e-3"],
  [3072, 6144, 57344, false, "1.094713e9", "1.799356e9", "2.000755e10", "4.110981e10", "3.129913e-3"],
  [4096, 1024, 128, false, "1.310720e6", "1.310720e6", "8.216807e6", "1.951929e7", "6.050304e-6"],
  [128, 128, 8, false, "4096", "4096", "0", "4096", "4.501272e-6"],
  [49152, 12288, 4096, false, "4.168123e9", "4.945983e9", "4.653685e10", "9.548961e10", "7.148301e-3"],
];

describe("single matmul model (spec §2.3, §3.5)", () => {
  for (const [d1, d2, b, wgrad, hbm, l2sm, dsmem, smreg, time] of vectors) {
    it(`${d1}×${d2}×${b}${wgrad ? " wgrad" : ""}`, () => {
      const t = matmulTraffic(h100, d1, d2, b, wgrad);
      expectPrinted(t.hbmToL2Bytes, hbm);
      expectPrinted(t.l2ToSmBytes, l2sm);
      expectPrinted(t.dsmemBytes, dsmem);
      expectPrinted(t.smToRegisterBytes, smreg);
      expectPrinted(t.timeS, time);
      // The composite volumes are sums of the hops (spec §2.3).
      expect(t.l2Bytes).toBe(t.hbmToL2Bytes + t.l2ToSmBytes);
      expect(t.smemBytes).toBe(t.l2ToSmBytes + t.dsmemBytes + t.smToRegisterBytes);
    });
  }
  it("a small matmul is dominated by the 4.5 µs kernel latency", () => {
    const t = matmulTraffic(h100, 4096, 1024, 128, false);
    expect(t.paddedFlop / h100.flopPerS).toBeLessThan(1.6e-6);
    expect(t.timeS - 4.5e-6).toBeCloseTo(t.paddedFlop / h100.flopPerS > t.smemBytes / h100.sharedBps ? t.paddedFlop / h100.flopPerS : t.smemBytes / h100.sharedBps, 15);
  });
});
