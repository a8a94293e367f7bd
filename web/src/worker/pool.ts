// Computation workers are started before anyone asks for one: a module worker takes ~100 ms to fetch and evaluate
// its code, which would otherwise sit between page load and the first result, and between a cancel (or a
// superseded request, which terminates its worker) and the next result. A spare is kept warm, with the code of the
// tasks the page has used already loaded.
import type { PreloadRequest } from "./protocol.ts";

/** User Timing mark set each time a worker is started (e2e tests count them: a tab switch starts none). */
export const WORKER_SPAWN_MARK = "scaleplan:worker-spawn";

/** A taken spare is replaced this long after, so the new one does not compete with the computation just handed out. */
const REFILL_DELAY_MS = 1500;

const spares: Worker[] = [];
const used = new Set<string>();
let refill: ReturnType<typeof setTimeout> | null = null;

function spawn(preload: readonly string[]): Worker {
  performance.mark(WORKER_SPAWN_MARK);
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "scaleplan-compute" });
  if (preload.length > 0) worker.postMessage({ type: "preload", tasks: preload } satisfies PreloadRequest);
  return worker;
}

/**
 * A worker for a task runner: `opening` (a worker started for this task with its code bundled in, see
 * opening-workers.ts) or else a warm spare if there is one; a new spare is started a little later.
 */
export function takeWorker(task: string, opening?: Worker): Worker {
  used.add(task);
  const worker = opening ?? spares.shift() ?? spawn([task]);
  if (spares.length === 0 && refill === null) {
    refill = setTimeout(() => {
      refill = null;
      if (spares.length === 0) spares.push(spawn([...used]));
    }, REFILL_DELAY_MS);
  }
  return worker;
}
