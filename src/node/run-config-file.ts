// Reads a run configuration file for `scaleplan step/search`, resolving a custom GPU given as a file path
// (`hardware.gpu: my-gpu.yaml`, relative to the configuration file), and the calibration runs for `validate`.
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { parseConfigText } from "../core/config/parse.ts";
import { InputError } from "../core/errors.ts";
import { findGpu } from "../core/hardware/lookup.ts";
import { gpuObjectSchema, parseRunConfig, type RunConfig } from "../core/run/run-config.ts";
import type { RealRun } from "../core/run/calibration-check.ts";
import { readTextInput } from "./files.ts";

export async function loadRunConfig(path: string): Promise<RunConfig> {
  const text = await readTextInput(path);
  const source = path === "-" ? "<stdin>" : path;
  const config = parseRunConfig(text, source);
  const gpu = config.hardware.gpu;
  if (typeof gpu === "string" && findGpu(gpu) === undefined && /\.(ya?ml|json)$/i.test(gpu)) {
    const gpuPath = path === "-" ? resolve(gpu) : resolve(dirname(path), gpu);
    const gpuText = await readTextInput(gpuPath);
    const parsed = parseConfigText(gpuText, gpuObjectSchema, gpuPath);
    return { ...config, hardware: { ...config.hardware, gpu: parsed } };
  }
  return config;
}

/**
 * One published run (shared/data/real-runs/<id>.json; RealRun in calibration-check.ts). Measured figures must be
 * physically possible: times and rates > 0, MFU in (0, 1] (a model cannot use more than the peak).
 */
const realRunSchema = z.strictObject({
  id: z.string().min(1),
  run: z.string(),
  source: z.string().optional(),
  tier: z.string().optional(),
  config: z.unknown(),
  measured: z
    .strictObject({
      stepTimeSeconds: z.number().positive().optional(),
      tokensPerSecondPerGpu: z.number().positive().optional(),
      mfu: z.number().positive().max(1, { error: "a fraction in (0, 1] (MFU cannot exceed the peak)" }).optional(),
      mfuAtPrecisionPeak: z.number().positive().max(1, { error: "a fraction in (0, 1] (MFU cannot exceed the peak)" }).optional(),
      peakMemoryGiB: z.number().positive().optional(),
    })
    .refine((m) => m.stepTimeSeconds !== undefined || m.tokensPerSecondPerGpu !== undefined, "stepTimeSeconds or tokensPerSecondPerGpu"),
  notes: z.string().optional(),
});

/** The calibration runs shipped with the package (data/real-runs, found next to this module), or those in `dir`. */
export async function loadRealRuns(dir?: string): Promise<RealRun[]> {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/node or dist/node → package root (data/real-runs is in package.json "files").
  const folder = dir ?? join(here, "..", "..", "data", "real-runs");
  let files: string[];
  try {
    files = readdirSync(folder).filter((f) => f.endsWith(".json")).sort();
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
    // A path that does not work is bad input naming --dir (one line, exit 2), whether given or the shipped one.
    throw new InputError("--dir", folder, "a folder of real-run .json files", `--dir: cannot read the calibration runs in ${JSON.stringify(folder)} (${reason}); expected a folder of real-run .json files`);
  }
  if (files.length === 0) throw new InputError("--dir", folder, "a folder with at least one real-run .json file");
  const runs: RealRun[] = [];
  for (const f of files) {
    const path = join(folder, f);
    runs.push(parseConfigText(await readTextInput(path), realRunSchema, path) as RealRun);
  }
  return runs;
}
