// Reads a run configuration file for `scaleplan step/search`, resolving a custom GPU given as a file path
// (`hardware.gpu: my-gpu.yaml`, relative to the configuration file), and the calibration runs for `validate`.
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfigText } from "../core/config/parse.ts";
import { UsageError } from "../core/errors.ts";
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

/** The calibration runs shipped with the repository (test/fixtures/real-runs), or those in `dir`. */
export async function loadRealRuns(dir?: string): Promise<RealRun[]> {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/node or dist/node → repository root.
  const folder = dir ?? join(here, "..", "..", "test", "fixtures", "real-runs");
  let files: string[];
  try {
    files = readdirSync(folder).filter((f) => f.endsWith(".json")).sort();
  } catch {
    throw new UsageError(`cannot read the calibration runs in ${folder} (use --dir to point at a folder of real-run JSON files)`);
  }
  const runs: RealRun[] = [];
  for (const f of files) runs.push(JSON.parse(await readTextInput(join(folder, f))) as RealRun);
  return runs;
}
