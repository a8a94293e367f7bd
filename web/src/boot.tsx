import { render } from "preact";
import { App } from "./app.tsx";
import { loadChartCodeAfterFirstResults } from "./components/chart-code.ts";
import { INITIAL_TASKS } from "./worker/tasks.ts";
import "./style.css";

/** Renders the app (an export called by main.tsx: package.json's `sideEffects: false` would drop a bare module body). */
export function mount(): void {
  loadChartCodeAfterFirstResults(INITIAL_TASKS[new URLSearchParams(window.location.search).get("view") ?? ""] ?? []);
  performance.mark("scaleplan:app-start");
  render(<App />, document.getElementById("app")!);
}
