// Shared by the page benches that read a chromium trace (worker-start.bench.ts, cold-workers.bench.ts): the events
// they use, and one traced span over a CDP session.
import type { CDPSession } from "playwright-core";

/** A trace event as chromium reports it (times in µs; `tdur` is thread CPU time). */
export interface TraceEvent {
  readonly ph: string;
  readonly name: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { readonly name?: string };
}

/** Runs `during` with chromium tracing `categories` on `cdp`, and returns its result with every event traced. */
export async function traced<T>(cdp: CDPSession, categories: readonly string[], during: () => Promise<T>): Promise<{ result: T; events: TraceEvent[] }> {
  const events: TraceEvent[] = [];
  const collect = (e: { value: object[] }) => events.push(...(e.value as TraceEvent[]));
  cdp.on("Tracing.dataCollected", collect);
  try {
    await cdp.send("Tracing.start", { traceConfig: { includedCategories: [...categories] }, transferMode: "ReportEvents" });
    const result = await during();
    const complete = new Promise((ok) => cdp.once("Tracing.tracingComplete", ok));
    await cdp.send("Tracing.end");
    await complete;
    return { result, events };
  } finally {
    cdp.off("Tracing.dataCollected", collect);
  }
}
