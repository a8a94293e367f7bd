// One way to find a GPU: by its canonical id (run-config.md) or by an alias that older inputs, the data-movement
// reference and the schedules sweep used. Lookups go through Maps, so "constructor" or "toString" is no GPU.
import { InputError } from "../errors.ts";
import { GPU_CATALOGUE } from "./catalogue.ts";
import { COUNTERFACTUAL_SYSTEMS } from "./counterfactual-systems.ts";
import type { GpuProduct } from "./gpu-spec.ts";
import type { DataMovementGpu } from "./microarchitecture.ts";

/** Canonical product ids, in catalogue order. */
export const GPU_IDS: readonly string[] = GPU_CATALOGUE.map((g) => g.id);

/**
 * Other names for catalogue products: the data-movement reference's ids (`v100-sxm` is its V100 SXM2 32GB,
 * `a100-sxm` its A100 SXM 40GB; `h100-sxm` and `h100-pcie` are already canonical) and the schedules sweep's `a100`
 * (the 312 TFLOP/s A100 of Hägele et al. 2024's GPU-hour estimate).
 */
export const GPU_ALIASES: ReadonlyMap<string, string> = new Map([
  ["v100-sxm", "v100-sxm2"],
  ["a100-sxm", "a100-sxm-40gb"],
  ["a100", "a100-sxm-40gb"],
]);

const BY_ID: ReadonlyMap<string, GpuProduct> = new Map(GPU_CATALOGUE.map((g) => [g.id, g]));

/** The product with this canonical id or alias, or undefined. */
export function findGpu(idOrAlias: string): GpuProduct | undefined {
  return BY_ID.get(GPU_ALIASES.get(idOrAlias) ?? idOrAlias);
}

/** Every id `findGpu` accepts, canonical first, for error messages. */
export function gpuIdsAndAliases(): string {
  return `${GPU_IDS.join(", ")} (aliases ${[...GPU_ALIASES.keys()].join(", ")})`;
}

/** The product, or an InputError naming `field` and listing the ids. */
export function requireGpu(idOrAlias: string, field: string): GpuProduct {
  const gpu = findGpu(idOrAlias);
  if (!gpu) throw new InputError(field, idOrAlias, `one of ${gpuIdsAndAliases()}`);
  return gpu;
}

/** A product as the data-movement model sees it, or null when the catalogue has no micro-architecture for it. */
export function dataMovementGpuOf(product: GpuProduct): DataMovementGpu | null {
  return product.dataMovement ? { id: product.id, name: product.name, ...product.dataMovement } : null;
}

const DATA_MOVEMENT_BY_ID: ReadonlyMap<string, DataMovementGpu> = new Map([
  ...GPU_CATALOGUE.flatMap((g): Array<[string, DataMovementGpu]> => {
    const d = dataMovementGpuOf(g);
    return d ? [[g.id, d]] : [];
  }),
  ...COUNTERFACTUAL_SYSTEMS.map((s): [string, DataMovementGpu] => [s.id, s]),
]);

/** Ids the data-movement model (`limits`) can analyse: catalogue GPUs with micro-architecture, then the counterfactual systems. */
export const DATA_MOVEMENT_IDS: readonly string[] = [...DATA_MOVEMENT_BY_ID.keys()];

/** Every data-movement GPU, in DATA_MOVEMENT_IDS order. */
export const DATA_MOVEMENT_GPUS: readonly DataMovementGpu[] = [...DATA_MOVEMENT_BY_ID.values()];

/** The data-movement GPU or system with this id or alias, or undefined. */
export function findDataMovementGpu(idOrAlias: string): DataMovementGpu | undefined {
  return DATA_MOVEMENT_BY_ID.get(GPU_ALIASES.get(idOrAlias) ?? idOrAlias);
}

/** The data-movement GPU, or an InputError that says why not (unknown id, or a product without micro-architecture). */
export function requireDataMovementGpu(idOrAlias: string, field: string): DataMovementGpu {
  const found = findDataMovementGpu(idOrAlias);
  if (found) return found;
  const allowed = `one of ${DATA_MOVEMENT_IDS.join(", ")} (aliases ${[...GPU_ALIASES.keys()].join(", ")})`;
  const product = findGpu(idOrAlias);
  if (product) {
    throw new InputError(field, idOrAlias, allowed, `${field}: ${JSON.stringify(idOrAlias)} has no micro-architecture figures for the data-movement model; expected ${allowed}`);
  }
  throw new InputError(field, idOrAlias, allowed);
}
