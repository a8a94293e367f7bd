import type { CliIO } from "./io.ts";

/**
 * Progress on stderr for anything that may take over a second. On a terminal the line is redrawn in place;
 * otherwise one line per 10 % so logs stay short. stdout (the data) is never touched.
 */
export function progressReporter(io: CliIO, label: string): { update(done: number, total: number): void; end(): void } {
  let lastDecile = -1;
  let drawn = false;
  return {
    update(done, total) {
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
