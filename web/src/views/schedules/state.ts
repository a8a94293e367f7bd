// The Schedules view's state: schedules in the CLI's spec language, the loss law to predict with.
import { z } from "zod";
import type { ViewCodec } from "../../url-state.ts";

export const MAX_SCHEDULES = 4;

/** Loss-curve laws the view can predict with: the published Multi-Power Law fits (spec §C.2). */
export const LAW_OPTIONS = [
  { value: "none", label: "No loss prediction" },
  { value: "mpl-25m", label: "Multi-Power Law, 25M published fit" },
  { value: "mpl-100m", label: "Multi-Power Law, 100M published fit" },
  { value: "mpl-400m", label: "Multi-Power Law, 400M published fit" },
] as const;
export type LawId = (typeof LAW_OPTIONS)[number]["value"];

export const schedulesStateSchema = z.object({
  specs: z.array(z.string()).min(1).max(MAX_SCHEDULES),
  law: z.enum(["none", "mpl-25m", "mpl-100m", "mpl-400m"]),
  /** Which schedule's PyTorch snippet is shown. */
  code: z.int().min(0).max(MAX_SCHEDULES - 1),
});
export type SchedulesState = z.infer<typeof schedulesStateSchema>;

// The 25M runs of the Multi-Power Law paper (test/fixtures/loss-curves/mpl-specs.ts: cosine_24000 and
// wsd_20000_24000), so the published law predicts the curves it was fitted on.
export const DEFAULT_SCHEDULES_STATE: SchedulesState = {
  specs: [
    "cosine:steps=24000,peak=3e-4,warmup=2160,warmup-from=0,warmup-shape=linspace,final=0.1",
    "wsd:steps=24000,peak=3e-4,warmup=2160,warmup-from=0,warmup-shape=linspace,cooldown-steps=4000,shape=exp,final=0.1",
  ],
  law: "mpl-25m",
  code: 0,
};

export const schedulesCodec: ViewCodec<SchedulesState> = { prefix: "s", schema: schedulesStateSchema, defaults: DEFAULT_SCHEDULES_STATE };
