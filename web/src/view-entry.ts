// How a view plugs into the app shell (app.tsx): a tab label, its URL codec, and its component.
import type { ComponentType } from "preact";
import type { ViewCodec } from "./url-state.ts";

/** Opens another view (a new history entry), optionally replacing that view's whole state first. */
export type Navigate = (view: string, state?: Record<string, unknown>) => void;

export interface ViewProps<S> {
  readonly state: S;
  readonly onChange: (state: S) => void;
  /** Whether this view's tab is selected. Views stay mounted (and their workers alive) while hidden. */
  readonly active: boolean;
  readonly navigate: Navigate;
}

export interface ViewEntry<S extends Record<string, unknown> = Record<string, unknown>> {
  /** `?view=<id>`; also the tab's and panel's element ids (`tab-<id>`, `panel-<id>`). */
  readonly id: string;
  readonly label: string;
  readonly codec: ViewCodec<S>;
  readonly View: ComponentType<ViewProps<S>>;
}

/** Type-checks one view's entry, then erases its state type so entries of different views share one list. */
export function defineView<S extends Record<string, unknown>>(entry: ViewEntry<S>): ViewEntry {
  return entry as unknown as ViewEntry;
}
