// Price and board power of a GPU, from the hardware catalogue (src/core/hardware, the project's one GPU table).
// A custom GPU (not in the catalogue) has neither: cost.usd then needs usdPerGpuHour and energy stays null.

import { findGpu } from "../hardware/lookup.ts";
import type { PriceAndPower } from "./cost.ts";

export function gpuPriceAndPower(gpuId: string): PriceAndPower {
  const gpu = findGpu(gpuId);
  if (gpu === undefined) return { usdPerGpuHour: null, priceSource: null, boardPowerWatts: null };
  return { usdPerGpuHour: gpu.price.usdPerGpuHour, priceSource: `${gpu.price.source} (${gpu.price.date})`, boardPowerWatts: gpu.boardPowerWatts };
}
