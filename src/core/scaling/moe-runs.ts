// A user's MoE runs: CSV/TSV with active parameters, experts, tokens and loss (total parameters optional).
import { InputError, UsageError } from "../errors.ts";
import { EXPERT_COUNT } from "../config/bounds.ts";
import { meetsRule, parseDecimal } from "../config/number.ts";

export interface MoeRun {
  readonly line: number;
  readonly activeParams: number;
  readonly experts: number;
  readonly tokens: number;
  readonly loss: number;
  readonly totalParams?: number;
}

type MoeField = "activeParams" | "experts" | "tokens" | "loss" | "totalParams";

// Header names recognised (case-insensitive; spaces, underscores and dashes ignored).
const ALIASES: Record<MoeField, readonly string[]> = {
  activeParams: ["active", "activeparams", "nact", "activeparameters", "nactive"],
  experts: ["experts", "e", "numexperts", "nexperts"],
  tokens: ["tokens", "d", "trainingtokens", "ntokens"],
  loss: ["loss", "l", "finalloss", "valloss"],
  totalParams: ["total", "totalparams", "ntotal", "totalparameters", "params", "n"],
};
const REQUIRED: readonly MoeField[] = ["activeParams", "experts", "tokens", "loss"];
const normalise = (h: string) => h.trim().toLowerCase().replace(/[\s_-]+/g, "");

/** Parses the runs; errors name `source:line` and the column. Experts must be whole numbers >= 1 (1 = dense). */
export function parseMoeRuns(text: string, source: string): MoeRun[] {
  const lines = text.split(/\r?\n/);
  const sep = (lines[0] ?? "").includes("\t") && !(lines[0] ?? "").includes(",") ? "\t" : ",";
  const headers = (lines[0] ?? "").split(sep).map((h) => h.trim());
  const index = {} as Record<MoeField, number>;
  for (const field of Object.keys(ALIASES) as MoeField[]) index[field] = headers.findIndex((h) => ALIASES[field].includes(normalise(h)));
  const missing = REQUIRED.filter((f) => index[f] < 0);
  if (missing.length > 0) {
    throw new InputError(`${source}:1`, lines[0] ?? "", "a header with columns active (active parameters), experts, tokens, loss (and optionally total)", `${source}:1: missing column(s) ${missing.join(", ")}; name them active, experts, tokens, loss (optional: total)`);
  }
  const runs: MoeRun[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === "") continue;
    const cells = lines[i]!.split(sep).map((c) => c.trim());
    const value = (field: MoeField): number | undefined => {
      if (index[field] < 0) return undefined;
      const raw = cells[index[field]] ?? "";
      if (raw === "" && field === "totalParams") return undefined;
      // The one decimal parser (config/number.ts): Number() read "0x10" as 16 and "" as 0.
      const v = parseDecimal(raw) ?? Number.NaN;
      if (raw === "" || !Number.isFinite(v) || v <= 0) throw new InputError(`${source}:${i + 1}: column ${JSON.stringify(headers[index[field]])}`, raw, "a finite number > 0");
      return v;
    };
    const experts = value("experts")!;
    // The bound of `optimal --experts` and the MoE panel (config/bounds.ts): a row with 1e15 experts was fitted.
    if (!meetsRule(experts, EXPERT_COUNT)) throw new InputError(`${source}:${i + 1}: column ${JSON.stringify(headers[index.experts])}`, experts, `${EXPERT_COUNT.allowed}; 1 = dense`);
    const total = value("totalParams");
    runs.push({ line: i + 1, activeParams: value("activeParams")!, experts, tokens: value("tokens")!, loss: value("loss")!, ...(total !== undefined ? { totalParams: total } : {}) });
  }
  if (runs.length === 0) throw new UsageError(`${source}: no data rows`);
  return runs;
}
