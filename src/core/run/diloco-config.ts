// The run-config additions for training across sites (docs/run-config.md, "Version 3: training across sites"):
// `hardware.sites` and `hardware.interSite` (the link between sites), `training.diloco` (synchronise across
// sites every H inner steps instead of every step). All optional: a file without them is a one-site run, as before.
import { z } from "zod";
import { FRAGMENTS, LINK_GBPS, LINK_LATENCY_MS, OUTER_BITS, SITE_COUNT, SYNC_EVERY } from "../config/bounds.ts";
import { numberValue } from "../config/schema.ts";

// The link's defaults are in run-config-fields.ts, which the plan and the step model read without loading zod.
export { DEFAULT_INTER_SITE } from "./run-config-fields.ts";
/** Largest outer-gradient width on the wire: fp32 (config/bounds.ts OUTER_BITS). */
export const MAX_OUTER_BITS = OUTER_BITS.max;

export const interSiteSchema = z.strictObject({
  /** Inter-site bandwidth per GPU, one direction, Gbit/s (the paper's W per node). */
  gbitPerGpu: numberValue(LINK_GBPS).optional(),
  latencyMs: numberValue(LINK_LATENCY_MS).optional(),
});

export const dilocoSchema = z.strictObject({
  /** H: inner steps per outer synchronisation (the paper's scaling laws hold at H = 30). */
  syncEvery: numberValue(SYNC_EVERY),
  /** Bits per outer-gradient value on the wire (16 = as trained in BF16; 4 = quantised). */
  outerBits: numberValue(OUTER_BITS).optional(),
  /** Streaming DiLoCo fragments P (Douillard et al. 2025): the same total, 1/P of the peak per exchange. */
  fragments: numberValue(FRAGMENTS).optional(),
  /** Overlap the outer exchange with the next round's compute (Streaming DiLoCo). */
  overlap: z.boolean().optional(),
});

/** `hardware.sites`: datacenters the GPUs are spread over, evenly. */
export const sitesSchema = numberValue(SITE_COUNT);
