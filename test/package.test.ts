// The package as a user gets it: `npm pack` → install the tarball into an empty folder → run one command of each
// kind through the installed `scaleplan` binary, and the README's library example against the installed package.
// Dependencies come from npm's cache (filled by `npm ci`), falling back to the npm registry; nothing else is
// downloaded. The CLI bundle is rebuilt first (esbuild, ~1 s), so the test checks the current source.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseRunConfig } from "../src/core/run/run-config.ts";
import { predictStep } from "../src/core/run/step.ts";

const root = new URL("..", import.meta.url).pathname;
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
const npm = (args: string[], cwd: string): string => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

let app = "";

/** Runs the installed CLI from the user's folder, as `npx scaleplan …` would. */
function scaleplan(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(join(app, "node_modules", ".bin", "scaleplan"), args, { cwd: app, encoding: "utf8" });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  npm(["run", "build:cli"], root);
  const packed = mkdtempSync(join(tmpdir(), "scaleplan-pack-"));
  // --ignore-scripts: dist/ is current (npm ci built the library, build:cli the CLI just now); no rebuild.
  const report = JSON.parse(npm(["pack", "--ignore-scripts", "--json", "--pack-destination", packed], root)) as Array<{ filename: string }>;
  app = mkdtempSync(join(tmpdir(), "scaleplan-user-"));
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "user", private: true, type: "module" }));
  npm(["install", "--prefer-offline", "--no-audit", "--no-fund", join(packed, report[0]!.filename)], app);
  copyFileSync(join(root, "examples", "gpt3-175b-h100.yaml"), join(app, "run.yaml"));
  copyFileSync(join(root, "examples", "chinchilla", "svg_extracted_data.csv"), join(app, "runs.csv"));
  copyFileSync(join(root, "examples", "curves", "25M", "constant_24000.csv"), join(app, "constant.csv"));
  copyFileSync(join(root, "examples", "library.mjs"), join(app, "library.mjs"));
}, 300_000);

describe("the packed and installed package", () => {
  it("reports the version of package.json", () => {
    const r = scaleplan("--version");
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(version);
  });

  it("limits: the H100 baseline sweep", () => {
    const r = scaleplan("limits", "--json");
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { linearScalingEnd: number }).linearScalingEnd).toBeCloseTo(2.0484217947180815e28, -24);
  });

  it("limits --plot writes a PNG (the native resvg dependency installed)", () => {
    const r = scaleplan("limits", "--plot", "u.png");
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(app, "u.png")).subarray(1, 4).toString()).toBe("PNG");
  });

  it("fit: Approach 3 on the Chinchilla points", () => {
    const r = scaleplan("fit", "runs.csv", "--drop-highest", "5", "--bootstrap", "50", "--json");
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { law: { E: number } }).law.E).toBeCloseTo(1.8172, 3);
  });

  it("schedule and curve: a WSD schedule; the momentum law fitted to a constant-LR curve", () => {
    const r = scaleplan("schedule", "wsd:steps=1000,warmup=100,cooldown=0.2,shape=sqrt,peak=1e-3", "--csv", "--every", "500");
    expect(r.code, r.err).toBe(0);
    expect(r.out.split("\n")[0]).toBe("step,factor,lr");
    const fit = scaleplan("curve", "fit", "--law", "momentum", "constant.csv", "--schedule", "constant:steps=24000,peak=3e-4,warmup=2160,warmup-from=0,warmup-shape=linspace", "--json");
    expect(fit.code, fit.err).toBe(0);
    expect(JSON.parse(fit.out)).toHaveProperty("law");
  });

  it("step: the GPT-3 175B run config", () => {
    const r = scaleplan("step", "--config", "run.yaml", "--json");
    expect(r.code, r.err).toBe(0);
    // The installed package predicts what the source tree predicts (the figure itself moves with calibration).
    const expected = predictStep(parseRunConfig(readFileSync(join(root, "examples", "gpt3-175b-h100.yaml"), "utf8"), "run.yaml")).stepTimeSeconds;
    expect((JSON.parse(r.out) as { stepTimeSeconds: number }).stepTimeSeconds).toBeCloseTo(expected, 6);
  });

  it("validate: the shipped calibration runs", () => {
    const r = scaleplan("validate", "--json");
    expect(r.code, r.err).toBe(0);
    expect(JSON.stringify(JSON.parse(r.out))).toContain("V4");
  });

  it("plan: a 30-day run on 1,024 H100", () => {
    const r = scaleplan("plan", "--gpu", "h100-sxm", "--gpus", "1024", "--days", "30", "--json");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("tp");
    expect(() => JSON.parse(r.out) as unknown).not.toThrow();
  });

  it("bad input is one line and exit 2, also from the bundle", () => {
    const r = scaleplan("limits", "--gpu", "nope");
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/^scaleplan: --gpu: /);
  });

  it("runs the README's library example against the installed package", () => {
    const r = spawnSync(process.execPath, ["library.mjs"], { cwd: app, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("linear scaling ends at 2.048e+28 FLOP");
    expect(r.stdout).toMatch(/^plan dense-h\d+-l\d+ tokens \d\.\d\de\+12 loss 1\.\d{3} MFU 0\.\d{3}$/m);
  });

  it("npx finds the installed binary", () => {
    const out = execFileSync("npx", ["--no-install", "scaleplan", "--version"], { cwd: app, encoding: "utf8" });
    expect(out.trim()).toBe(version);
  });
});
