/** What a command may touch of the outside world; main.ts supplies the process's, tests supply a recorder. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is a terminal: progress lines are redrawn in place only then. */
  readonly stderrIsTTY: boolean;
  /**
   * Resolves once stdout has taken what was written (at once unless its buffer is full). Writes to a pipe are
   * asynchronous: without waiting, `schedule constant:steps=5000000 --json | md5sum` queued 2.7 GB in memory.
   */
  drained?(): Promise<void>;
}

/** A recording IO for in-process tests of commands. */
export function memoryIO(): CliIO & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stderrIsTTY: false,
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
  };
  return io;
}
