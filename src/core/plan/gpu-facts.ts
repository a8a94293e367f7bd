// Price and board power of a GPU, from the hardware catalogue (src/core/hardware, one GPU table for the project).
// Until the catalogue has the GPU, both are unknown (null): cost.usd needs usdPerGpuHour, energy stays null.

import type { PriceAndPower } from "./cost.ts";

export function gpuPriceAndPower(gpuId: string): PriceAndPower {
  void gpuId;
  return { usdPerGpuHour: null, priceSource: null, boardPowerWatts: null };
}
