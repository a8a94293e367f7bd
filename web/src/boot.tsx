import { render } from "preact";
import { App } from "./app.tsx";
import { loadChartCode } from "./components/chart-code.ts";
import { firstAnswer } from "./worker/client.ts";
import "./style.css";

/** Renders the app (an export called by main.tsx: package.json's `sideEffects: false` would drop a bare module body). */
export function mount(): void {
  // The chart code (Observable Plot, 252 KB) loads once the first answer is in: on a busy 2-core machine its
  // download and compilation slowed the worker's start (docs/web-app.md "Critical path of the first result").
  // A chart shown earlier (the first request failed, or another view) asks for it itself (useChartCode).
  void firstAnswer.then(loadChartCode);
  performance.mark("scaleplan:app-start");
  render(<App />, document.getElementById("app")!);
}
