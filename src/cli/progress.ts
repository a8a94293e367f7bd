import type { CliIO } from "./io.ts";

/** Progress is shown only for work that runs longer than this: short commands keep stderr clean. */
const QUIET_MS = 1000;

/**
 * Progress on stderr for anything that takes over a second. On a terminal the line is redrawn in place;
 * otherwise one line per 10 % so logs stay short. stdout (the data) is never touched.
 * `now` is injectable for tests; the CLI is the one layer allowed a clock. `startedAt` (a `now()` reading) counts
 * the command's set-up before this stage towards the second (`curve predict` spends seconds building per-step
 * arrays before its first prediction).
 */
export function progressReporter(
  io: CliIO,
  label: string,
  now: () => number = () => Date.now(),
  startedAt?: number,
): { update(done: number, total: number): void; end(): void } {
  const start = startedAt ?? now();
  let lastDecile = -1;
  let drawn = false;
  return {
    update(done, total) {
      if (now() - start < QUIET_MS) return;
      const fraction = total > 0 ? done / total : 1;
      if (io.stderrIsTTY) {
        io.stderr(`\r${label}: ${done}/${total} (${Math.round(fraction * 100)}%)`);
        drawn = true;
        return;
      }
      const decile = Math.floor(fraction * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        io.stderr(`${label}: ${done}/${total} (${decile * 10}%)\n`);
      }
    },
    end() {
      if (drawn) io.stderr("\n");
    },
  };
}
