// The tasks each view computes as soon as it opens, by `?view=`. Read by the page entry (first-requests.ts builds
// their inputs) and by the build (web/vite.config.ts writes the page's first script, which starts their workers
// while the HTML is parsed), so both agree on which worker a link opens with. Plain data: no imports.

/** The tasks of each view's first requests, in the order they are sent. */
export const OPENING_TASKS = {
  plan: ["plan"],
  limits: ["limits"],
  scaling: ["scaling"],
  schedules: ["schedules", "sweep"],
  run: ["run"],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export type OpeningView = keyof typeof OPENING_TASKS;

/** app.tsx's landing view (its first tab), shown for a missing or unknown `?view=`. */
export const LANDING_VIEW: OpeningView = "plan";

/** The view a link opens (`search`: the page's query string): its `?view=`, or the landing view. */
export function openingView(search: string): OpeningView {
  const view = new URLSearchParams(search).get("view");
  return view !== null && Object.hasOwn(OPENING_TASKS, view) ? (view as OpeningView) : LANDING_VIEW;
}
