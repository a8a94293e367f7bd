// `curve predict --every 1` over millions of steps built every prediction, a Map of them and the whole table in
// memory before printing (2.3 GB resident for 5M steps, issue 13). It now streams: predictions are computed along
// the grid a block at a time (gridPredictor) and written in chunks. These tests hold it to what it printed before:
// (1) the sha256 of its output for three cases, captured from the CLI before the change (commit c6d3592,
// `npx tsx src/cli/main.ts curve predict … | sha256sum`); (2) the old whole-array computation (predictWithFit +
// printTable / printJson), rebuilt here, for MPL (sparse and dense) and the momentum law.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { printJson, printTable } from "../../src/cli/output.ts";
import { runCli } from "../../src/cli/program.ts";
import { curveFromRows, fitMetrics, parseCurveCsv } from "../../src/core/curves/curve.ts";
import { predictWithFit, type SavedFit } from "../../src/core/curves/fit-file.ts";
import { findCurveLawPreset } from "../../src/core/curves/presets.ts";
import { parseScheduleSpec } from "../../src/core/schedule/spec.ts";
import { readFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

const ROOT = join(import.meta.dirname, "..", "..");
const COSINE = join(ROOT, "examples", "curves", "25M", "cosine_24000.csv");
const WSD = join(ROOT, "examples", "curves", "25M", "wsd_20000_24000.csv");
// The schedules of the two example curves (examples/README.md; test/fixtures/loss-curves/mpl-specs.ts).
const COSINE_SPEC = "cosine:steps=24000,peak=3e-4,warmup=2160,warmup-from=0,warmup-shape=linspace,final=0.1";
const WSD_SPEC = "wsd:steps=24000,peak=3e-4,warmup=2160,warmup-from=0,warmup-shape=linspace,cooldown-steps=4000,shape=exp,final=0.1";

async function cli(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("curve predict prints what it printed before streaming", () => {
  const cases: Array<[string, string[], string]> = [
    ["--every 5 --csv (~4,400 rows: dense MPL)", [COSINE, "--schedule", COSINE_SPEC, "--law", "mpl-25m", "--every", "5", "--csv"], "51ba2389ea3b7604826937a3190b32d34b34f2f4dd022bfac33835f74c5e06bc"],
    ["--every 5 --json", [COSINE, "--schedule", COSINE_SPEC, "--law", "mpl-25m", "--every", "5", "--json"], "4f3e8106bacbf65a8ae1091e7d05d8bf44b44f7de6a1c4ed76448ed595e68482"],
    ["--every 5, text", [COSINE, "--schedule", COSINE_SPEC, "--law", "mpl-25m", "--every", "5"], "ec01df625a833ac885d91af88ed741e306aca3c7e0e1ef41f5885300bed969ca"],
    ["at the CSV's rows, --json (sparse MPL, metrics)", [WSD, "--schedule", WSD_SPEC, "--law", "mpl-100m", "--json"], "a52f884b926e5a995561ac43d4bac310b0a5f27fa1b4293e43476c441e59eb3c"],
  ];
  for (const [what, args, hash] of cases) {
    it(what, async () => {
      const r = await cli("curve", "predict", ...args);
      expect(r.code, r.err).toBe(0);
      expect(sha256(r.out)).toBe(hash);
    });
  }
});

/** The output of the old implementation: every prediction in one array, then printJson / printTable. */
function wholeArrayOutput(fit: SavedFit, file: string, spec: string, every: number | undefined, format: "json" | "csv" | "text"): string {
  const rows = parseCurveCsv(readFileSync(file, "utf8"), file);
  const cur = curveFromRows("c", rows, parseScheduleSpec(spec));
  let steps = every === undefined ? rows.map((r) => r.step) : [];
  if (every !== undefined) {
    const last = cur.lr.length - 1;
    for (let s = rows[0]!.step; s <= last; s += every) steps.push(s);
    if (steps[steps.length - 1] !== last) steps.push(last);
  }
  steps = steps.filter((s) => s >= 1 || cur.lr[0]! > 0);
  const loss = predictWithFit(fit, cur.lr, steps);
  const byStep = new Map(steps.map((s, i) => [s, loss[i]!]));
  const matched = cur.points.filter((p) => byStep.has(p.step));
  const metrics = matched.length > 0 ? fitMetrics(matched.map((p) => p.loss), matched.map((p) => byStep.get(p.step)!)) : null;
  const actual = new Map(cur.points.map((p) => [p.step, p.loss]));
  const io = memoryIO();
  if (format === "json") {
    printJson(io, {
      law: fit.law,
      curve: "c",
      predictions: steps.map((s, i) => ({ step: s, loss: loss[i]! })),
      finalLoss: loss[loss.length - 1]!,
      metrics: metrics && { r2: metrics.r2, meanRelError: metrics.meanRelError, worstRelError: metrics.worstRelError, points: metrics.points },
    });
    return io.out;
  }
  const round = (v: number, digits: number) => Number(v.toPrecision(digits));
  const table = { columns: ["step", "predicted", "actual"], rows: steps.map((s, i) => [s, format === "csv" ? loss[i]! : round(loss[i]!, 5), actual.get(s) ?? ""]) };
  if (format === "csv") {
    printTable(io, table, "csv");
    return io.out;
  }
  const shown = steps.length > 25 ? { ...table, rows: table.rows.filter((_, i) => i % Math.ceil(steps.length / 20) === 0 || i === steps.length - 1) } : table;
  printTable(io, shown, "text");
  io.stdout(`\nfinal predicted loss ${round(loss[loss.length - 1]!, 5)} at step ${steps[steps.length - 1]}\n`);
  if (metrics) io.stdout(`vs ${metrics.points} logged losses: R² ${metrics.r2 === null ? "-" : round(metrics.r2, 5)}, mean relative error ${(metrics.meanRelError * 100).toFixed(3)} %, worst ${(metrics.worstRelError * 100).toFixed(3)} %\n`);
  return io.out;
}

describe("curve predict streams the same bytes as the whole-array computation", () => {
  const dir = mkdtempSync(join(tmpdir(), "scaleplan-predict-"));
  // A curve whose name is "c" (the name is in the JSON), and a momentum-law fit (law file as `curve fit` writes it).
  const file = join(dir, "c.csv");
  writeFileSync(file, readFileSync(COSINE));
  const momentum: SavedFit = { law: "momentum", params: { L0: 2.9, A: 0.45, alpha: 0.5, C: 80, decay: 0.999 } };
  const momentumFile = join(dir, "momentum.json");
  writeFileSync(momentumFile, JSON.stringify(momentum));
  const mpl = findCurveLawPreset("mpl-25m")!.fit as SavedFit;

  for (const [law, fit, flag] of [["MPL", mpl, ["--law", "mpl-25m"]], ["momentum", momentum, ["--fit", momentumFile]]] as const) {
    for (const every of [undefined, 1, 3, 2047, 2048, 2049, 30_000]) {
      it(`${law}, ${every === undefined ? "at the rows" : `--every ${every}`}`, async () => {
        for (const format of ["json", "csv", "text"] as const) {
          const r = await cli("curve", "predict", file, "--schedule", COSINE_SPEC, ...flag, ...(every === undefined ? [] : ["--every", String(every)]), ...(format === "text" ? [] : [`--${format}`]));
          expect(r.code, r.err).toBe(0);
          expect(r.out, format).toBe(wholeArrayOutput(fit, file, COSINE_SPEC, every, format));
        }
      });
    }
  }

  it("a curve starting at step 0 with η_0 = 0 skips step 0, as before", async () => {
    const zero = join(dir, "zero.csv");
    writeFileSync(zero, "step,loss\n0,\n100,5\n4000,4\n");
    const spec = "cosine:steps=4001,peak=3e-4,warmup=200,warmup-from=0";
    for (const every of [undefined, 1, 7]) {
      const r = await cli("curve", "predict", zero, "--schedule", spec, "--law", "mpl-25m", "--json", ...(every === undefined ? [] : ["--every", String(every)]));
      expect(r.out).toBe(wholeArrayOutput(mpl, zero, spec, every, "json").replace('"curve": "c"', '"curve": "zero"'));
    }
  });
});

describe("curve predict over millions of steps, as a process", () => {
  const dir = mkdtempSync(join(tmpdir(), "scaleplan-predict-big-"));
  const big = join(dir, "big.csv");
  writeFileSync(big, "step,loss\n0,\n2999999,\n");
  const args = ["curve", "predict", big, "--law", "mpl-400m", "--schedule", "cosine:steps=3000000,peak=3e-4,warmup=2160", "--every", "1"];
  /** The CLI as a process (node with the tsx loader only, as in streams-paths-signals.test.ts). */
  const spawnCli = (extra: string[]) => spawn(process.execPath, ["--import", "tsx/esm", join(ROOT, "src", "cli", "main.ts"), ...args, ...extra], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const exited = (child: ReturnType<typeof spawnCli>) => {
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    return new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: () => string }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, err: () => err })));
  };

  it("ends quietly with exit 0 when the reader goes away (| head -1)", async () => {
    const child = spawnCli(["--csv"]);
    const done = exited(child);
    child.stdout!.once("data", () => child.stdout!.destroy());
    const r = await done;
    expect(r.code).toBe(0);
    // Only the extrapolation warning (3M steps is far past the law's 24,000) and progress: no EPIPE, no stack.
    expect(r.err().split("\n").filter((l) => l !== "" && !l.startsWith("warning: predicting big extrapolates") && !/^writing CSV: \d+\/3000000 \(\d+%\)$/.test(l))).toEqual([]);
  }, 60_000);

  it("Ctrl-C ends it within a second while it writes (progress on stderr after a second)", async () => {
    const child = spawnCli(["--csv"]);
    const done = exited(child);
    child.stdout!.resume();
    await new Promise<void>((resolve) => child.stderr!.on("data", (d: Buffer) => d.toString().includes("writing CSV: ") && resolve()));
    const sent = performance.now();
    child.kill("SIGINT");
    const r = await done;
    expect(performance.now() - sent).toBeLessThan(1000);
    expect(r.code === 130 || r.signal === "SIGINT").toBe(true);
  }, 60_000);
});
