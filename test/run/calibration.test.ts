// The shipped constants are what the calibration fit finds (calibration-fit.ts: least squares of the log error
// of the published quantity over data/real-runs, coordinate descent from the stated priors).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_STEP_CONSTANTS } from "../../src/core/run/calibration.ts";
import { FIT_EXCLUDED, FITTED_PARAMETERS, fitConstants } from "../../src/core/run/calibration-fit.ts";
import { readRunFolder } from "../../tools/held-out-section.ts";

const dir = join(import.meta.dirname, "..", "..", "data", "real-runs");
const runs = readRunFolder(dir);

describe("calibration", () => {
  const fit = fitConstants(runs);

  // Tolerance: the shipped values are the fitted ones rounded to 3 significant digits (0.5 % relative), and the
  // golden-section search stops at 1e-4 of each parameter's range.
  it("every shipped constant equals the refit within 1 % (or 0.003 absolute)", () => {
    for (const p of FITTED_PARAMETERS) {
      const shipped = p.get(DEFAULT_STEP_CONSTANTS);
      const found = p.get(fit.constants);
      expect(Math.abs(shipped - found), p.name).toBeLessThanOrEqual(Math.max(0.01 * Math.abs(found), 0.003));
    }
  });

  it("fits on every row except the documented exclusions, and each parameter is pinned by some row", () => {
    expect(fit.fittedRows).toHaveLength(runs.length - Object.keys(FIT_EXCLUDED).length);
    for (const p of fit.parameters) expect(p.rows.length, p.name).toBeGreaterThan(0);
  });

  it("without a family's rows, a parameter only that family pins stays at its prior", () => {
    const noDeepSpeed = fitConstants(runs, { leaveOutFramework: "deepspeed", sweeps: 1 });
    expect(noDeepSpeed.constants.gatherEfficiency["deepspeed-zero3"]).toBe(1);
    expect(noDeepSpeed.parameters.find((p) => p.name === "gatherEfficiency.deepspeed-zero3")!.rows).toEqual([]);
  });
});
