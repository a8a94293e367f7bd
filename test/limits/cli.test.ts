// `scaleplan limits` in process: output shapes, bad input (one line, exit 2), plot files.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";

async function run(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

/** The error output is exactly one "scaleplan: …" line besides progress lines, with no stack trace. */
function errorLine(err: string): string {
  const lines = err.split("\n").filter((l) => l !== "" && !l.startsWith("limits "));
  expect(lines).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "scaleplan-limits-"));
});

describe("scaleplan limits: outputs", () => {
  it("--json has the documented shape and the baseline's summary", async () => {
    const { code, out } = await run("limits", "--json");
    expect(code).toBe(0);
    const doc = JSON.parse(out) as Record<string, unknown> & { points: Array<Record<string, unknown>> };
    expect(doc.points).toHaveLength(31);
    const p = doc.points[0]!;
    for (const key of ["dModel", "layers", "experts", "batchTokens", "flop", "months", "utilization", "gpus"]) expect(typeof p[key]).toBe("number");
    const par = p["parallelism"] as Record<string, unknown>;
    for (const key of ["dp", "tpModel", "tpFf", "pp", "interleave", "ep", "microbatches"]) expect(typeof par[key]).toBe("number");
    expect(par["schedule"]).toBe("zero-bubble");
    expect(p).toMatchObject({ dModel: 12288, layers: 192, experts: 1, batchTokens: 7340032, gpus: 2048 });
    expect(par).toMatchObject({ dp: 1, tpModel: 4, tpFf: 8, pp: 64, interleave: 1, ep: 1, microbatches: 128 });
    expect((doc["linearScalingEnd"] as number).toPrecision(3)).toBe("2.05e+28");
    expect((doc["lastFeasibleFlop"] as number).toPrecision(3)).toBe("2.71e+31");
    expect(doc["firstInfeasibleDModel"]).toBe(212992);
  });

  it("--csv prints a header and one row per feasible point; the default prints a table and the summary", async () => {
    const csv = await run("limits", "--csv", "--sparse");
    expect(csv.code).toBe(0);
    const lines = csv.out.trim().split("\n");
    expect(lines[0]).toBe("d_model,layers,experts,batch_tokens,flop,months,utilization,gpus,dp,tp_model,tp_ff,pp,interleave,ep,microbatches,schedule,tokens_per_matmul");
    expect(lines).toHaveLength(26);
    expect(lines[1]!.startsWith("12288,192,8,29360128,")).toBe(true);

    const text = await run("limits", "--gpu", "h100-sxm-global-nvlink", "--sparse");
    expect(text.code).toBe(0);
    expect(text.out).toContain("End of linear scaling");
    expect(text.out).toContain("Largest feasible run");
    expect(text.out).toContain("First infeasible width: d_model 122880");
    expect(text.out).toContain("Maximum feasible compute at U ≥ 0.560");
  });

  it("--analytic prints T_crit/T_limit; --json gives them as numbers", async () => {
    const text = await run("limits", "--analytic");
    expect(text.code).toBe(0);
    expect(text.out).toContain("1.92e+28");
    expect(text.out).toContain("2.31e+31");
    // The reference's ids stay valid as aliases; results carry the hardware catalogue's canonical ids.
    const json = await run("limits", "--analytic", "--json", "--compare", "v100-sxm,a100-sxm");
    const doc = JSON.parse(json.out) as { analytic: Array<{ gpuId: string; tCrit: number }> };
    expect(doc.analytic.map((a) => [a.gpuId, a.tCrit.toPrecision(3)])).toEqual([
      ["v100-sxm2", "1.30e+27"],
      ["a100-sxm-40gb", "2.62e+28"],
    ]);
  });

  it("--scenario: a custom GPU equal to the H100 preset and a datacenter level", async () => {
    const file = join(dir, "custom.yaml");
    writeFileSync(file, "name: my cluster\ngpu:\n  base: h100-sxm\n  name: My H100\nbatchRule: fixed\n");
    const custom = await run("limits", "--scenario", file, "--json");
    const preset = await run("limits", "--batch-rule", "fixed", "--json");
    expect(custom.code).toBe(0);
    const a = JSON.parse(custom.out) as { points: unknown[]; gpuName: string };
    const b = JSON.parse(preset.out) as { points: unknown[] };
    expect(a.gpuName).toBe("My H100");
    expect(a.points).toEqual(b.points);

    const dc = await run("limits", "--batch-rule", "fixed", "--datacenter-size", "4096", "--datacenter-bandwidth", "1", "--datacenter-latency", "0.001", "--json");
    expect(dc.code).toBe(0);
    const d = JSON.parse(dc.out) as { points: Array<{ utilization: number; levels: { dp: number[] } }> };
    expect(d.points[0]!.levels.dp).toHaveLength(3);
    // A slow link between datacenters can only make things worse.
    d.points.forEach((p, i) => expect(p.utilization).toBeLessThanOrEqual((b.points[i] as { utilization: number }).utilization + 1e-12));
  });

  it("--compare runs scenarios side by side (JSON: one entry per scenario; text: a summary row each)", async () => {
    const json = await run("limits", "--compare", "h100-sxm-superpod,h100-sxm-infinite-network-low-latency", "--batch-rule", "fixed", "--json");
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.out) as { scenarios: Array<{ name: string; gpu: string; points: Array<{ levels: { tpModel: number[] } }> }> };
    expect(doc.scenarios.map((s) => s.gpu)).toEqual(["h100-sxm-superpod", "h100-sxm-infinite-network-low-latency"]);
    expect(doc.scenarios[0]!.points[0]!.levels.tpModel).toHaveLength(3); // node, 256-GPU pod, InfiniBand
    expect(doc.scenarios[1]!.points[0]!.levels.tpModel).toHaveLength(1);
    const text = await run("limits", "--compare", "h100-sxm,h100-sxm-global-nvlink", "--batch-rule", "fixed");
    expect(text.code).toBe(0);
    expect(text.out).toContain("linear scaling end");
    expect(text.out).toMatch(/h100-sxm-global-nvlink dense fixed batch\s+H100 SXM Global NVLink/);
  });

  it("--plot writes an SVG; --plot-parallelism a PNG", async () => {
    const svg = join(dir, "util.svg");
    const png = join(dir, "par.png");
    const { code } = await run("limits", "--batch-rule", "fixed", "--csv", "--plot", svg, "--plot-parallelism", png);
    expect(code).toBe(0);
    expect(readFileSync(svg, "utf8")).toContain("Training compute");
    expect([...readFileSync(png).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});

describe("scaleplan limits: bad input is one line, exit 2", () => {
  const cases: Array<[string[], string[]]> = [
    [["--gpu", "b300"], ["--gpu", '"b300"', "h100-sxm", "v100-sxm2", "b200", "mi300x"]],
    // In the catalogue, but no public micro-architecture figures: said so, not "unknown".
    [["--gpu", "gb300"], ["--gpu", '"gb300"', "no micro-architecture figures"]],
    [["--gpu", "constructor"], ["--gpu", '"constructor"']],
    [["--months", "0"], ["--months", '"0"', "(0, 1,200]"]],
    [["--months", "-3"], ["--months", '"-3"']],
    [["--months", "NaN"], ["--months", '"NaN"']],
    [["--months", "three"], ["--months", '"three"']],
    [["--depth-scale", "0"], ["--depth-scale"]],
    [["--tokens-per-param", "-20"], ["--tokens-per-param"]],
    [["--utilization-floor", "1.5"], ["--utilization-floor", "(0, 1]"]],
    [["--batch-rule", "linear"], ["--batch-rule", '"linear"', "critical, fixed, deepseek"]],
    [["--zero-bubble-latency", "maybe"], ["--zero-bubble-latency", "reference, hidden"]],
    [["--datacenter-size", "12"], ["datacenter.size", "12", "multiple of 8"]],
    [["--compare", "h100-sxm,x1"], ["--compare", '"x1"']],
    [["--months", "0.001"], ["--months", "0.001", "too short"]],
  ];
  for (const [args, mentions] of cases) {
    it(args.join(" "), async () => {
      const { code, out, err } = await run("limits", ...args);
      expect(code).toBe(2);
      expect(out).toBe("");
      const line = errorLine(err);
      for (const m of mentions) expect(line).toContain(m);
    });
  }

  it("a malformed, unknown-field or ill-typed scenario file names the file, line and field", async () => {
    const broken = join(dir, "broken.yaml");
    writeFileSync(broken, "gpu: h100-sxm\nmonths: [3\n");
    let r = await run("limits", "--scenario", broken);
    expect(r.code).toBe(2);
    expect(errorLine(r.err)).toContain("broken.yaml:");

    const unknown = join(dir, "unknown.yaml");
    writeFileSync(unknown, "gpu: h100-sxm\nmonthz: 3\n");
    r = await run("limits", "--scenario", unknown);
    expect(r.code).toBe(2);
    expect(errorLine(r.err)).toContain("monthz");

    const typed = join(dir, "typed.json");
    writeFileSync(typed, '{"months": "abc"}');
    r = await run("limits", "--scenario", typed);
    expect(r.code).toBe(2);
    expect(errorLine(r.err)).toMatch(/typed\.json:1:\d+: months/);

    const gpu = join(dir, "gpu.yaml");
    writeFileSync(gpu, "gpu:\n  base: h100-sxm\n  network:\n    levelSizes: [8]\n    bandwidthsGBps: [900]\n    latenciesS: [1e-6, 1e-6]\n");
    r = await run("limits", "--scenario", gpu);
    expect(r.code).toBe(2);
    expect(errorLine(r.err)).toContain("bandwidthsGBps");

    r = await run("limits", "--scenario", join(dir, "missing.yaml"));
    expect(r.code).toBe(2);
    expect(errorLine(r.err)).toContain("missing.yaml");
  });

  it("a failed run leaves no plot file; a bad plot name is refused before running", async () => {
    const svg = join(dir, "never.svg");
    const r = await run("limits", "--months", "0.001", "--plot", svg);
    expect(r.code).toBe(2);
    expect(existsSync(svg)).toBe(false);
    const bad = join(dir, "plot.pdf");
    const r2 = await run("limits", "--plot", bad);
    expect(r2.code).toBe(2);
    expect(errorLine(r2.err)).toContain("--plot");
    expect(existsSync(bad)).toBe(false);
  });
});
