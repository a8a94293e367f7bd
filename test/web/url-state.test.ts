import { describe, expect, it } from "vitest";
import { z } from "zod";
import { decodeView, encodeView, toQueryString } from "../../web/src/url-state.ts";
import { DEFAULT_LIMITS_STATE, DEFAULT_SCENARIO, limitsCodec, type LimitsState } from "../../web/src/views/limits/state.ts";

function roundTrip(state: LimitsState): { state: LimitsState; query: string } {
  const params = new URLSearchParams();
  encodeView(limitsCodec, state, params);
  const query = toQueryString(params);
  return { state: decodeView(limitsCodec, new URLSearchParams(query)).state, query };
}

describe("URL state", () => {
  it("writes nothing for the default state, so the bare page address is the default view", () => {
    expect(roundTrip(DEFAULT_LIMITS_STATE).query).toBe("");
  });

  it("round-trips scalars as readable text and structured fields as compressed JSON", () => {
    const state: LimitsState = {
      ...DEFAULT_LIMITS_STATE,
      floor: "0.75",
      chart: "parallelism",
      active: 1,
      scenarios: [DEFAULT_SCENARIO, { ...DEFAULT_SCENARIO, gpu: "a100-sxm", sparse: true, months: "6 " }],
    };
    const { state: back, query } = roundTrip(state);
    expect(back).toEqual(state);
    expect(query).toContain("l.floor=0.75");
    expect(query).toContain("l.chart=parallelism");
    expect(query).toMatch(/l\.scenarios=~[A-Za-z0-9%_.!*'()~-]+/);
  });

  it("keeps invalid text typed into a numeric field (its error is shown again after a reload)", () => {
    const state: LimitsState = { ...DEFAULT_LIMITS_STATE, floor: "abc" };
    expect(roundTrip(state).state.floor).toBe("abc");
  });

  it("resets only the fields of a link that do not fit the schema, and says which", () => {
    const decoded = decodeView(limitsCodec, new URLSearchParams("l.floor=0.5&l.chart=pie&l.active=x&l.scenarios=~garbage"));
    expect(decoded.state.floor).toBe("0.5");
    expect(decoded.state.chart).toBe(DEFAULT_LIMITS_STATE.chart);
    expect(decoded.state.active).toBe(0);
    expect(decoded.state.scenarios).toEqual(DEFAULT_LIMITS_STATE.scenarios);
    expect(decoded.warnings.map((w) => w.key).sort()).toEqual(["l.active", "l.chart", "l.scenarios"]);
  });

  it("stores long or multi-line text compressed and gets it back exactly", () => {
    const codec = { prefix: "r", schema: z.object({ text: z.string() }), defaults: { text: "" } };
    for (const text of ["model:\n  layers: 96 # blocks\n", "~starts with the mark", "x".repeat(500)]) {
      const params = new URLSearchParams();
      encodeView(codec, { text }, params);
      const query = toQueryString(params);
      expect(query.startsWith("r.text=~")).toBe(true);
      expect(decodeView(codec, new URLSearchParams(query)).state.text).toBe(text);
    }
  });
});
