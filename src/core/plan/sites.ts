// `plan --sites S [--diloco H]`: a plan whose GPUs are spread over S sites (docs/plan.md, "Across sites").
// Step time: every candidate's layout search runs on the multi-site run configuration, so it includes the
// cross-site synchronisation (src/core/run/diloco-step.ts). Loss: with DiLoCo (M = S replicas) the plan law's loss
// is multiplied by Charles et al. 2025's loss ratio L_M(N)/L_DP(N) (src/core/diloco/loss-law.ts, Table 7 / 10),
// a law measured at H = 30 and D = 20N. With `diloco` the plan is made twice, DiLoCo and synchronous data
// parallelism over the same sites, and reports which reaches the lower loss by the deadline.
import { dataParallelLoss, dilocoLoss } from "../diloco/loss-law.ts";
import { InputError } from "../errors.ts";
import { DEFAULT_INTER_SITE } from "../run/run-config-fields.ts";
import type { BatchAndLr } from "./hyperparameters.ts";
import type { PlanInputParsed } from "./input.ts";

/** Charles et al. 2025 fit their loss laws at H = 30 (§3.1, footnote 1). */
export const DILOCO_LAW_SYNC_EVERY = 30;
/** The largest model Charles et al. 2025 trained (Table 5, 10B; their fits use 35M–2.4B, Table 4). */
export const DILOCO_LAW_LARGEST_PARAMS = 10e9;

/** The sites of a plan's cluster: what goes into the run configuration's hardware/training blocks. */
export interface ClusterSites {
  readonly count: number;
  readonly interSite: { readonly gbitPerGpu: number; readonly latencyMs: number };
  readonly diloco: { readonly syncEvery: number; readonly outerBits: number } | null;
}

/** The plan input's sites (undefined for a one-site plan without DiLoCo); checks what the run config cannot. */
export function clusterSites(input: PlanInputParsed, gpus: number): ClusterSites | undefined {
  const count = input.sites ?? 1;
  if (input.diloco !== undefined && count < 2) throw new InputError("sites", count, "at least 2 with diloco (DiLoCo runs one replica per site)");
  if (count >= 2 && input.mfu !== undefined) throw new InputError("mfu", input.mfu, "no value with sites (the cross-site step time comes from the layout search)");
  if (count < 2) {
    for (const [field, value] of [["interSiteGbit", input.interSiteGbit], ["interSiteMs", input.interSiteMs], ["outerBits", input.outerBits]] as const) {
      if (value !== undefined) throw new InputError(field, value, "no value without sites >= 2");
    }
    return undefined;
  }
  if (gpus % count !== 0) throw new InputError("sites", count, `a divisor of gpus (${gpus}): every site holds the same number of GPUs`);
  if (input.diloco !== undefined && input.architecture !== "dense") {
    throw new InputError("diloco", input.diloco, "no value with architecture moe (the DiLoCo loss law of Charles et al. 2025 was fitted on dense models)");
  }
  if (input.outerBits !== undefined && input.diloco === undefined) throw new InputError("outerBits", input.outerBits, "no value without diloco");
  return {
    count,
    interSite: { gbitPerGpu: input.interSiteGbit ?? DEFAULT_INTER_SITE.gbitPerGpu, latencyMs: input.interSiteMs ?? DEFAULT_INTER_SITE.latencyMs },
    diloco: input.diloco === undefined ? null : { syncEvery: input.diloco, outerBits: input.outerBits ?? 16 },
  };
}

/** The run-config blocks of the sites (hardware.sites, hardware.interSite, training.diloco). */
export function sitesRunFields(s: ClusterSites | undefined): { hardware: object; training: object } {
  if (s === undefined) return { hardware: {}, training: {} };
  return { hardware: { sites: s.count, interSite: s.interSite }, training: s.diloco ? { diloco: s.diloco } : {} };
}

/**
 * DiLoCo's loss relative to synchronous data parallelism at N parameters (Charles et al. 2025 Table 7, or the
 * joint Table 10 fit for M ∉ {1, 2, 4, 8}): the factor the plan law's loss is multiplied by.
 */
export function dilocoLossFactor(params: number, replicas: number): number {
  return dilocoLoss(params, replicas).loss / dataParallelLoss(params);
}

/** The batch rounded up to a multiple of the sites (each site's replica takes an equal share). */
export function siteBatch(b: BatchAndLr, sites: number): BatchAndLr {
  if (b.globalBatch % sites === 0) return b;
  const globalBatch = Math.ceil(b.globalBatch / sites) * sites;
  return { ...b, globalBatch, batchTokens: (b.batchTokens / b.globalBatch) * globalBatch };
}

/** One method's outcome over the sites, for the comparison. */
export interface SitesOutcome {
  readonly model: string;
  readonly params: number;
  readonly tokens: number;
  readonly loss: number;
  readonly stepTimeSeconds: number | null;
  readonly mfu: number | null;
}

export interface PlanSites {
  readonly count: number;
  readonly gpusPerSite: number;
  readonly interSite: ClusterSites["interSite"];
  readonly method: "diloco" | "synchronous-data-parallel";
  readonly diloco: (NonNullable<ClusterSites["diloco"]> & { readonly replicas: number; readonly lossFactor: number; readonly lossSource: string }) | null;
  /** With diloco: the same plan with synchronous data parallelism over the same sites, and which reaches the lower loss. */
  readonly comparison: {
    readonly diloco: SitesOutcome;
    readonly synchronous: SitesOutcome;
    readonly lowerLoss: "diloco" | "synchronous-data-parallel";
  } | null;
}

export function planSites(s: ClusterSites, gpus: number, params: number, comparison: PlanSites["comparison"]): PlanSites {
  return {
    count: s.count,
    gpusPerSite: gpus / s.count,
    interSite: s.interSite,
    method: s.diloco ? "diloco" : "synchronous-data-parallel",
    diloco: s.diloco ? { ...s.diloco, replicas: s.count, lossFactor: dilocoLossFactor(params, s.count), lossSource: dilocoLoss(params, s.count).source } : null,
    comparison,
  };
}

/** The warnings a multi-site plan carries: the loss law's cadence, and a faster synchronous alternative. */
export function sitesWarnings(p: PlanSites, params: number): string[] {
  const out: string[] = [];
  const d = p.diloco;
  if (d && d.syncEvery !== DILOCO_LAW_SYNC_EVERY) {
    out.push(`the DiLoCo loss cost (Charles et al. 2025) is fitted at H = ${DILOCO_LAW_SYNC_EVERY}; at H = ${d.syncEvery} it is used unchanged, though their Fig. 9 measures loss rising with H (less for larger models)`);
  }
  if (d && params > DILOCO_LAW_LARGEST_PARAMS) {
    out.push(`the DiLoCo loss factor ${d.lossFactor.toFixed(4)} extrapolates Charles et al. 2025's laws to ${(params / 1e9).toPrecision(3)}B parameters (fitted up to 2.4B, checked at 4B and 10B)`);
  }
  const c = p.comparison;
  if (c && c.lowerLoss === "synchronous-data-parallel") {
    out.push(`synchronous data parallelism across the ${p.count} sites reaches a lower loss by the deadline (${c.synchronous.loss.toFixed(4)} with ${c.synchronous.model}) than DiLoCo (${c.diloco.loss.toFixed(4)})`);
  }
  return out;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const outcomeText = (o: SitesOutcome) =>
  `${o.model}, loss ${o.loss.toFixed(4)}${o.stepTimeSeconds === null ? "" : `, step ${o.stepTimeSeconds.toPrecision(4)} s`}${o.mfu === null ? "" : `, MFU ${pct(o.mfu)}`}`;

/** The plan table's rows about the sites. */
export function sitesRows(p: PlanSites): Array<[string, string]> {
  const d = p.diloco;
  const rows: Array<[string, string]> = [
    [
      "sites",
      `${p.count} × ${p.gpusPerSite} GPUs, ${p.interSite.gbitPerGpu} Gbit/s per GPU and ${p.interSite.latencyMs} ms between sites; ${
        d ? `DiLoCo H = ${d.syncEvery}, ${d.outerBits}-bit outer gradients, loss × ${d.lossFactor.toFixed(4)} for M = ${d.replicas} (Charles et al. 2025, at H = ${DILOCO_LAW_SYNC_EVERY})` : "synchronous data parallelism (gradients all-reduced across sites every step)"
      }`,
    ],
  ];
  const c = p.comparison;
  if (c) rows.push(["DiLoCo vs synchronous DP", `${c.lowerLoss === "diloco" ? "DiLoCo" : "synchronous DP"} reaches the lower loss. DiLoCo: ${outcomeText(c.diloco)}; synchronous: ${outcomeText(c.synchronous)}`]);
  return rows;
}
