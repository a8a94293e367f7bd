// Property test (issues 12, 13): every command's option parser and every file parser, fed random and hostile
// strings, numbers, YAML (alias bombs, self-references), JSON and CSV, in-process with a captured io. Whatever the
// input: exit 0, 1 or 2; never a stack trace or "internal error"; a failure is one line ending the output with
// the scaleplan: prefix; never NaN or Infinity on stdout. Arguments are chosen so that no case starts an
// expensive computation (missing files after the flags, --compare "," for limits), and numRuns is bounded.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import {
  FRAGMENTS,
  GOODPUT,
  GPU_COUNT,
  GPU_PEAK_FLOPS,
  INFERENCE_TOKENS,
  LINK_GBPS,
  LINK_GBYTES_PER_S,
  LINK_LATENCY_MS,
  LINK_LATENCY_S,
  MOE_GRANULARITY,
  NODE_FLOPS,
  OUTER_BITS,
  PARAMETER_COUNT,
  PEAK_LR,
  PLAN_DAYS,
  PLAN_MFU,
  SEQUENCE_LENGTH,
  SITE_COUNT,
  SYNC_EVERY,
  TRAINING_TOKENS,
  UNIQUE_TOKENS,
  USD_PER_GPU_HOUR,
  VOCAB_SIZE,
  type Bound,
} from "../../src/core/config/bounds.ts";
import { meetsRule, parseDecimal } from "../../src/core/config/number.ts";

const dir = mkdtempSync(join(tmpdir(), "scaleplan-property-"));
const MISSING = join(dir, "missing.csv");
let fileNo = 0;

const HOSTILE = [
  "", " ", "-", "--", "0", "-0", "-1", "1", "2.5", "0x10", "0o7", "0b1", "1e309", "-1e309", "1e-400", "NaN", "Infinity", "-Infinity",
  "9007199254740993", "1e9", "1e300", "1_000", "1,5", "12abc", ".", "e5", "__proto__", "constructor", "toString", "hasOwnProperty",
  "none", "beta=", "beta=0x1", "=1", "a=b=c", "../", "/", "\u0000", "é", "😀", "124M", "1.3B", "0M", "1e300T", "d768:l12:h0",
];

const hostileText = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 12 }),
  fc.double({ noDefaultInfinity: false }).map(String),
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
);

/** Runs the CLI and checks the contract; returns the exit code. */
async function check(args: string[]): Promise<number> {
  const io = memoryIO();
  const code = await runCli(args, io);
  const where = JSON.stringify(args);
  expect([0, 1, 2], where).toContain(code);
  expect(io.err, where).not.toMatch(/internal error|\n\s+at |Error: /);
  expect(io.out, where).not.toMatch(/\bNaN\b|Infinity/);
  if (code !== 0) {
    const lines = io.err.trimEnd().split("\n");
    expect(lines[lines.length - 1], where).toMatch(/^scaleplan: /);
    expect(io.out, where).toBe("");
  }
  return code;
}

// Per command: the arguments before the hostile option, and the options to try. Everything after the flags
// fails fast (missing files) or is cheap, so a valid flag value never starts a long computation.
const COMMANDS: Array<{ args: string[]; options: string[]; numRuns?: number }> = [
  { args: ["limits", "--compare", ","], options: ["--gpu", "--batch-rule", "--depth-scale", "--months", "--tokens-per-param", "--datacenter-size", "--datacenter-bandwidth", "--datacenter-latency", "--utilization-floor", "--zero-bubble-latency", "--plot"] },
  { args: ["fit", MISSING], options: ["--columns", "--approach", "--form", "--delta", "--grid", "--bootstrap", "--seed", "--level", "--drop-highest", "--isoflop-tolerance", "--plot", "--frontier-plot"] },
  { args: ["optimal"], options: ["--flops", "--gpus", "--days", "--utilization", "--peak", "--gpu", "--law", "--params", "--tokens", "--unique-tokens", "--inference-tokens", "--hparams", "--precision"] },
  { args: ["optimal", "--flops", "1e21"], options: ["--params", "--tokens", "--unique-tokens", "--inference-tokens", "--utilization", "--hparams", "--law", "--precision", "--precision-speedup", "--experts", "--max-total-params", "--granularity"] },
  { args: ["schedule", "cosine:steps=100"], options: ["--every", "--steps", "--plot"] },
  { args: ["sweep", "--models", "124M"], options: ["--tokens", "--tokens-per-param", "--batch-tokens", "--cooldown", "--shape", "--gpu", "--gpu-flops", "--utilization", "--seq-len", "--vocab"] },
  { args: ["search", "--config", MISSING], options: ["--gpus", "--top"] },
  { args: ["average", MISSING, "-o", join(dir, "out.safetensors")], options: ["--last", "--window", "--ema", "--accumulate"] },
  { args: ["curve", "fit", MISSING], options: ["--law", "--schedule", "--fix", "--decay"] },
  { args: ["curve", "predict", MISSING, "--fit", MISSING], options: ["--every", "--schedule", "--plot"] },
  { args: ["curve", "optimize", "--fit", MISSING], options: ["--steps", "--peak", "--warmup", "--warmup-from", "--warmup-shape", "--knots", "--every"] },
  { args: ["laws"], options: ["--file"] },
  { args: ["validate", "--dir"], options: [] },
  { args: ["validate", "--refit", "--dir"], options: [] },
  // Newer commands (issues 10 and 14); a valid value runs a small plan (~0.1 s), hence fewer runs.
  { args: ["plan", "--gpu", "h100-sxm", "--gpus", "8", "--days", "1"], options: ["--gpus", "--gpus-per-node", "--days", "--budget-usd", "--usd-per-gpu-hour", "--unique-tokens", "--inference-tokens", "--architecture", "--seq-len", "--precision", "--goodput", "--mfu", "--hparams", "--pue", "--sites", "--inter-site-gbit", "--inter-site-ms", "--diloco", "--outer-bits", "--gpu", "--law"], numRuns: 60 },
  { args: ["diloco", "--params", "1e9", "--gpus", "8"], options: ["--params", "--replicas", "--sync-every", "--gpus", "--batch", "--node-flops", "--bandwidth", "--latency", "--within-bandwidth", "--within-latency", "--outer-bits", "--fragments"] },
  { args: ["curve", "study", "--fit", MISSING], options: ["--steps", "--peak", "--warmup", "--warmup-from", "--warmup-shape", "--swa", "--only", "--law", "--plot"] },
  { args: ["step", "--config"], options: [] },
];

describe("every command's options under random and hostile values", () => {
  for (const { args, options, numRuns } of COMMANDS) {
    it(args.slice(0, 2).join(" "), async () => {
      const option = options.length > 0 ? fc.constantFrom(...options) : fc.constant("");
      await fc.assert(
        fc.asyncProperty(option, hostileText, async (name, value) => {
          await check(name === "" ? [...args, value] : [...args, name, value]);
        }),
        { numRuns: numRuns ?? 200, seed: 13 },
      );
    });
  }

  it("schedule specs and unknown commands", async () => {
    const spec = fc.tuple(fc.constantFrom("constant", "wsd", "cosine", "cos-inf", "onecycle", "multistep", "two-stage", "table", "nope"), fc.array(fc.tuple(fc.constantFrom("steps", "peak", "warmup", "cooldown", "final", "shape", "at", "factors", "steps"), hostileText), { maxLength: 4 }));
    await fc.assert(
      fc.asyncProperty(spec, async ([kind, pairs]) => {
        await check(["schedule", `${kind}:${pairs.map(([k, v]) => `${k}=${v}`).join(",")}`]);
      }),
      { numRuns: 400, seed: 13 },
    );
    await fc.assert(fc.asyncProperty(hostileText, async (word) => void (await check([word]))), { numRuns: 40, seed: 13 });
  });
});

// ---- files ----

const ALIAS_BOMB = (() => {
  let s = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
  let prev = "a";
  for (const n of "bcdefghi") {
    s += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
    prev = n;
  }
  return s;
})();

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const yamlText = fc.oneof(
  fc.constantFrom(ALIAS_BOMB, "a: &a [*a]\n", "a: &a {b: *a}\n", "months: 0x10\n", "months: .inf\n", "a: 1\na: 2\n", "{", "[", "\u0000", "---\n---\n", "!!binary AAAA", "? [a]\n: b\n", "model: {layers: 2,}"),
  jsonValue.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 }),
  fc.dictionary(fc.constantFrom("model", "hardware", "training", "parallelism", "gpu", "months", "sparse", "law", "params", "form", "E", "id", "measured", "kind", "__proto__"), jsonValue, { maxKeys: 4 }).map((o) => JSON.stringify(o)),
);
const csvText = fc.oneof(
  fc.constantFrom("", "N,D,loss\n", "N,D,loss,loss\n1,2,3,3\n", "step,lr,loss\n0,0x1,3\n", "step,lr,loss\n9007199254740993,1,2\n", "N,D,loss\n1e8,2e9,NaN\n", '"a\n'),
  fc.array(fc.array(hostileText, { minLength: 1, maxLength: 4 }), { maxLength: 5 }).map((rows) => ["N,D,loss", ...rows.map((r) => r.join(","))].join("\n")),
  fc.array(fc.array(hostileText, { minLength: 1, maxLength: 3 }), { maxLength: 5 }).map((rows) => ["step,lr,loss", ...rows.map((r) => r.join(","))].join("\n")),
  fc.array(jsonValue, { maxLength: 3 }).map((vs) => vs.map((v) => JSON.stringify(v)).join("\n")),
);

/** A folder holding only `path` (moved there). */
function alone(path: string): string {
  const folder = join(dir, `d${fileNo++}`);
  mkdirSync(folder);
  renameSync(path, join(folder, basename(path)));
  return folder;
}

function file(text: string, ext: string): string {
  const path = join(dir, `f${fileNo++}.${ext}`);
  writeFileSync(path, text);
  return path;
}

describe("every file parser under random and hostile text", () => {
  const parsers: Array<[string, fc.Arbitrary<string>, string, (path: string) => string[]]> = [
    ["run config", yamlText, "yaml", (p) => ["step", "--config", p]],
    ["run config (search)", yamlText, "json", (p) => ["search", "--config", p, "--top", "1"]],
    ["limits scenario", yamlText, "yaml", (p) => ["limits", "--scenario", p, "--compare", ","]],
    ["law file", yamlText, "json", (p) => ["laws", "--file", p]],
    ["saved Approach-3 fit", yamlText, "json", (p) => ["optimal", "--flops", "1e21", "--fit", p]],
    ["saved curve fit", yamlText, "json", (p) => ["curve", "optimize", "--fit", p, "--steps", "100", "--peak", "1e-3"]],
    ["plan file", yamlText, "yaml", (p) => ["plan", p]],
    ["runs CSV", csvText, "csv", (p) => ["fit", p, "--form", "n", "--bootstrap", "0"]],
    ["runs JSONL", csvText, "jsonl", (p) => ["fit", p, "--form", "n", "--bootstrap", "0"]],
    ["curve CSV", csvText, "csv", (p) => ["curve", "predict", p, "--law", "mpl-25m", "--schedule", "cosine:steps=200"]],
    ["schedule table", csvText, "csv", (p) => ["schedule", `table:${p}`]],
    ["MoE runs CSV (fit --form moe)", csvText, "csv", (p) => ["fit", p, "--form", "moe"]],
    ["plan config", yamlText, "yaml", (p) => ["plan", "--config", p]],
    ["plan --software", yamlText, "json", (p) => ["plan", "--gpu", "h100-sxm", "--gpus", "8", "--days", "1", "--software", p]],
    ["curve study --fit", yamlText, "json", (p) => ["curve", "study", "--fit", p, "--only", "fraction"]],
    ["validate --refit, a folder of one run", yamlText, "json", (p) => ["validate", "--refit", "--dir", alone(p)]],
  ];
  for (const [name, text, ext, args] of parsers) {
    it(name, async () => {
      await fc.assert(
        fc.asyncProperty(text, async (t) => {
          await check(args(file(t, ext)));
        }),
        { numRuns: 120, seed: 13 },
      );
    });
  }
});

// ---- the newest commands and fields against their named bounds (issue 13 leftovers) ----
//
// For a field with a bound in src/core/config/bounds.ts, whatever is typed: text that is not a decimal number, or a
// number outside the bound, is ONE line "scaleplan: <field>: <value> … expected <the bound>" with exit 2 and
// nothing on stdout; a number inside passes the input layer (exit 0, or 1 when the plan is infeasible). Nonsense
// such as `outerBits: 1e-300` (a free outer exchange) or `interSite.latencyMs: 1e300` (a step of 3e295 s) was accepted.

const numberish = fc.oneof(
  hostileText,
  fc.constantFrom("1e-6", "1e6", "1000001", "3600", "3600001", "1", "32", "33", "0.5", "1e-8", "10", "11", "5000000", "5000001", "1000", "1001", "1e9", "1e18", "1048576", "1048577"),
  fc.double({ min: -1e7, max: 1e7, noNaN: true }).map(String),
  fc.integer({ min: -10, max: 2_000_000 }).map(String),
);

/** The contract for one typed value of a bounded field. */
async function checkBounded(args: string[], field: RegExp, raw: string, bound: Bound): Promise<void> {
  const io = memoryIO();
  const code = await runCli(args, io);
  const where = JSON.stringify(args);
  expect(io.err, where).not.toMatch(/internal error|\n\s+at |Error: /);
  expect(io.out, where).not.toMatch(/\bNaN\b|Infinity/);
  const x = parseDecimal(raw);
  if (x === undefined || !meetsRule(x, bound)) {
    expect(code, where).toBe(2);
    expect(io.out, where).toBe("");
    const lines = io.err.trimEnd().split("\n").filter((l) => !l.startsWith("warning: "));
    expect(lines, where).toHaveLength(1);
    expect(lines[0], where).toMatch(/^scaleplan: /);
    expect(lines[0]!.slice("scaleplan: ".length), where).toMatch(field);
    expect(lines[0], where).toMatch(/expected /);
  } else {
    // Inside the bound the input layer lets it through; a rule across fields (sites dividing the GPUs) may still
    // refuse it, in the same one-line form.
    expect([0, 1, 2], `${where}\n${io.err}`).toContain(code);
    if (code === 2) expect(io.err, where).toMatch(/^scaleplan: [^\n]+: [^\n]*expected [^\n]+\n$/);
  }
}

/** `plan`'s numeric flags and their bounds (the same as the plan file's fields and the Plan view's). */
const PLAN_FLAG_BOUNDS = {
  "--days": PLAN_DAYS,
  "--goodput": GOODPUT,
  "--mfu": PLAN_MFU,
  "--gpus-per-node": GPU_COUNT,
  "--seq-len": SEQUENCE_LENGTH,
  "--unique-tokens": UNIQUE_TOKENS,
  "--inference-tokens": INFERENCE_TOKENS,
  "--usd-per-gpu-hour": USD_PER_GPU_HOUR,
} as const;

describe("new flags against their named bounds", () => {
  const flags: Array<[string[], string, Bound, number]> = [
    [["plan", "--gpu", "h100-sxm", "--gpus", "64", "--days", "3", "--json"], "--sites", SITE_COUNT, 12],
    [["plan", "--gpu", "h100-sxm", "--gpus", "64", "--days", "3", "--sites", "2", "--json"], "--inter-site-gbit", LINK_GBPS, 12],
    [["plan", "--gpu", "h100-sxm", "--gpus", "64", "--days", "3", "--sites", "2", "--json"], "--inter-site-ms", LINK_LATENCY_MS, 12],
    [["plan", "--gpu", "h100-sxm", "--gpus", "64", "--days", "3", "--sites", "2", "--json"], "--diloco", SYNC_EVERY, 12],
    [["plan", "--gpu", "h100-sxm", "--gpus", "64", "--days", "3", "--sites", "2", "--diloco", "30", "--json"], "--outer-bits", OUTER_BITS, 12],
    [["diloco", "--params", "1e9", "--json"], "--sync-every", SYNC_EVERY, 60],
    [["diloco", "--params", "1e9", "--json"], "--outer-bits", OUTER_BITS, 60],
    [["diloco", "--params", "1e9", "--json"], "--fragments", FRAGMENTS, 60],
    [["diloco", "--params", "1e9", "--json"], "--node-flops", NODE_FLOPS, 60],
    [["diloco", "--params", "1e9", "--json"], "--bandwidth", LINK_GBPS, 60],
    [["diloco", "--params", "1e9", "--json"], "--params", PARAMETER_COUNT, 60],
    [["curve", "study", "--law", "mpl-25m", "--only", "final", "--json"], "--peak", PEAK_LR, 15],
    // The issue-13 leftovers pass: plan's other inputs (an unknown --gpu makes a valid value end fast, exit 2 naming
    // the gpu), optimal's, sweep's, limits' DiLoCo flags and diloco --replicas. Before it, each took any number > 0.
    ...(["--days", "--goodput", "--mfu", "--gpus-per-node", "--seq-len", "--unique-tokens", "--inference-tokens", "--usd-per-gpu-hour"] as const).map(
      (option): [string[], string, Bound, number] => [["plan", "--gpu", "nope", "--gpus", "8", "--days", "1"], option, PLAN_FLAG_BOUNDS[option], 25],
    ),
    [["optimal", "--flops", "1e21", "--json"], "--tokens", TRAINING_TOKENS, 25],
    [["optimal", "--flops", "1e21", "--json"], "--unique-tokens", UNIQUE_TOKENS, 25],
    [["optimal", "--flops", "1e21", "--json"], "--inference-tokens", INFERENCE_TOKENS, 25],
    [["optimal", "--gpus", "8", "--days", "1", "--json"], "--peak", GPU_PEAK_FLOPS, 25],
    [["optimal", "--flops", "1e20", "--law", "moe-joint-2025", "--json"], "--max-total-params", PARAMETER_COUNT, 25],
    [["optimal", "--flops", "1e20", "--law", "moe-granular-2024", "--json"], "--granularity", MOE_GRANULARITY, 25],
    [["sweep", "--models", "124M", "--tokens-per-param", "20", "--json"], "--gpu-flops", GPU_PEAK_FLOPS, 25],
    [["sweep", "--models", "d768:l12:h12", "--tokens-per-param", "20", "--json"], "--seq-len", SEQUENCE_LENGTH, 25],
    [["sweep", "--models", "d768:l12:h12", "--tokens-per-param", "20", "--json"], "--vocab", VOCAB_SIZE, 25],
    [["limits", "--datacenter-size", "64", "--compare", ","], "--diloco", SYNC_EVERY, 25],
    [["limits", "--datacenter-size", "64", "--diloco", "30", "--compare", ","], "--diloco-outer-bits", OUTER_BITS, 25],
    [["limits", "--datacenter-size", "64", "--compare", ","], "--datacenter-bandwidth", LINK_GBYTES_PER_S, 25],
    [["limits", "--datacenter-size", "64", "--compare", ","], "--datacenter-latency", LINK_LATENCY_S, 25],
    [["diloco", "--params", "1e9", "--json"], "--replicas", SITE_COUNT, 25],
  ];
  for (const [args, option, bound, numRuns] of flags) {
    it(`${args[0]} ${option}`, async () => {
      await fc.assert(
        fc.asyncProperty(numberish, async (raw) => checkBounded([...args, option, raw], new RegExp(`^${option}: `), raw, bound)),
        { numRuns, seed: 13 },
      );
    });
  }

  it("optimal --law precision-kumar-2024 refuses what it cannot take, naming the option", async () => {
    for (const [option, value] of [["--tokens", "1e12"], ["--unique-tokens", "1e12"], ["--precision-speedup", "2"], ["--params", "1e14"], ["--params", "0.5"]]) {
      const io = memoryIO();
      expect(await runCli(["optimal", "--law", "precision-kumar-2024", "--flops", "1e22", option!, value!], io)).toBe(2);
      expect(io.err).toMatch(new RegExp(`^scaleplan: ${option}: "${value}" is not allowed[;:] .*expected .+\\n$`));
    }
  });

  it("fit --form moe / precision refuse the Approach options they would ignore", async () => {
    for (const form of ["moe", "precision"]) {
      for (const [option, value] of [["--bootstrap", "10"], ["--columns", "n=x"], ["--delta", "0.1"], ["--plot", "x.svg"]]) {
        const io = memoryIO();
        expect(await runCli(["fit", MISSING, "--form", form, option!, value!], io)).toBe(2);
        expect(io.err).toBe(`scaleplan: ${option}: "${value}" is not allowed; expected no ${option} with --form ${form} (${form === "moe" ? "it reads the columns active, experts, tokens, loss and fits the joint law" : "it reads the columns params, tokens, bits, loss and fits the tied precision law"})\n`);
      }
    }
  });
});

describe("run-config fields across sites against their named bounds (step and search)", () => {
  const base = readFileSync(join(import.meta.dirname, "..", "..", "examples", "llama8b-2-sites-diloco.yaml"), "utf8");
  // [the YAML line to replace, its key path in errors, the bound]
  const fields: Array<[RegExp, string, string, Bound]> = [
    [/^  sites: .*$/m, "  sites: ", "hardware.sites", SITE_COUNT],
    [/^    gbitPerGpu: .*$/m, "    gbitPerGpu: ", "hardware.interSite.gbitPerGpu", LINK_GBPS],
    [/^    latencyMs: .*$/m, "    latencyMs: ", "hardware.interSite.latencyMs", LINK_LATENCY_MS],
    [/^    syncEvery: .*$/m, "    syncEvery: ", "training.diloco.syncEvery", SYNC_EVERY],
    [/^    outerBits: .*$/m, "    outerBits: ", "training.diloco.outerBits", OUTER_BITS],
    [/^  count: .*$/m, "  count: ", "hardware.count", GPU_COUNT],
  ];
  // YAML scalars: the decimal forms above plus YAML's own spellings of NaN, infinity, hex, octal and empty.
  const yamlScalar = fc.oneof(numberish.filter((s) => /^[-+]?(\d|\.\d)/.test(s.trim()) && !/[\s:#,]/.test(s.trim())), fc.constantFrom(".nan", ".inf", "-.inf", "0x10", "0o17", "''", "null", "[]", "{}", "abc", "1e309", "9007199254740993"));
  for (const [line, prefix, path, bound] of fields) {
    it(path, async () => {
      await fc.assert(
        fc.asyncProperty(yamlScalar, fc.constantFrom("step", "search"), async (raw, command) => {
          const config = file(base.replace(line, `${prefix}${raw.trim()}`), "yaml");
          const args = command === "step" ? ["step", "--config", config, "--json"] : ["search", "--config", config, "--top", "1", "--json"];
          // YAML reads 2^53 + 1 as 2^53 and 1e309 as Infinity; either way the number is outside every bound.
          const typed = /^-?\d+$/.test(raw.trim()) && !Number.isSafeInteger(Number(raw.trim())) ? "1e300" : raw.trim();
          await checkBounded(args, new RegExp(`^${config.replaceAll(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: ${path.replaceAll(".", "\\.")}: `), typed, bound);
        }),
        { numRuns: 30, seed: 13 },
      );
    });
  }
});
