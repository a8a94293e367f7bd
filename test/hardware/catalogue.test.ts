// The hardware catalogue: run-config.md's preset table row by row, the data-movement reference's figures
// (spec data-movement-model.md §1.2) bit for bit, the figures added for newer GPUs consistent with their
// datasheet peaks, and lookups by id or alias that know only their own keys.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  COUNTERFACTUAL_SYSTEMS,
  DATA_MOVEMENT_IDS,
  findDataMovementGpu,
  findGpu,
  GPU_CATALOGUE,
  GPU_IDS,
  requireDataMovementGpu,
  resolveGpu,
} from "../../src/core/hardware/index.ts";
import { hardware } from "../../src/core/index.ts";
import { deriveGpu } from "../../src/core/limits/gpus.ts";

describe("catalogue ids", () => {
  it("has one canonical id per product: run-config.md's table plus the H100 PCIe", () => {
    expect(GPU_IDS).toEqual(["v100-sxm2", "a100-sxm-40gb", "a100-sxm-80gb", "h100-sxm", "h100-pcie", "h800-sxm", "h200-sxm", "b200", "gb200", "gb300", "mi300x"]);
    expect(new Set(GPU_IDS).size).toBe(GPU_IDS.length);
    expect(hardware.GPU_IDS).toBe(GPU_IDS);
    expect(hardware.findGpu("b200")?.name).toBe("B200 (HGX)");
  });

  it("keeps the data-movement reference's and the sweep's ids as aliases of one product", () => {
    expect(findGpu("v100-sxm")).toBe(findGpu("v100-sxm2"));
    expect(findGpu("a100-sxm")).toBe(findGpu("a100-sxm-40gb"));
    expect(findGpu("a100")).toBe(findGpu("a100-sxm-40gb"));
    expect(findDataMovementGpu("v100-sxm")).toBe(findDataMovementGpu("v100-sxm2"));
    expect(findDataMovementGpu("a100-sxm")!.id).toBe("a100-sxm-40gb");
    for (const s of COUNTERFACTUAL_SYSTEMS) expect(findDataMovementGpu(s.id)).toBe(s);
    // Counterfactual systems are not products: the planner cannot price them.
    expect(findGpu("h100-sxm-superpod")).toBeUndefined();
  });

  it("knows only its own keys: names every object inherits are not GPUs", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", ""]) {
      expect(findGpu(name)).toBeUndefined();
      expect(findDataMovementGpu(name)).toBeUndefined();
      expect(() => resolveGpu(name)).toThrow(/hardware\.gpu: .* is not allowed/);
      expect(() => requireDataMovementGpu(name, "--gpu")).toThrow(/--gpu: .* is not allowed/);
    }
  });

  it("says why a catalogued GPU without micro-architecture cannot go to the data-movement model", () => {
    expect(findGpu("gb300")).toBeDefined();
    expect(DATA_MOVEMENT_IDS).not.toContain("gb300");
    expect(() => requireDataMovementGpu("gb300", "--gpu")).toThrow('--gpu: "gb300" has no micro-architecture figures');
  });
});

describe("step-model figures: run-config.md's preset table", () => {
  // id: BF16, FP8, HBM GB, HBM TB/s, scale-up domain, scale-up GB/s (bidirectional), scale-out GB/s per direction.
  const table: Array<[string, number, number | null, number, number, number, number, number]> = [
    ["v100-sxm2", 125, null, 32, 0.9, 8, 300, 6.25],
    ["a100-sxm-40gb", 312, null, 40, 1.555, 8, 600, 25],
    ["a100-sxm-80gb", 312, null, 80, 2.039, 8, 600, 25],
    ["h100-sxm", 989, 1979, 80, 3.35, 8, 900, 50],
    ["h800-sxm", 989, 1979, 80, 3.35, 8, 400, 50],
    ["h200-sxm", 989, 1979, 141, 4.8, 8, 900, 50],
    ["b200", 2250, 4500, 180, 8.0, 8, 1800, 50],
    ["gb200", 2450, 4900, 186, 8.0, 72, 1800, 50],
    ["gb300", 2450, 4900, 288, 8.0, 72, 1800, 100],
    ["mi300x", 1307, 2615, 192, 5.3, 8, 896, 50],
  ];
  for (const [id, bf16, fp8, hbm, hbmTBps, domain, up, out] of table) {
    it(id, () => {
      const g = findGpu(id)!;
      expect([g.peakTflopsBf16, g.peakTflopsFp8, g.hbmGiB, g.hbmTBps, g.scaleUpDomain, g.scaleUpGBpsBidirectional, g.scaleOutGBpsPerDirection]).toEqual([
        bf16, fp8, hbm, hbmTBps, domain, up, out,
      ]);
      // The run step model sees exactly these figures (plus the host link), not the catalogue's extras.
      expect(resolveGpu(id)).toEqual({ ...pickSpec(g) });
    });
  }
  it("V100 has FP16 tensor cores only; every other GPU takes BF16", () => {
    for (const g of GPU_CATALOGUE) expect(g.hasBf16).toBe(g.id !== "v100-sxm2");
  });
});

function pickSpec(g: NonNullable<ReturnType<typeof findGpu>>) {
  const { name: _n, boardPowerWatts: _b, price: _p, dataMovement: _d, ...spec } = g;
  return spec;
}

describe("planner fields: power, host link, price", () => {
  it("every product has a board power, a host link and a dated, sourced price", () => {
    for (const g of GPU_CATALOGUE) {
      expect(g.boardPowerWatts, g.id).toBeGreaterThanOrEqual(250);
      expect(g.boardPowerWatts, g.id).toBeLessThanOrEqual(1400);
      expect(g.price.usdPerGpuHour, g.id).toBeGreaterThan(0.5);
      expect(g.price.usdPerGpuHour, g.id).toBeLessThan(10);
      expect(g.price.source.length, g.id).toBeGreaterThan(20);
      expect(g.price.date, g.id).toMatch(/20\d\d/);
    }
  });
  it("host links: PCIe Gen3/4/5 x16 by generation, NVLink-C2C on Grace-Blackwell", () => {
    expect(GPU_CATALOGUE.map((g) => [g.id, g.hostLinkGBpsPerDirection])).toEqual([
      ["v100-sxm2", 16],
      ["a100-sxm-40gb", 32],
      ["a100-sxm-80gb", 32],
      ["h100-sxm", 64],
      ["h100-pcie", 64],
      ["h800-sxm", 64],
      ["h200-sxm", 64],
      ["b200", 64],
      ["gb200", 450],
      ["gb300", 450],
      ["mi300x", 64],
    ]);
  });
  it("board power follows the datasheets: H100 SXM 700 W, B200 1000 W, GB200 1200 W, MI300X 750 W", () => {
    expect(["h100-sxm", "h100-pcie", "b200", "gb200", "mi300x"].map((id) => findGpu(id)!.boardPowerWatts)).toEqual([700, 350, 1000, 1200, 750]);
  });
});

describe("custom GPUs (run-config.md, Hardware as run)", () => {
  it("overrides a catalogue GPU field by field, the host link included", () => {
    const g = resolveGpu({ preset: "h100-sxm", hostLinkGBpsPerDirection: 450, hbmGiB: 96 });
    expect(g).toMatchObject({ id: "h100-sxm-custom", hostLinkGBpsPerDirection: 450, hbmGiB: 96, peakTflopsBf16: 989 });
    expect(resolveGpu({ preset: "a100" }).id).toBe("a100-sxm-40gb-custom");
  });
  it("a GPU given in full without a host link gets PCIe Gen5 x16", () => {
    const g = resolveGpu({ peakTflopsBf16: 100, hbmGiB: 24, hbmTBps: 1, scaleUpDomain: 4, scaleUpGBpsBidirectional: 100, scaleOutGBpsPerDirection: 25 });
    expect(g.hostLinkGBpsPerDirection).toBe(64);
    expect(g.id).toBe("custom");
  });
  it("a preset named by an inherited property is refused", () => {
    expect(() => resolveGpu({ preset: "constructor" })).toThrow(/hardware\.gpu\.preset: "constructor" is not allowed/);
  });
});

describe("data-movement figures", () => {
  it("V100/A100/H100 carry the reference's values (spec §1.2 table), bit for bit", () => {
    const rows: Array<[string, number, number, number, number, number, number, number, number, boolean]> = [
      // id, FLOP/clk/thread, SMs, max clock, eff. util, HBM B/s, L2 B/s, L2 MiB, memory bytes, DSMEM
      ["v100-sxm", 8, 80, 1533e6, 0.9, 900e9, 2155e9, 6, 3.2e10, false],
      ["a100-sxm", 16, 108, 1410e6, 0.85, 1555e9, 5603e9, 40, 4e10, false],
      ["h100-pcie", 32, 114, 1620e6, 0.55, 2039e9, 5563e9, 50, 8e10, true],
      ["h100-sxm", 32, 132, 1830e6, 0.7, 3352e9, 6441e9, 50, 8e10, true],
    ];
    for (const [id, fpc, sms, clock, eff, hbm, l2, l2MiB, mem, dsmem] of rows) {
      const g = findDataMovementGpu(id)!;
      expect([g.flopPerClockPerThread, g.numSms, g.maxClockHz, g.effectiveUtilization, g.hbmBps, g.l2Bps, g.l2Bytes, g.memoryBytes, g.dsmem]).toEqual([
        fpc, sms, clock, eff, hbm, l2, l2MiB * 1024 * 1024, mem, dsmem,
      ]);
      expect(g.registerBytesPerProcessingBlock).toBe(64 * 1024);
      expect(g.matmulLatencyS).toBe(4.5e-6);
      expect(g.network.latenciesS).toEqual([1.125e-6, 1.125e-6]);
    }
    // Peak 16-bit FLOP/s of the spec's table.
    expect(["v100-sxm", "a100-sxm", "h100-pcie", "h100-sxm"].map((id) => deriveGpu(findDataMovementGpu(id)!).peakFlopPerS.toPrecision(4))).toEqual([
      "1.256e+14", "3.119e+14", "7.564e+14", "9.894e+14",
    ]);
  });

  it("every GPU's micro-architecture reproduces its datasheet dense peak (FLOP/clk/thread · 128 · SMs · clock)", () => {
    for (const g of GPU_CATALOGUE) {
      if (!g.dataMovement) continue;
      const peak = deriveGpu({ id: g.id, name: g.name, ...g.dataMovement }).peakFlopPerS;
      expect(Math.abs(peak / (g.peakTflopsBf16 * 1e12) - 1), g.id).toBeLessThan(0.005);
    }
  });

  it("the added GPUs: H200 = H100 silicon with HBM3e; Blackwell 148 SMs, 126 MB L2; MI300X 304 CUs, Infinity Cache", () => {
    const h100 = findDataMovementGpu("h100-sxm")!;
    const h200 = findDataMovementGpu("h200-sxm")!;
    expect({ ...h200, id: h100.id, name: h100.name, hbmBps: h100.hbmBps, memoryBytes: h100.memoryBytes }).toEqual(h100);
    expect(h200.hbmBps).toBe(4.8e12);
    const b200 = findDataMovementGpu("b200")!;
    expect([b200.numSms, b200.l2Bytes, b200.hbmBps, b200.dsmem]).toEqual([148, 126 * 1024 * 1024, 8e12, true]);
    expect(b200.maxClockHz / 1e9).toBeCloseTo(1.856, 3);
    // L2 must be faster than HBM (the assumption keeps the H100's ratio).
    expect(b200.l2Bps / b200.hbmBps).toBeCloseTo(6441 / 3352, 12);
    const gb200 = findDataMovementGpu("gb200")!;
    expect(gb200.maxClockHz / 1e9).toBeCloseTo(2.021, 3);
    expect(gb200.network.levelSizes).toEqual([64]); // an NVL72 rack, tiled by power-of-two clusters
    expect(findGpu("gb200")!.scaleUpDomain).toBe(72);
    const mi = findDataMovementGpu("mi300x")!;
    expect([mi.numSms, mi.maxClockHz, mi.l2Bytes, mi.l2Bps, mi.effectiveUtilization, mi.dsmem]).toEqual([304, 2.1e9, 256 * 1024 * 1024, 17.2e12, 0.45, false]);
  });

  it("every data-movement id resolves, and lists catalogue GPUs before the counterfactual systems", () => {
    expect(DATA_MOVEMENT_IDS.slice(0, 10)).toEqual(["v100-sxm2", "a100-sxm-40gb", "a100-sxm-80gb", "h100-sxm", "h100-pcie", "h800-sxm", "h200-sxm", "b200", "gb200", "mi300x"]);
    expect(DATA_MOVEMENT_IDS.slice(10)).toEqual(COUNTERFACTUAL_SYSTEMS.map((s) => s.id));
    for (const id of DATA_MOVEMENT_IDS) expect(findDataMovementGpu(id)!.id).toBe(id);
  });
});

describe("docs/hardware.md", () => {
  // The page's two tables are the catalogue, row by row: regenerate them from here if this fails.
  const text = readFileSync(join(import.meta.dirname, "../../docs/hardware.md"), "utf8");
  const f = (x: number) => String(Number(x.toPrecision(4)));
  it("lists every product with its figures, power, host link and price", () => {
    for (const g of GPU_CATALOGUE) {
      const row = `| ${g.id} | ${g.name} | ${g.peakTflopsBf16} / ${g.peakTflopsFp8 ?? "—"} | ${g.hbmGiB}, ${g.hbmTBps} | ${g.scaleUpDomain}, ${g.scaleUpGBpsBidirectional} | ${g.scaleOutGBpsPerDirection} | ${g.hostLinkGBpsPerDirection} | ${g.boardPowerWatts} | ${f(g.price.usdPerGpuHour)} (${g.price.date}) |`;
      expect(text).toContain(row);
    }
  });
  it("lists every product's data-movement figures", () => {
    for (const g of GPU_CATALOGUE) {
      const d = g.dataMovement;
      const row = d
        ? `| ${g.id} | ${d.numSms} | ${d.flopPerClockPerThread} | ${f(d.maxClockHz / 1e9)} | ${f(d.l2Bytes / 2 ** 20)} | ${f(d.l2Bps / 1e12)} | ${f(d.hbmBps / 1e12)} | ${f(d.registerBytesPerProcessingBlock / 1024)} | ${d.dsmem ? "yes" : "no"} | ${d.effectiveUtilization} | (${d.network.levelSizes.join(", ")}); ${d.network.bandwidthsBps.map((b) => f(b / 1e9)).join(", ")} |`
        : `| ${g.id} | — | — | — | — | — | — | — | — | — | no public micro-architecture figures |`;
      expect(text).toContain(row);
    }
  });
});
