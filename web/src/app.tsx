import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { decodeView, encodeView, toQueryString, type UrlWarning } from "./url-state.ts";
import { LimitsView } from "./views/limits/view.tsx";
import { limitsCodec, type LimitsState } from "./views/limits/state.ts";
import { RunView } from "./views/run/view.tsx";
import { runCodec, type RunState } from "./views/run/state.ts";
import { ScalingView } from "./views/scaling/view.tsx";
import { scalingCodec, type ScalingState } from "./views/scaling/state.ts";
import { SchedulesView } from "./views/schedules/view.tsx";
import { schedulesCodec, type SchedulesState } from "./views/schedules/state.ts";

/** The views of the planner. Those whose core has not landed yet are listed as coming, never faked. */
const VIEWS = [
  { id: "limits", label: "Limits", available: true },
  { id: "scaling", label: "Scaling laws", available: true },
  { id: "schedules", label: "Schedules", available: true },
  { id: "run", label: "Run", available: true },
] as const;
type ViewId = (typeof VIEWS)[number]["id"];
const AVAILABLE = VIEWS.filter((v) => v.available);

interface AppState {
  view: ViewId;
  limits: LimitsState;
  schedules: SchedulesState;
  run: RunState;
  scaling: ScalingState;
}

function readUrl(search: string): { state: AppState; warnings: UrlWarning[] } {
  const params = new URLSearchParams(search);
  const requested = params.get("view");
  const view = AVAILABLE.find((v) => v.id === requested)?.id ?? "limits";
  const limits = decodeView(limitsCodec, params);
  const schedules = decodeView(schedulesCodec, params);
  const run = decodeView(runCodec, params);
  const scaling = decodeView(scalingCodec, params);
  const warnings = [...limits.warnings, ...schedules.warnings, ...run.warnings, ...scaling.warnings];
  if (requested !== null && requested !== view) warnings.push({ key: "view", message: `${JSON.stringify(requested)} is not an available view` });
  return { state: { view, limits: limits.state, schedules: schedules.state, run: run.state, scaling: scaling.state }, warnings };
}

function writeUrl(state: AppState): string {
  const params = new URLSearchParams();
  if (state.view !== "limits") params.set("view", state.view);
  encodeView(limitsCodec, state.limits, params);
  encodeView(schedulesCodec, state.schedules, params);
  encodeView(runCodec, state.run, params);
  encodeView(scalingCodec, state.scaling, params);
  const query = toQueryString(params);
  return query ? `?${query}` : window.location.pathname;
}

export function App() {
  const initial = useMemo(() => readUrl(window.location.search), []);
  const [state, setState] = useState<AppState>(initial.state);
  const warnings = initial.warnings;

  // Every change is mirrored into the URL (replaceState: typing does not flood the history).
  useEffect(() => {
    const url = writeUrl(state);
    if (url !== window.location.search && !(url === window.location.pathname && window.location.search === "")) {
      window.history.replaceState(null, "", url);
    }
  }, [state]);

  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const onTabKey = (event: KeyboardEvent, index: number) => {
    let next = -1;
    if (event.key === "ArrowRight") next = (index + 1) % AVAILABLE.length;
    else if (event.key === "ArrowLeft") next = (index + AVAILABLE.length - 1) % AVAILABLE.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = AVAILABLE.length - 1;
    if (next < 0) return;
    event.preventDefault();
    setState((s) => ({ ...s, view: AVAILABLE[next]!.id }));
    tabRefs.current[next]?.focus();
  };
  const coming = VIEWS.filter((v) => !v.available);

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="site">
        <h1>
          scaleplan <span class="tagline">plan large-model training runs, in your browser</span>
        </h1>
        <div role="tablist" aria-label="Views" class="tabs">
          {AVAILABLE.map((v, i) => (
            <button
              key={v.id}
              ref={(el) => {
                tabRefs.current[i] = el;
              }}
              role="tab"
              id={`tab-${v.id}`}
              aria-selected={state.view === v.id}
              aria-controls={`panel-${v.id}`}
              tabIndex={state.view === v.id ? 0 : -1}
              onClick={() => setState((s) => ({ ...s, view: v.id }))}
              onKeyDown={(e) => onTabKey(e, i)}
            >
              {v.label}
            </button>
          ))}
        </div>
        {coming.length > 0 ? (
          <p class="coming" id="coming-views">
            Coming when their computations land in scaleplan's core: {coming.map((v) => v.label).join(", ")}.
          </p>
        ) : null}
      </header>
      {warnings.length > 0 ? (
        <div class="notice" role="status">
          Some values in the link were not understood and were reset: {warnings.map((w) => `${w.key} (${w.message})`).join("; ")}.
        </div>
      ) : null}
      <main id="main">
        {state.view === "limits" ? (
          <section role="tabpanel" id="panel-limits" aria-labelledby="tab-limits">
            <LimitsView state={state.limits} onChange={(limits) => setState((s) => ({ ...s, limits }))} />
          </section>
        ) : null}
        {state.view === "scaling" ? (
          <section role="tabpanel" id="panel-scaling" aria-labelledby="tab-scaling">
            <ScalingView state={state.scaling} onChange={(scaling) => setState((s) => ({ ...s, scaling }))} />
          </section>
        ) : null}
        {state.view === "schedules" ? (
          <section role="tabpanel" id="panel-schedules" aria-labelledby="tab-schedules">
            <SchedulesView state={state.schedules} onChange={(schedules) => setState((s) => ({ ...s, schedules }))} />
          </section>
        ) : null}
        {state.view === "run" ? (
          <section role="tabpanel" id="panel-run" aria-labelledby="tab-run">
            <RunView state={state.run} onChange={(run) => setState((s) => ({ ...s, run }))} />
          </section>
        ) : null}
      </main>
      <footer class="site">
        Everything runs in this page (a Web Worker does the heavy work); the link in the address bar reproduces what you see.
      </footer>
    </>
  );
}
