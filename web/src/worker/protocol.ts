// Messages between the page and the computation worker. Everything crossing is plain, structured-cloneable data.

/** An error as data: InputErrors keep their field so the form can show the message next to it. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly field?: string;
  readonly allowed?: string;
  /** Several invalid form fields at once: `key` says which part of the form (e.g. scenario `s0`). */
  readonly fields?: ReadonlyArray<{ readonly key: string; readonly field: string; readonly message: string }>;
}

export interface WorkerRequest {
  readonly type: "run";
  readonly id: number;
  readonly task: string;
  readonly input: unknown;
}

/** Load these tasks' code now (a warm spare worker, before any request). */
export interface PreloadRequest {
  readonly type: "preload";
  readonly tasks: readonly string[];
}

export type WorkerMessage = WorkerRequest | PreloadRequest;

export type WorkerResponse =
  | { readonly id: number; readonly type: "progress"; readonly done: number; readonly total: number; readonly label: string }
  | {
      readonly id: number;
      readonly type: "partial" | "result";
      readonly result: unknown;
      readonly elapsedMs: number;
      /** When the computation started, in ms since the Unix epoch (timeOrigin + now: the page and worker clocks differ). */
      readonly startedAtEpochMs: number;
    }
  | { readonly id: number; readonly type: "error"; readonly error: SerializedError };

/**
 * Reports progress as `done` of `total` units of work, with a short label of what is running. `partial` hands
 * the page a usable result early (the point fit before its bootstrap intervals); the final result follows.
 */
export interface ProgressFn {
  (done: number, total: number, label: string): void;
  partial?: (result: unknown) => void;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const e = error as Error & { field?: unknown; allowed?: unknown; fields?: unknown };
    return {
      name: e.name,
      message: e.message,
      ...(typeof e.field === "string" ? { field: e.field } : {}),
      ...(typeof e.allowed === "string" ? { allowed: e.allowed } : {}),
      ...(Array.isArray(e.fields) ? { fields: e.fields as SerializedError["fields"] & object } : {}),
    };
  }
  return { name: "Error", message: String(error) };
}
