import { render } from "preact";
import { App } from "./app.tsx";
import { loadChartCode } from "./components/chart-code.ts";
import "./style.css";

/** Renders the app (an export called by main.tsx: package.json's `sideEffects: false` would drop a bare module body). */
export function mount(): void {
  void loadChartCode();
  performance.mark("scaleplan:app-start");
  render(<App />, document.getElementById("app")!);
}
