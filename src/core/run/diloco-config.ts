// The run-config additions for training across sites (docs/run-config.md, "Version 3: training across sites"):
// `hardware.sites` and `hardware.interSite` (the link between sites), `training.diloco` (synchronise across
// sites every H inner steps instead of every step). All optional: a file without them is a one-site run, as before.
import { z } from "zod";

/**
 * Charles et al. 2025 (arXiv 2503.09799) App. A.3, the low-bandwidth archetype between sites: 10 Gbit/s per node
 * and 10 ms latency (also `scaleplan diloco`'s defaults, so the two commands describe the same link).
 */
export const DEFAULT_INTER_SITE = { gbitPerGpu: 10, latencyMs: 10 } as const;
/** Largest outer-gradient width on the wire: fp32. */
export const MAX_OUTER_BITS = 32;

export const interSiteSchema = z.strictObject({
  /** Inter-site bandwidth per GPU, one direction, Gbit/s (the paper's W per node). */
  gbitPerGpu: z.number().finite().positive().optional(),
  latencyMs: z.number().finite().min(0).optional(),
});

export const dilocoSchema = z.strictObject({
  /** H: inner steps per outer synchronisation (the paper's scaling laws hold at H = 30). */
  syncEvery: z.number().int().min(1),
  /** Bits per outer-gradient value on the wire (16 = as trained in BF16; 4 = quantised). */
  outerBits: z.number().gt(0).lte(MAX_OUTER_BITS, { error: `a number of bits in (0, ${MAX_OUTER_BITS}]` }).optional(),
  /** Streaming DiLoCo fragments P (Douillard et al. 2025): the same total, 1/P of the peak per exchange. */
  fragments: z.number().int().min(1).optional(),
  /** Overlap the outer exchange with the next round's compute (Streaming DiLoCo). */
  overlap: z.boolean().optional(),
});

/** `hardware.sites`: datacenters the GPUs are spread over, evenly. */
export const sitesSchema = z.number().int().min(1);
