// One bound on a peak learning rate (config/bounds.ts PEAK_LR), issue 13: `curve study/optimize --peak` had it, but a
// schedule spec's `peak=` (the `schedule` command, `curve --schedule`, the Schedules view) took any number > 0
// (`schedule constant:steps=100,peak=1e300` printed an LR area of 1e302), a `table:` file any LR, and the web study's
// peak field stopped at 1. Now each is one line naming the field, the value as typed and the same range, exit 2.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import { PEAK_LR } from "../../src/core/config/bounds.ts";
import { formatExact } from "../../src/core/format.ts";
import { formErrors } from "./form-errors.ts";
import { studyTask } from "../../web/src/views/schedules/study-task.ts";
import { DEFAULT_STUDY_INPUT } from "../../web/src/views/schedules/study-input.ts";

async function cli(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

const range = `[${formatExact(PEAK_LR.min)}, ${formatExact(PEAK_LR.max)}] (${PEAK_LR.reason})`;
const outside = ["1e300", "1e-300", "0", "-3e-4", "11", "1e-9"];

describe("every peak-LR input has the one PEAK_LR bound", () => {
  it("a schedule spec's peak= (every kind) is refused outside it, with the value as typed", async () => {
    for (const kind of ["constant", "wsd", "cosine", "onecycle", "cos-inf", "multistep", "two-stage"]) {
      for (const peak of outside) {
        const r = await cli("schedule", `${kind}:steps=100,peak=${peak}`);
        expect(r.err, `${kind} ${peak}`).toBe(`scaleplan: spec ${kind}.peak: "${peak}" is not allowed; expected a finite number in ${range}\n`);
        expect(r.code).toBe(2);
        expect(r.out).toBe("");
      }
    }
  });

  it("its ends pass, as in `curve study --peak`", async () => {
    for (const peak of [PEAK_LR.min, PEAK_LR.max].map(String)) {
      const r = await cli("schedule", `wsd:steps=100,peak=${peak}`, "--json");
      expect(r.code, r.err).toBe(0);
      const s = await cli("curve", "study", "--law", "mpl-25m", "--only", "lr", "--peak", peak, "--json");
      expect(s.code, s.err).toBe(0);
    }
    const study = await cli("curve", "study", "--law", "mpl-25m", "--only", "lr", "--peak", "1e300");
    expect(study.err).toBe(`scaleplan: --peak: "1e300" is not allowed; expected a finite number in ${range}\n`);
  });

  it("a table: file's LRs are at most the bound's top and its peak (largest LR) at least its bottom", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scaleplan-peak-"));
    const table = (name: string, rows: string) => {
      const path = join(dir, name);
      writeFileSync(path, `step,lr\n${rows}`);
      return path;
    };
    const high = table("high.csv", "0,1e-3\n10,20\n");
    const r = await cli("schedule", `table:${high}`);
    expect(r.err).toBe(`scaleplan: spec ${high}:3 lr: "20" is not allowed; expected an LR in (0, ${formatExact(PEAK_LR.max)}] (${PEAK_LR.reason})\n`);
    expect(r.code).toBe(2);
    const low = table("low.csv", "0,1e-300\n10,1e-300\n");
    const l = await cli("schedule", `table:${low}`);
    expect(l.err).toBe(`scaleplan: spec ${low} peak: 1e-300 is not allowed; expected a finite number in ${range}\n`);
    expect(l.code).toBe(2);
    expect((await cli("schedule", `table:${table("ok.csv", "0,1e-3\n10,1e-4\n")}`)).code).toBe(0);
  });

  it("the Schedules view's study peak field has the same range as `curve study --peak`", () => {
    const errors = (peak: string) => formErrors(() => studyTask({ ...DEFAULT_STUDY_INPUT, studyKind: "lr", studyPeak: peak, fitJson: "" }, () => {})).map((f) => f.message);
    expect(errors("2")).toEqual([]); // inside PEAK_LR; the field stopped at 1 before
    expect(errors("11")).toEqual([`peak: 11 is not allowed; expected a number in ${range}`]);
    expect(errors("1e-9")).toEqual([`peak: 1e-9 is not allowed; expected a number in ${range}`]);
  });

  it("a milestone's factor keeps the LR after it (peak × factor) inside the bound too", async () => {
    const allowed = `a factor > 0 keeping peak × factor at most ${formatExact(PEAK_LR.max)} (${PEAK_LR.reason})`;
    const multi = await cli("schedule", "multistep:steps=100,peak=1e-3,at=0.5,factors=1e300");
    expect(multi.err).toBe(`scaleplan: spec multistep.factors: 1e300 is not allowed; expected ${allowed}\n`);
    expect(multi.code).toBe(2);
    const two = await cli("schedule", "two-stage:steps=100,peak=1e-3,switch=50,factor=20000");
    expect(two.err).toBe(`scaleplan: spec two-stage.factor: 20000 is not allowed; expected ${allowed}\n`);
    expect((await cli("schedule", "two-stage:steps=100,peak=1e-3,switch=50,factor=2", "--json")).code).toBe(0);
  });
});
