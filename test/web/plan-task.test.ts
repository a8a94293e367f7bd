// The Plan view's task (web/src/views/plan/task.ts) as its worker runs it: the form's plain input reaches the first
// estimate without the schemas, the run's YAML comes with the full plan, and input the plain check leaves to makePlan
// gets makePlan's messages. And the Plan worker's own script holds neither zod nor yaml (they are lazy chunks).
import { fileURLToPath } from "node:url";
import { build, type Rolldown } from "vite";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { GPU_COUNT, MAX_GPUS } from "../../src/core/config/bounds.ts";
import { FormErrors } from "../../web/src/views/limits/task.ts";
import { DEFAULT_PLAN_STATE } from "../../web/src/views/plan/state.ts";
import { planTask, type PlanTaskResult } from "../../web/src/views/plan/task.ts";
import type { ProgressFn } from "../../web/src/worker/protocol.ts";

function recorder(): { progress: ProgressFn; partials: PlanTaskResult[] } {
  const partials: PlanTaskResult[] = [];
  const progress: ProgressFn = () => {};
  progress.partial = (r) => partials.push(r as PlanTaskResult);
  return { progress, partials };
}

describe("the Plan view's task", () => {
  it("posts the estimate without the run's YAML, then the full plan with it", async () => {
    const { progress, partials } = recorder();
    const result = (await planTask({ ...DEFAULT_PLAN_STATE, gpus: "64", days: "7" }, progress)) as PlanTaskResult;
    expect(partials).toHaveLength(1);
    expect(partials[0]!.estimate).toBe(true);
    expect(partials[0]!.runYaml).toBeNull();
    expect(result.estimate).toBe(false);
    expect(parseYaml(result.runYaml!)).toStrictEqual(result.plan.run);
  });

  it("refuses a GPU count past the GPU bound under its own field, as `plan --gpus` does (not as hardware.count)", async () => {
    const error = await (async () => planTask({ ...DEFAULT_PLAN_STATE, gpus: String(MAX_GPUS + 1) }, recorder().progress))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormErrors);
    expect((error as FormErrors).fields[0]).toMatchObject({ key: "plan", field: "gpus" });
    expect((error as FormErrors).fields[0]!.message).toBe(`gpus: "${MAX_GPUS + 1}" is not allowed; expected ${GPU_COUNT.allowed}`);
  });

  it("runs in a worker script without zod or yaml, which it loads as separate chunks", async () => {
    const entry = fileURLToPath(new URL("../../web/src/worker/opening/plan.worker.ts", import.meta.url));
    // Built as vite builds the worker (rolldown, the package's sideEffects: false), not minified, not written.
    const built = (await build({ configFile: false, logLevel: "silent", build: { write: false, minify: false, lib: { entry, formats: ["es"] } } })) as Rolldown.RolldownOutput[];
    const output = built[0]!.output;
    const packages = (ids: readonly string[]) => new Set(ids.flatMap((id) => /node_modules\/([^/]+)\//.exec(id)?.[1] ?? []));
    const main = output.find((o) => o.type === "chunk" && o.isEntry)!;
    expect(main.type === "chunk" && main.dynamicImports.length).toBe(2);
    expect([...packages(main.type === "chunk" ? main.moduleIds : [])]).toEqual([]);
    const lazy = output.flatMap((o) => (o.type === "chunk" && !o.isEntry ? o.moduleIds : []));
    expect(packages(lazy)).toEqual(new Set(["zod", "yaml"]));
  });
});
