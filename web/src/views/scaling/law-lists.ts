// Law presets the Scaling view's panels offer (zod-free: the worker's tasks import them too).
import type { ChinchillaLaw } from "../../../../src/core/scaling/law-types.ts";
import { MOE_LAW_PRESETS } from "../../../../src/core/scaling/moe-presets.ts";
import { LOSS_LAW_PRESETS } from "../../../../src/core/scaling/presets.ts";

/** Chinchilla-form presets: the precision-aware law rescales their A (Kumar et al. 2024 eq. 4). */
export const CHINCHILLA_FORM_PRESETS: readonly ChinchillaLaw[] = LOSS_LAW_PRESETS.filter((l): l is ChinchillaLaw => l.form === "chinchilla");

/** MoE presets with published constants (the sparsity form of Abnar et al. has none). */
export const MOE_PRESET_OPTIONS: ReadonlyArray<{ value: string; label: string }> = MOE_LAW_PRESETS.map((l) => ({ value: l.id, label: `${l.id}: ${l.name}` }));
