// Numbers in bounds and errors are written as a person types them, with one formatter (src/core/format.ts
// formatExact) for the CLI, the core and the web forms: the link-bandwidth bound printed as 0.000001 and the web
// forms wrote 1e12 as 1,000,000,000,000 and 1e35 as 1e+35 (issue 13).
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import * as bounds from "../../src/core/config/bounds.ts";
import { describeRule } from "../../src/core/config/number.ts";
import { describeValue } from "../../src/core/errors.ts";
import { formatBytes, formatExact } from "../../src/core/format.ts";
import { describeBound } from "../../web/src/worker/bounds.ts";

async function cli(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

describe("formatExact", () => {
  it("writes bounds as people type them", () => {
    const cases: Array<[number, string]> = [
      [1e-6, "1e-6"], [2.5e-4, "2.5e-4"], [0.001, "0.001"], [0.01, "0.01"], [0.5, "0.5"], [0, "0"], [1, "1"], [3600, "3,600"],
      [1_048_576, "1,048,576"], [4_999_999, "4,999,999"], [1e7, "1e7"], [1e12, "1e12"], [2.5e12, "2.5e12"], [1e35, "1e35"], [-1e-6, "-1e-6"], [-2048, "-2,048"],
    ];
    for (const [x, text] of cases) expect(formatExact(x), String(x)).toBe(text);
  });

  it("never rounds: the text reads back as the same number", () => {
    for (const x of [1 / 3, 1e-7 / 3, 123456.789, 9007199254740991, 5e-324, 1.7976931348623157e308, 0.1 + 0.2]) {
      expect(Number(formatExact(x).replaceAll(",", "")), String(x)).toBe(x);
    }
  });

  it("writes sizes in binary units", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(256 * 2 ** 20)).toBe("256 MiB");
    expect(formatBytes(1.5 * 2 ** 30)).toBe("1.5 GiB");
  });
});

describe("every bound of config/bounds.ts reads as typed, in the core and in the web forms", () => {
  const named = Object.entries(bounds).filter((e): e is [string, bounds.Bound] => typeof e[1] === "object" && e[1] !== null && "allowed" in e[1]);

  it("has no 0.000001, no e+ and no fifteen-digit numbers", () => {
    expect(named.length).toBeGreaterThan(10);
    for (const [name, bound] of named) {
      for (const text of [bound.allowed, describeBound({ min: bound.min, max: bound.max, ...(bound.integer ? { integer: true } : {}), ...(bound.minExclusive ? { minExclusive: true } : {}) })]) {
        expect(text, name).not.toMatch(/0\.0000|e\+|\d{8}/);
      }
    }
  });

  it("writes the link-bandwidth bound as 1e-6 in the CLI's error line", async () => {
    expect(describeRule({ min: bounds.LINK_GBPS.min, max: bounds.LINK_GBPS.max })).toBe("a finite number in [1e-6, 1,000,000]");
    const r = await cli("diloco", "--params", "1e9", "--bandwidth", "1e-9");
    expect(r.err).toBe('scaleplan: --bandwidth: "1e-9" is not allowed; expected a finite number in [1e-6, 1,000,000] (1 kbit/s to 1 Pbit/s)\n');
    expect(r.code).toBe(2);
  });

  it("writes values from files as typed (1e40, not 1e+40)", () => {
    expect(describeValue(1e40)).toBe("1e40");
    expect(describeValue(1e-7)).toBe("1e-7");
    expect(describeValue(-0)).toBe("-0");
  });

  it("prints the budget bounds of optimal in the same form", async () => {
    const r = await cli("optimal", "--gpus", "1", "--days", "1e-9", "--gpu", "h100-sxm");
    expect(r.code).toBe(2);
    expect(r.err).toBe("scaleplan: the budget 3.418e10 FLOP (gpus × days × 86,400 × utilization × peak) is not allowed; expected 1e12 to 1e35 FLOP\n");
    expect(r.err).not.toMatch(/e\+|1000000000000/);
  });
});
