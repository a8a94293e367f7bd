import { describe, expect, it } from "vitest";
import { twoLevelCollectives } from "../../src/core/run/collectives.ts";

// One-way 450 GB/s NVLink, 50 GB/s NIC, 3 µs / 8 µs per hop, efficiency 1 (hand-computed expectations).
const net = twoLevelCollectives(
  { scaleUpBytesPerSecond: 450e9, scaleOutBytesPerSecond: 50e9, scaleUpLatencySeconds: 3e-6, scaleOutLatencySeconds: 8e-6 },
  { scaleUp: 1, scaleOut: 1 },
);

describe("two-level collectives (engine primitives underneath)", () => {
  it("ring all-reduce inside the domain: 2(p−1)/p · S / B + 2λ", () => {
    const S = 1e9;
    expect(net.allReduce(S, { size: 8, inner: 8 })).toBeCloseTo((2 * 7) / 8 * S / 450e9 + 2 * 3e-6, 12);
  });

  it("hierarchical all-gather over 8 domains × 8: the NIC carries (outer−1)/outer · S/inner, the slower level wins", () => {
    const S = 8e9;
    const intra = (7 / 8) * S / 450e9;
    const inter = (7 / 8) * (S / 8) / 50e9;
    // One hop of latency per level and phase (the engine's latency model).
    expect(net.allGather(S, { size: 64, inner: 8 })).toBeCloseTo(Math.max(intra, inter) + 3e-6 + 8e-6, 12);
    expect(net.reduceScatter(S, { size: 64, inner: 1 })).toBeCloseTo((63 / 64) * S / 50e9 + 8e-6, 12);
  });

  it("all-to-all across domains sends (p − inner)/p of the bytes over the NIC; p2p picks its level", () => {
    expect(net.allToAll(1e9, { size: 16, inner: 8 })).toBeCloseTo(Math.max((7 / 16) * 1e9 / 450e9, (8 / 16) * 1e9 / 50e9) + 8e-6, 12);
    expect(net.pointToPoint(1e8, true)).toBeCloseTo(1e8 / 50e9 + 8e-6, 12);
    expect(net.pointToPoint(1e8, false)).toBeCloseTo(1e8 / 450e9 + 3e-6, 12);
    expect(net.allReduce(1e9, { size: 1, inner: 1 })).toBe(0);
  });
});
