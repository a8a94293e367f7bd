// Curve-law presets, extrapolation warnings and the schedule studies (issue 14), against published numbers:
// the MPL final-point predictions of spec §C.2 and the measured 124M differences of spec §A.6.
import { describe, expect, it } from "vitest";
import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CURVE_LAW_PRESETS, findCurveLawPreset } from "../../src/core/curves/presets.ts";
import { extrapolations } from "../../src/core/curves/extrapolation.ts";
import { mplPredict } from "../../src/core/curves/multi-power-law.ts";
import { compareWithPaper, disagreementNote, signAgreement } from "../../src/core/curves/study-paper.ts";
import { runScheduleStudy, type StudySetup } from "../../src/core/curves/study.ts";
import { scheduleLrArray } from "../../src/core/schedule/generators.ts";
import { parseScheduleSpec } from "../../src/core/schedule/spec.ts";
import { runCli } from "../../src/cli/program.ts";
import { memoryIO } from "../../src/cli/io.ts";
import { curvePath, load25M } from "../fixtures/loss-curves/load.ts";
import { MPL_SPECS } from "../fixtures/loss-curves/mpl-specs.ts";

async function run(args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

const lr = (name: string, length?: number) => scheduleLrArray(parseScheduleSpec(MPL_SPECS[name]!), length);
const preset = (id: string) => {
  const p = findCurveLawPreset(id)!;
  return { ...p.fit, domain: p.domain };
};
const setup = (id: string): StudySetup => ({ fit: preset(id), steps: 24000, peak: 3e-4, warmup: { steps: 2160, from: 0, shape: "linspace" } });

describe("curve-law presets (Luo et al. 2025 published fits)", () => {
  it("predict the final points of spec §C.2 (cosine_24000 at its last logged step 23920)", () => {
    const last = load25M("cosine_24000").points.at(-1)!.step;
    expect(last).toBe(23920);
    // Spec §C.2 "Final-point predictions": 25M 3.3153, 100M 2.9901, 400M 2.7572 (actual → predicted).
    const want: Record<string, number> = { "mpl-25m": 3.3153, "mpl-100m": 2.9901, "mpl-400m": 2.7572 };
    for (const p of CURVE_LAW_PRESETS) {
      if (p.fit.law !== "mpl") throw new Error("MPL presets only");
      expect(mplPredict(p.fit.params, lr("cosine_24000"), [last])[0]).toBeCloseTo(want[p.id]!, 4);
    }
  });

  it("the fitted domain covers the training curves and flags the held-out 72k curve as past the horizon", () => {
    const d = findCurveLawPreset("mpl-25m")!.domain;
    for (const name of ["cosine_24000", "constant_24000", "wsdcon_9"]) {
      const c = load25M(name);
      expect(extrapolations(d, c.lr, c.points.at(-1)!.step)).toEqual([]);
    }
    const long = load25M("cosine_72000");
    expect(extrapolations(d, long.lr, long.points.at(-1)!.step).map((e) => e.kind)).toEqual(["horizon"]);
    const toZero = scheduleLrArray(parseScheduleSpec("cosine:steps=24000,peak=6e-4,warmup=2160,warmup-from=0,warmup-shape=linspace,final=0"));
    expect(extrapolations(d, toZero, 23999).map((e) => e.kind)).toEqual(["lr-above", "lr-below"]);
  });
});

describe("schedule studies vs Hägele et al. 2024 measured runs (spec §A.6)", () => {
  const study = runScheduleStudy(setup("mpl-25m"));
  const row = (study: string, label: string) => studyRows.find((r) => r.study === study && r.label === label)!;
  const studyRows = study.rows;
  const paper = compareWithPaper(setup("mpl-25m"));
  const cmp = (q: string) => paper.find((p) => p.quantity === q)!;

  it("carries the measured differences of the 124M logs", () => {
    expect(cmp("linear 20 % − cosine to 10 %").paper[0]).toBeCloseTo(-0.0148, 4);
    expect(cmp("1-sqrt 20 % − linear 20 %").paper[1]).toBeCloseTo(-0.0061, 4);
    expect(cmp("cosine to 0 − cosine to 10 %").paper[1]).toBeCloseTo(-0.0285, 4);
    expect(cmp("constant (no cooldown) − linear 20 %").paper).toEqual([null, expect.closeTo(0.1461, 4)]);
  });

  it("agrees in direction: a 20 % cooldown beats cosine to 10 %, and a constant-LR checkpoint is far worse", () => {
    expect(cmp("linear 20 % − cosine to 10 %").ours[0]).toBeLessThan(0);
    expect(cmp("linear 20 % − cosine to 10 %").ours[1]).toBeLessThan(0);
    expect(cmp("constant (no cooldown) − linear 20 %").ours[1]).toBeGreaterThan(0.05);
  });

  it("disagrees as docs/schedule-studies.md states: a 3-4× larger cooldown gain, 1-sqrt behind linear at 20 %, cosine to 0 worse at T", () => {
    const gain = cmp("linear 20 % − cosine to 10 %");
    expect(gain.ours[0] / gain.paper[0]!).toBeGreaterThan(3);
    expect(gain.ours[0] / gain.paper[0]!).toBeLessThan(4.5);
    expect(cmp("1-sqrt 20 % − linear 20 %").ours[0]).toBeGreaterThan(0);
    expect(row("fraction", "1-sqrt 5 %").finalLoss).toBeLessThan(row("fraction", "linear 5 %").finalLoss);
    expect(cmp("cosine to 0 − cosine to 10 %").ours[0]).toBeGreaterThan(0);
    expect(cmp("cosine to 0 − cosine to 10 %").ours[1]).toBeLessThan(0);
    // The law's best cooldown is ~10 %; the runs keep improving to 40–60 %.
    expect(cmp("linear 40 % − linear 20 %").ours[0]).toBeGreaterThan(0);
  });

  it("flags each comparison the law orders differently from the runs (sign over the measured horizons)", () => {
    expect(signAgreement([-0.05, -0.04], [-0.015, -0.016])).toBe("agrees");
    expect(signAgreement([0.002, 0.001], [-0.0046, -0.0061])).toBe("opposite");
    expect(signAgreement([0.0029, -0.0009], [-0.0156, -0.0285])).toBe("mixed");
    expect(signAgreement([0.08, 0.09], [null, 0.146])).toBe("agrees");
    expect(signAgreement([0.08, 0.09], [null, null])).toBe("unmeasured");
    // With the published 25M, 100M and 400M fits: 1-sqrt vs linear and the cooldown length are opposite to the
    // runs, cosine to 0 vs 10 % is opposite at T (mixed over T, 2T); the cooldown's gain and the constant-LR loss agree.
    for (const id of ["mpl-25m", "mpl-100m", "mpl-400m"]) {
      const byQuantity = Object.fromEntries(compareWithPaper(setup(id)).map((p) => [p.quantity, p.agreement]));
      expect(byQuantity).toEqual({
        "linear 20 % − cosine to 10 %": "agrees",
        "1-sqrt 20 % − linear 20 %": "opposite",
        "linear 10 % − linear 20 %": id === "mpl-400m" ? "mixed" : "opposite",
        "linear 40 % − linear 20 %": "opposite",
        "cosine to 0 − cosine to 10 %": "mixed",
        "constant (no cooldown) − linear 20 %": "agrees",
      });
    }
    expect(disagreementNote(cmp("linear 20 % − cosine to 10 %"))).toBeUndefined();
    expect(disagreementNote(cmp("1-sqrt 20 % − linear 20 %"))).toBe(
      'note: the law orders "1-sqrt 20 % − linear 20 %" opposite to the measured 124M runs (law +0.0020 at T, +0.0012 at 2T; runs -0.0046 at 25k, -0.0061 at 50k; at the runs\' η 1e-3 (above the fitted LRs) it gives -0.0041 / -0.0032, the same sign): do not read the law\'s ordering as the paper\'s finding (docs/schedule-studies.md)',
    );
  });

  it("at the runs' own peak LRs (1e-3; 2e-3 for cosine to 0) every published fit orders every comparison as the runs do", () => {
    // The MPL credits a decay in absolute LR: its ordering of shapes and final LRs changes with the peak.
    for (const id of ["mpl-25m", "mpl-100m", "mpl-400m"]) {
      for (const p of compareWithPaper(setup(id))) {
        expect(p.agreementAtRunPeaks, `${id}: ${p.quantity}`).toBe("agrees");
        expect(p.runPeaksExtrapolate).toBe(true);
      }
    }
    expect(cmp("1-sqrt 20 % − linear 20 %").oursAtRunPeaks[0]).toBeCloseTo(-0.0041, 4); // runs: −0.0046
    expect(cmp("cosine to 0 − cosine to 10 %").oursAtRunPeaks[1]).toBeCloseTo(-0.0635, 4); // runs: −0.0285
  });

  it("prices SWA between the un-annealed checkpoint and the cooldown, closing in as the window grows", () => {
    const constant = row("swa", "constant LR, last iterate").finalLoss;
    const swa500 = row("swa", "constant LR + SWA over 500 steps").finalLoss;
    const swa1000 = row("swa", "constant LR + SWA over 1000 steps").finalLoss;
    const cooldown = row("swa", "linear 20 % cooldown").finalLoss;
    expect(swa500).toBeLessThan(constant);
    expect(swa500).toBeGreaterThan(cooldown);
    expect(swa1000).toBeLessThan(swa500);
  });

  it("reports the furthest extrapolation of each kind once", () => {
    expect(study.extrapolation.map((e) => e.kind).sort()).toEqual(["horizon", "lr-above", "lr-below"]);
    expect(study.extrapolation.find((e) => e.kind === "horizon")!.value).toBe(8 * 24000 - 1);
  });
});

describe("scaleplan curve study / predict --law / optimize --law", () => {
  const dir = mkdtempSync(join(tmpdir(), "scaleplan-study-"));

  it("study --json prints rows, the paper comparison and one warning", async () => {
    const plot = join(dir, "fig5.svg");
    const r = await run(["curve", "study", "--law", "mpl-25m", "--only", "fraction,final", "--json", "--plot", plot]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.rows.filter((x: { study: string }) => x.study === "fraction")).toHaveLength(15);
    expect(doc.paper).toHaveLength(6);
    expect(r.err.match(/warning:/g)).toHaveLength(1);
    expect(existsSync(plot)).toBe(true);
  });

  it("study prints one note line under the shape and final tables for the comparisons the law orders differently", async () => {
    const r = await run(["curve", "study", "--law", "mpl-25m", "--only", "shape,final"]);
    expect(r.code).toBe(0);
    const lines = r.out.split("\n");
    const notes = lines.filter((l) => l.startsWith("note: "));
    expect(notes).toHaveLength(2);
    expect(notes[0]).toContain('"1-sqrt 20 % − linear 20 %" opposite to');
    expect(notes[1]).toContain('"cosine to 0 − cosine to 10 %" not consistently as');
    // Each note follows its study's table, before the next study starts.
    expect(lines.indexOf(notes[0]!)).toBeLessThan(lines.findIndex((l) => l.startsWith("final: ")));
    expect(r.out).toMatch(/1-sqrt 20 % − linear 20 %\s+\+0\.0020\s+\+0\.0012\s+-0\.0046\s+-0\.0061\s+OPPOSITE/);
    const json = JSON.parse((await run(["curve", "study", "--law", "mpl-25m", "--only", "final", "--json"])).out);
    expect(json.notes).toHaveLength(4);
    expect(json.paper.find((p: { quantity: string }) => p.quantity === "cosine to 0 − cosine to 10 %").agreement).toBe("mixed");
  });

  it("study refuses --plot without the fraction study, and unknown studies", async () => {
    expect((await run(["curve", "study", "--law", "mpl-25m", "--only", "swa", "--plot", join(dir, "x.svg")])).code).toBe(2);
    expect(existsSync(join(dir, "x.svg"))).toBe(false);
    const bad = await run(["curve", "study", "--law", "mpl-25m", "--only", "fig9"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^scaleplan: --only: "fig9" is not allowed/);
  });

  it("predict --law warns once past the fitted horizon, not within it", async () => {
    const inside = await run(["curve", "predict", "--law", "mpl-25m", curvePath("cosine_24000"), "--schedule", MPL_SPECS["cosine_24000"]!, "--json"]);
    expect(inside.code).toBe(0);
    expect(inside.err).toBe("");
    expect(JSON.parse(inside.out).finalLoss).toBeCloseTo(3.3153, 4);
    const past = await run(["curve", "predict", "--law", "mpl-25m", curvePath("cosine_72000"), "--schedule", MPL_SPECS["cosine_72000"]!, "--json"]);
    expect(past.code).toBe(0);
    expect(past.err.trim().split("\n")).toHaveLength(1);
    expect(past.err).toMatch(/3\.0× the fitted horizon \(24000 steps\)/);
  });

  it("optimize --law warns once (its schedules decay below the fitted LR range)", async () => {
    const r = await run(["curve", "optimize", "--law", "mpl-25m", "--steps", "4000", "--peak", "3e-4", "--warmup", "500", "--knots", "8", "--json"]);
    expect(r.code).toBe(0);
    expect(r.err.match(/warning:/g)).toHaveLength(1);
    expect(r.err).toMatch(/below the fitted range/);
  });

  it("curve fit --json records the fitted domain, which predict then warns against", async () => {
    const r = await run(["curve", "fit", "--law", "momentum", curvePath("cosine_24000"), curvePath("wsdcon_9"), "--schedule", MPL_SPECS["cosine_24000"]!, "--schedule", MPL_SPECS["wsdcon_9"]!, "--json"]);
    expect(r.code).toBe(0);
    const domain = JSON.parse(r.out).domain;
    expect(domain.maxStep).toBe(23920);
    expect(domain.maxLr).toBeCloseTo(3e-4, 12);
    expect(domain.minLr).toBeCloseTo(3.0009e-5, 8); // cosine_24000's LR at step 23920 (its CSV: 3.000893868e-05)
  });

  it("--fit and --law together, or an unknown preset, are one-line input errors", async () => {
    const both = await run(["curve", "predict", "--law", "mpl-25m", "--fit", "x.json", curvePath("cosine_24000")]);
    expect(both.code).toBe(2);
    const unknown = await run(["curve", "predict", "--law", "mpl-1b", curvePath("cosine_24000")]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe('scaleplan: --law: "mpl-1b" is not allowed; expected mpl-25m, mpl-100m, mpl-400m\n');
  });
});

describe("scaleplan limits --analytic", () => {
  it("rejects --batch-rule and --depth-scale with one line", async () => {
    for (const extra of [["--batch-rule", "fixed"], ["--depth-scale", "2"]]) {
      const r = await run(["limits", "--analytic", ...extra]);
      expect(r.code).toBe(2);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toMatch(new RegExp(`^scaleplan: ${extra[0]}: not used by --analytic`));
    }
  });

  it("--plot writes T_crit and T_limit vs α; --plot-parallelism is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scaleplan-analytic-"));
    const plot = join(dir, "a.svg");
    const r = await run(["limits", "--analytic", "--plot", plot]);
    expect(r.code).toBe(0);
    expect(existsSync(plot)).toBe(true);
    expect((await run(["limits", "--analytic", "--plot-parallelism", join(dir, "b.svg")])).code).toBe(2);
  });
});
