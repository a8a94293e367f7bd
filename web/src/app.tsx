import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { decodeView, encodeView, toQueryString, type UrlWarning } from "./url-state.ts";
import { defineView, type Navigate, type ViewEntry } from "./view-entry.ts";
import { LimitsView } from "./views/limits/view.tsx";
import { PlanView } from "./views/plan/view.tsx";
import { planCodec } from "./views/plan/state.ts";
import { limitsCodec } from "./views/limits/state.ts";
import { RunView } from "./views/run/view.tsx";
import { runCodec } from "./views/run/state.ts";
import { ScalingView } from "./views/scaling/view.tsx";
import { scalingCodec } from "./views/scaling/state.ts";
import { SchedulesView } from "./views/schedules/view.tsx";
import { schedulesCodec } from "./views/schedules/state.ts";

/**
 * The views, in tab order. The first is the landing page (its `?view=` is left out of links). A view registers
 * here with its label, URL codec (url-state.ts) and component (view-entry.ts).
 */
const VIEWS: readonly ViewEntry[] = [
  defineView({ id: "plan", label: "Plan", codec: planCodec, View: PlanView }),
  defineView({ id: "limits", label: "Limits", codec: limitsCodec, View: LimitsView }),
  defineView({ id: "scaling", label: "Scaling laws", codec: scalingCodec, View: ScalingView }),
  defineView({ id: "schedules", label: "Schedules", codec: schedulesCodec, View: SchedulesView }),
  defineView({ id: "run", label: "Run", codec: runCodec, View: RunView }),
];
const DEFAULT_VIEW = VIEWS[0]!.id;

type States = Readonly<Record<string, Record<string, unknown>>>;

interface AppState {
  readonly view: string;
  readonly states: States;
}

/** User Timing names of a tab switch, from the click to the first frame that shows the new view (bench/web.bench.ts). */
export const TAB_SWITCH_START = "scaleplan:tab-switch-start";
export const TAB_SWITCH_MEASURE = "scaleplan:tab-switch";

function readUrl(search: string): { state: AppState; warnings: UrlWarning[] } {
  const params = new URLSearchParams(search);
  const requested = params.get("view");
  const view = VIEWS.find((v) => v.id === requested)?.id ?? DEFAULT_VIEW;
  const warnings: UrlWarning[] = [];
  const states: Record<string, Record<string, unknown>> = {};
  for (const v of VIEWS) {
    const decoded = decodeView(v.codec, params);
    states[v.id] = decoded.state;
    warnings.push(...decoded.warnings);
  }
  if (requested !== null && requested !== view) warnings.push({ key: "view", message: `${JSON.stringify(requested)} is not an available view` });
  return { state: { view, states }, warnings };
}

/** The query string for `state` (`?…`), or the bare path when everything is at its default. */
function writeUrl(state: AppState): string {
  const params = new URLSearchParams();
  if (state.view !== DEFAULT_VIEW) params.set("view", state.view);
  for (const v of VIEWS) encodeView(v.codec, state.states[v.id] ?? v.codec.defaults, params);
  const query = toQueryString(params);
  return query ? `?${query}` : window.location.pathname;
}

/** How the next URL update enters the browser history. */
type HistoryMode = "push" | "replace";

export function App() {
  const initial = useMemo(() => readUrl(window.location.search), []);
  const [app, setApp] = useState<AppState>(initial.state);
  const warnings = initial.warnings;
  // Views are mounted on first visit and then kept (hidden) so a tab switch rebuilds neither the view nor its worker.
  const [mounted, setMounted] = useState<ReadonlySet<string>>(() => new Set([initial.state.view]));
  const historyMode = useRef<HistoryMode>("replace");

  const selectView = (view: string, state?: Record<string, unknown>) => {
    if (view === app.view && state === undefined) return;
    performance.mark(TAB_SWITCH_START);
    historyMode.current = "push";
    setMounted((m) => (m.has(view) ? m : new Set([...m, view])));
    setApp((a) => ({ view, states: state ? { ...a.states, [view]: state } : a.states }));
  };
  const navigate: Navigate = (view, state) => {
    if (VIEWS.some((v) => v.id === view)) selectView(view, state);
  };

  // Every change is mirrored into the URL: a tab switch is a new history entry (Back returns to the previous view),
  // typing replaces the current one (it does not flood the history).
  useEffect(() => {
    const url = writeUrl(app);
    const mode = historyMode.current;
    historyMode.current = "replace";
    const current = window.location.search || window.location.pathname;
    if (mode === "push") window.history.pushState(null, "", url);
    else if (url !== current) window.history.replaceState(null, "", url);
    document.title = `${VIEWS.find((v) => v.id === app.view)?.label ?? ""} · scaleplan`;
  }, [app]);

  // Back/Forward: the entry's view, with that view's state as the entry has it; the other views keep what they show.
  useEffect(() => {
    const onPop = () => {
      const { state } = readUrl(window.location.search);
      historyMode.current = "replace";
      setMounted((m) => (m.has(state.view) ? m : new Set([...m, state.view])));
      setApp((a) => ({ view: state.view, states: { ...a.states, [state.view]: state.states[state.view]! } }));
    };
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  // The tab-switch time: from the click to the frame after the new view is shown.
  useLayoutEffect(() => {
    if (performance.getEntriesByName(TAB_SWITCH_START, "mark").length === 0) return;
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.measure(`${TAB_SWITCH_MEASURE}:${app.view}`, TAB_SWITCH_START);
        performance.clearMarks(TAB_SWITCH_START);
      }, 0),
    );
  }, [app.view]);

  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const onTabKey = (event: KeyboardEvent, index: number) => {
    let next = -1;
    if (event.key === "ArrowRight") next = (index + 1) % VIEWS.length;
    else if (event.key === "ArrowLeft") next = (index + VIEWS.length - 1) % VIEWS.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = VIEWS.length - 1;
    if (next < 0) return;
    event.preventDefault();
    selectView(VIEWS[next]!.id);
    tabRefs.current[next]?.focus();
  };

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
          {VIEWS.map((v, i) => (
            <button
              key={v.id}
              ref={(el) => {
                tabRefs.current[i] = el;
              }}
              role="tab"
              type="button"
              id={`tab-${v.id}`}
              aria-selected={app.view === v.id}
              aria-controls={`panel-${v.id}`}
              tabIndex={app.view === v.id ? 0 : -1}
              onClick={() => selectView(v.id)}
              onKeyDown={(e) => onTabKey(e, i)}
            >
              {v.label}
            </button>
          ))}
        </div>
      </header>
      {warnings.length > 0 ? (
        <div class="notice" role="status">
          Some values in the link were not understood and were reset: {warnings.map((w) => `${w.key} (${w.message})`).join("; ")}.
        </div>
      ) : null}
      <main id="main">
        {VIEWS.filter((v) => mounted.has(v.id)).map((v) => (
          <section key={v.id} role="tabpanel" id={`panel-${v.id}`} aria-labelledby={`tab-${v.id}`} hidden={app.view !== v.id}>
            <v.View
              state={app.states[v.id] ?? v.codec.defaults}
              onChange={(state) => setApp((a) => ({ ...a, states: { ...a.states, [v.id]: state } }))}
              active={app.view === v.id}
              navigate={navigate}
            />
          </section>
        ))}
      </main>
      <footer class="site">
        Everything runs in this page (a Web Worker does the heavy work); the link in the address bar reproduces what you see.
      </footer>
    </>
  );
}
