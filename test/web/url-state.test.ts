import { describe, expect, it } from "vitest";
import { decodeView, encodeView, toQueryString, type ViewCodec } from "../../web/src/url-state.ts";
import { text } from "../../web/src/url-fields.ts";
import { DEFAULT_CUSTOM_GPU, DEFAULT_LIMITS_STATE, DEFAULT_SCENARIO, limitsCodec, type LimitsState } from "../../web/src/views/limits/state.ts";

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
    const codec: ViewCodec<{ text: string }> = { prefix: "r", fields: { text: text() }, defaults: { text: "" } };
    for (const text of ["model:\n  layers: 96 # blocks\n", "~starts with the mark", "x".repeat(500)]) {
      const params = new URLSearchParams();
      encodeView(codec, { text }, params);
      const query = toQueryString(params);
      expect(query.startsWith("r.text=~")).toBe(true);
      expect(decodeView(codec, new URLSearchParams(query)).state.text).toBe(text);
    }
  });

  it("reads numbers as decimals only and checks every field's bounds, naming the field and what it expects", () => {
    const decoded = decodeView(limitsCodec, new URLSearchParams("l.active=0x1&l.floor=0.9"));
    expect(decoded.state.active).toBe(0);
    expect(decoded.state.floor).toBe("0.9");
    expect(decoded.warnings).toEqual([{ key: "l.active", message: '"0x1" is not a number' }]);
    expect(decodeView(limitsCodec, new URLSearchParams("l.active=6")).warnings).toEqual([
      { key: "l.active", message: "6 is not allowed; expected a whole number in [0, 5]" },
    ]);
    expect(decodeView(limitsCodec, new URLSearchParams("l.chart=pie")).warnings[0]?.message).toBe('"pie" is not allowed; expected one of utilization, parallelism');
  });

  it("refuses a list outside its size bounds, a wrong item, and unknown fields in a structured value", () => {
    const encode = (value: unknown) => {
      const params = new URLSearchParams();
      encodeView(limitsCodec, { ...DEFAULT_LIMITS_STATE, scenarios: value as LimitsState["scenarios"] }, params);
      return decodeView(limitsCodec, params);
    };
    expect(encode([]).warnings[0]?.message).toBe("0 items are not allowed; expected 1 to 6");
    expect(encode(Array.from({ length: 7 }, () => DEFAULT_SCENARIO)).warnings[0]?.message).toBe("7 items are not allowed; expected 1 to 6");
    expect(encode([{ ...DEFAULT_SCENARIO, sparse: "yes" }]).warnings[0]?.message).toBe('item 1: sparse: "yes" is not allowed; expected 0 or 1');
    expect(encode([{ ...DEFAULT_SCENARIO, extra: 1 }]).warnings[0]?.message).toBe('item 1: unknown field "extra"');
    for (const bad of [[], [{ ...DEFAULT_SCENARIO, extra: 1 }]]) expect(encode(bad).state.scenarios).toEqual(DEFAULT_LIMITS_STATE.scenarios);
    // A custom GPU (an optional record) round-trips; a preset scenario stays without one.
    const custom = [{ ...DEFAULT_SCENARIO, gpu: "custom", custom: { ...DEFAULT_CUSTOM_GPU, numSms: "100" } }, DEFAULT_SCENARIO];
    const back = encode(custom);
    expect(back.warnings).toEqual([]);
    expect(back.state.scenarios).toEqual(custom);
    expect("custom" in back.state.scenarios[1]!).toBe(false);
  });
});
