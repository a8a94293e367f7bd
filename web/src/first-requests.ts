// What each view computes as soon as it opens, by `?view=`: its URL codec (to read its state from the link) and the
// requests that state gives (built by the same functions the views use, so the inputs match and the view adopts them). Read by the page entry (main.tsx) before the app's code has loaded, so this module and
// what it imports stay small (no Preact, no views, no zod).
import { openingView, type OpeningView } from "./opening-tasks.ts";
import { decodeView, type ViewCodec } from "./url-state.ts";
import type { FirstRequest } from "./worker/early-requests.ts";
import { limitsCodec, limitsTaskInput } from "./views/limits/state.ts";
import { planCodec } from "./views/plan/state.ts";
import { runCodec, runTaskInput } from "./views/run/state.ts";
import { scalingCodec, scalingTaskInput } from "./views/scaling/state.ts";
import { schedulesCodec, schedulesTaskInput, sweepTaskInput } from "./views/schedules/state.ts";

interface Opening<S extends Record<string, unknown>> {
  readonly codec: ViewCodec<S>;
  readonly requests: (state: S) => FirstRequest[];
}

const opening = <S extends Record<string, unknown>>(codec: ViewCodec<S>, requests: (state: S) => FirstRequest[]) =>
  ({ codec, requests }) as Opening<S> as unknown as Opening<Record<string, unknown>>;

// Each view's requests, in the order of its OPENING_TASKS (test/web/first-requests.test.ts checks they agree).
const OPENINGS: Readonly<Record<OpeningView, Opening<Record<string, unknown>>>> = {
  plan: opening(planCodec, (s) => [{ task: "plan", input: s }]),
  limits: opening(limitsCodec, (s) => [{ task: "limits", input: limitsTaskInput(s) }]),
  scaling: opening(scalingCodec, (s) => [{ task: "scaling", input: scalingTaskInput(s) }]),
  schedules: opening(schedulesCodec, (s) => [
    { task: "schedules", input: schedulesTaskInput(s) },
    { task: "sweep", input: sweepTaskInput(s) },
  ]),
  run: opening(runCodec, (s) => [{ task: "run", input: runTaskInput(s) }]),
};

/** The first requests of the view a link opens, with the state the app will read from the same link. */
export function firstRequests(search: string): FirstRequest[] {
  const view = OPENINGS[openingView(search)];
  return view.requests(decodeView(view.codec, new URLSearchParams(search)).state);
}
