// The one boundary for input (issues 12 and 13): one decimal number parser, one schema layer for flags and
// files, one-line InputErrors naming field, value and what is allowed; hostile YAML/JSON bounded.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import { parseJsonText } from "../../src/core/config/json.ts";
import { parseCount, parseDecimal } from "../../src/core/config/number.ts";
import { parseConfigText } from "../../src/core/config/parse.ts";
import { describeValue, InputError } from "../../src/core/errors.ts";
import { encodeSafetensorsHeader, parseSafetensorsHeader } from "../../src/core/safetensors.ts";
import { maxOf, minOf } from "../../src/core/util/extent.ts";

async function run(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

const dir = mkdtempSync(join(tmpdir(), "scaleplan-input-"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("parseDecimal: the one number parser", () => {
  it("reads decimal numbers with optional sign, fraction and exponent", () => {
    expect(parseDecimal("3")).toBe(3);
    expect(parseDecimal(" -2.5e-3 ")).toBe(-2.5e-3);
    expect(parseDecimal(".5")).toBe(0.5);
    expect(parseDecimal("5.")).toBe(5);
    expect(parseDecimal("+1E21")).toBe(1e21);
    expect(parseDecimal("0")).toBe(0);
  });

  it("rejects what Number() would silently accept or round", () => {
    for (const raw of ["", " ", "0x10", "0b1", "0o7", "1e309", "-1e309", "NaN", "Infinity", "-Infinity", "1e-400", "1_000", "1,5", "12abc", "e5", ".", "--1"]) {
      expect(parseDecimal(raw), raw).toBeUndefined();
    }
  });

  it("reads counts with k/M/B/G/T suffixes", () => {
    expect(parseCount("124M")).toBe(124e6);
    expect(parseCount("1.3b")).toBe(1.3e9);
    expect(parseCount("2e10")).toBe(2e10);
    expect(parseCount("0x10M")).toBeUndefined();
    expect(parseCount("1e300T")).toBeUndefined();
    expect(parseCount("M")).toBeUndefined();
  });
});

describe("InputError never throws and prints values as typed", () => {
  it("prints odd values as themselves", () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular["self"] = circular;
    const cases: Array<[unknown, string]> = [
      [Number.NaN, "NaN"],
      [Number.POSITIVE_INFINITY, "Infinity"],
      [Number.NEGATIVE_INFINITY, "-Infinity"],
      [[1, Number.NaN], "[1,NaN]"],
      [10n, "10n"],
      [Symbol("s"), "Symbol(s)"],
      [function named() {}, "a function (named)"],
      [circular, '{"a":1,"self":[circular]}'],
      [undefined, "a missing value"],
      [null, "null"],
    ];
    for (const [value, shown] of cases) {
      expect(describeValue(value)).toBe(shown);
      expect(() => new InputError("f", value, "x")).not.toThrow();
      expect(new InputError("f", value, "x").message).toBe(`f: ${shown} is not allowed; expected x`);
    }
    const throwing = { get x() { throw new Error("boom"); } };
    expect(() => new InputError("f", throwing, "x")).not.toThrow();
  });
});

describe("files: YAML and JSON bounded, duplicates and unknown fields rejected alike", () => {
  const schema = z.strictObject({ months: z.number().positive().optional(), a: z.unknown().optional(), b: z.unknown().optional() });

  it("rejects an alias bomb and a self-referencing alias with one line", () => {
    let bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
    let prev = "a";
    for (const n of "bcdefghi") {
      bomb += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
      prev = n;
    }
    expect(() => parseConfigText(bomb, z.unknown(), "bomb.yaml")).toThrow(/^bomb\.yaml: not allowed: .*at most 100 alias expansions/);
    expect(() => parseConfigText("a: &a [*a]\n", z.unknown(), "c.yaml")).toThrow("c.yaml: a.0: an alias that refers to itself is not allowed");
  });

  it("reads numbers as decimals only (hex, octal, .inf, .nan are not numbers)", () => {
    for (const v of ["0x10", "0o17", ".inf", "-.inf", ".nan"]) {
      expect(() => parseConfigText(`months: ${v}\n`, schema, "s.yaml")).toThrow(new RegExp(`^s\\.yaml:1:9: months: "${v.replace(".", "\\.")}" is not allowed; expected a number$`));
    }
    expect(parseConfigText("months: 1e1\n", schema, "s.yaml")).toEqual({ months: 10 });
  });

  it("rejects duplicate keys in YAML and JSON, naming where", () => {
    expect(() => parseConfigText("months: 3\nmonths: 4\n", schema, "s.yaml")).toThrow(/^s\.yaml:2:1: not valid YAML or JSON: Map keys must be unique/);
    expect(() => parseJsonText('{"a": 1,\n "b": {"c": 1, "c": 2}}', "x.json")).toThrow('x.json:2:16: "c": duplicate key is not allowed');
    expect(() => parseJsonText('{"a": 1, "\\u0061": 2}', "x.json")).toThrow("duplicate key");
    expect(parseJsonText('{"__proto__": 1}', "x.json")).toEqual(JSON.parse('{"__proto__": 1}'));
  });

  it("names an unknown field and the fields allowed", () => {
    expect(() => parseConfigText("monts: 3\n", schema, "s.yaml")).toThrow("s.yaml:1:8: monts: unknown field; expected one of the fields months, a, b");
  });

  it("rejects broken JSON with its line and column", () => {
    expect(() => parseJsonText('{\n "a": 1,\n}', "x.json")).toThrow(/^x\.json:3:1: not valid JSON/);
  });
});

describe("safetensors header: nothing dropped or reshaped", () => {
  const header = (obj: string) => new TextEncoder().encode(obj);
  it("keeps a tensor named __proto__ and rejects a duplicate tensor name", () => {
    const json = header('{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
    const h = parseSafetensorsHeader(json, 8 + json.length + 4, "m.safetensors");
    expect(h.tensors.map((t) => t.name)).toEqual(["__proto__"]);
    // …and writing it back keeps it (on a plain {} the assignment would have set the prototype instead).
    const { bytes } = encodeSafetensorsHeader(h.tensors, h.metadata);
    expect(new TextDecoder().decode(bytes.subarray(8))).toContain('"__proto__":{"dtype":"F32"');
    expect(() => parseSafetensorsHeader(header('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}'), 300, "m.safetensors")).toThrow(/m\.safetensors: corrupt safetensors header: "w": duplicate key/);
  });
  it("accepts only flat string metadata", () => {
    const ok = parseSafetensorsHeader(header('{"__metadata__":{"format":"pt","__proto__":"x"}}'), 100, "m");
    expect(Object.entries(ok.metadata)).toEqual([["format", "pt"], ["__proto__", "x"]]);
    expect(() => parseSafetensorsHeader(header('{"__metadata__":"pt"}'), 100, "m")).toThrow('m: __metadata__: "pt" is not allowed; expected a flat map of text keys to text values');
    expect(() => parseSafetensorsHeader(header('{"__metadata__":{"a":{"b":"c"}}}'), 100, "m")).toThrow("m: __metadata__.a: {\"b\":\"c\"} is not allowed");
  });
});

describe("command-line flags: one line naming the option, the value typed and what is allowed", () => {
  const cases: Array<[string[], string | RegExp]> = [
    [["limits", "--months", "0x10"], 'scaleplan: --months: "0x10" is not allowed; expected a finite number in (0, 1,200]\n'],
    [["limits", "--datacenter-size", ""], 'scaleplan: --datacenter-size: "" is not allowed; expected a whole number in [1, 1,048,576] (the layout searches enumerate its divisors)\n'],
    [["optimal", "--gpus", "2.5", "--days", "1", "--gpu", "h100-sxm"], 'scaleplan: --gpus: "2.5" is not allowed; expected a whole number in [1, 1,048,576]\n'],
    [["optimal", "--flops", "1e309"], 'scaleplan: --flops: "1e309" is not allowed; expected a finite number in [1e12, 1e35]\n'],
    [["fit", "runs.csv", "--bootstrap", "NaN"], 'scaleplan: --bootstrap: "NaN" is not allowed; expected a whole number in [0, 100,000] (each resample is a full refit)\n'],
    [["curve", "fit", "x.csv", "--fix", "beta="], 'scaleplan: --fix beta: "" is not allowed; expected a finite decimal number\n'],
    [["curve", "fit", "x.csv", "--fix", "betta=1"], 'scaleplan: --fix: "betta=1" is not allowed; expected NAME=VALUE with NAME one of L0, A, alpha, B, C, beta, gamma (e.g. beta=0.5), or none\n'],
    [["schedule", "constant:steps=10", "--plot", ""], 'scaleplan: --plot: "" is not allowed; expected a file name ending in .svg or .png\n'],
    [["schedule", "constant:steps=10,steps=20"], 'scaleplan: spec constant.steps: "steps=20" is not allowed; expected each key once (steps is given twice)\n'],
    [["schedule", "constant:steps=0x10"], 'scaleplan: spec constant.steps: "0x10" is not allowed; expected a finite decimal number\n'],
    [["schedule", "constant:steps=9007199254740993"], 'scaleplan: spec constant.steps: "9007199254740993" is not allowed; expected a whole number in [1, 5,000,000] (the per-step LR array is held in memory)\n'],
    [["sweep", "--preset", "hagele2024", "--gpu", "constructor"], /^scaleplan: --gpu: "constructor" is not allowed; expected one of .*h100-sxm.* \(or --gpu-flops\)\n$/],
    [["sweep", "--preset", "hagele2024", "--gpu", "a100", "--gpu-flops", "1e15"], "scaleplan: give the GPU either as --gpu or as --gpu-flops, not both\n"],
    [["sweep", "--models", "124M,0x10M", "--tokens", "1B"], 'scaleplan: --models: "0x10M" is not allowed; expected a parameter count such as 124M, 1.3B or 2e10: a finite number in [1, 1e15] (at least one parameter; far past any published model)\n'],
    [["search", "--config", "x.yaml", "--top", "1e1000"], 'scaleplan: --top: "1e1000" is not allowed; expected a whole number in [1, 1,000] (the ranking keeps every listed layout sorted)\n'],
    [["average", "a.safetensors", "-o", "b.safetensors", "--accumulate", "f16"], 'scaleplan: --accumulate: "f16" is not allowed; expected one of f64, f32\n'],
    [["limts"], "scaleplan: unknown command 'limts' (did you mean limits?)\n"],
  ];
  for (const [args, err] of cases) {
    it(args.join(" "), async () => {
      const r = await run(...args);
      if (typeof err === "string") expect(r.err).toBe(err);
      else expect(r.err).toMatch(err);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
    });
  }
});

describe("files given to commands", () => {
  it("a broken JSON run config is one line, exit 2 (was: internal error with a stack)", async () => {
    const r = await run("step", "--config", file("broken.json", '{"model": {"layers": 2,}'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^scaleplan: .*broken\.json:1:\d+: not valid YAML or JSON: .*\n$/);
  });

  it("alias bombs and circular aliases in run configs, scenarios and fits are one line, exit 2", async () => {
    const circ = file("circ.yaml", "a: &a [*a]\n");
    for (const args of [["step", "--config", circ], ["search", "--config", circ], ["limits", "--scenario", circ], ["curve", "optimize", "--fit", circ, "--steps", "10", "--peak", "1e-3"]]) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toMatch(/^scaleplan: .*circ\.yaml: a\.0: an alias that refers to itself is not allowed; expected data without circular references\n$/);
    }
  });

  it("unknown fields in law files and duplicate CSV columns are rejected like run-config fields", async () => {
    const law = file("law.json", JSON.stringify({ id: "x", form: "chinchilla", name: "n", source: "s", conventions: { params: "a", data: "b", loss: "c", compute: "d" }, E: 1, A: 1, B: 1, alpha: 0.3, beta: 0.3, extra: 1 }));
    const r = await run("laws", "--file", law);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/law\.json:1:\d+: extra: unknown field; expected one of the fields id, name, source/);
    const runs = await run("fit", file("dup.csv", "N,D,loss,loss\n1e8,1e9,3,3\n"));
    expect(runs.err).toMatch(/dup\.csv:1: column "loss" appears twice; expected each column name once\n$/);
    const curve = await run("curve", "fit", file("dupc.csv", "step,lr,loss,lr\n0,1,2,3\n"));
    expect(curve.err).toMatch(/dupc\.csv:1: column "lr" appears twice/);
  });

  it("validate rejects an empty folder and impossible measurements", async () => {
    const empty = mkdtempSync(join(dir, "empty-"));
    const r = await run("validate", "--dir", empty);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^scaleplan: --dir: ".*empty-.*" is not allowed; expected a folder with at least one real-run \.json file\n$/);
    const bad = mkdtempSync(join(dir, "bad-"));
    writeFileSync(join(bad, "x.json"), JSON.stringify({ id: "x", run: "r", config: {}, measured: { stepTimeSeconds: 1, mfu: 7 } }));
    const m = await run("validate", "--dir", bad);
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/x\.json:1:\d+: measured\.mfu: 7 is not allowed; expected a fraction in \(0, 1\] \(MFU cannot exceed the peak\)\n$/);
    writeFileSync(join(bad, "x.json"), JSON.stringify({ id: "x", run: "r", config: {}, measured: { stepTimeSeconds: -1 } }));
    expect((await run("validate", "--dir", bad)).err).toMatch(/measured\.stepTimeSeconds: -1 is not allowed; expected a number > 0/);
  });
});

describe("bounds and nonsense (issue 13): every count bounded with the bound named, nonsense rejected", () => {
  const cases: Array<[string[], string]> = [
    [["schedule", "constant:steps=100000000"], 'scaleplan: spec constant.steps: "100000000" is not allowed; expected a whole number in [1, 5,000,000] (the per-step LR array is held in memory)\n'],
    [["limits", "--tokens-per-param", "1e300"], 'scaleplan: --tokens-per-param: "1e300" is not allowed; expected a finite number in (0, 1,000,000]\n'],
    [["limits", "--datacenter-size", "1099511627776"], 'scaleplan: --datacenter-size: "1099511627776" is not allowed; expected a whole number in [1, 1,048,576] (the layout searches enumerate its divisors)\n'],
    [["fit", "runs.csv", "--bootstrap", "1e9"], 'scaleplan: --bootstrap: "1e9" is not allowed; expected a whole number in [0, 100,000] (each resample is a full refit)\n'],
    [["search", "--config", "x.yaml", "--top", "1e9"], 'scaleplan: --top: "1e9" is not allowed; expected a whole number in [1, 1,000] (the ranking keeps every listed layout sorted)\n'],
    [["curve", "optimize", "--law", "mpl-25m", "--steps", "1e8", "--peak", "1e-3"], 'scaleplan: --steps: "1e8" is not allowed; expected a whole number in [2, 200,000] (every evaluation of the optimizer covers every step)\n'],
    [["optimal", "--flops", "1e-300"], 'scaleplan: --flops: "1e-300" is not allowed; expected a finite number in [1e12, 1e35]\n'],
    [["optimal", "--flops", "1e21", "--params", "1e12"], 'scaleplan: --params: "1e12" is not allowed: it leaves 0.000167 tokens per parameter; expected a value leaving 0.01 to 1,000,000 tokens per parameter\n'],
  ];
  for (const [args, err] of cases) {
    it(args.join(" "), async () => {
      const r = await run(...args);
      expect(r.err).toBe(err);
      expect(r.code).toBe(2);
    });
  }

  it("no spread of a user-sized list into Math.min/Math.max anywhere in src (it overflows the stack past ~125k items)", () => {
    const offenders: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name) && readFileSync(p, "utf8").split("\n").some((l) => !/^\s*(\/\/|\*)/.test(l) && /Math\.(max|min)\([^)]*\.\.\./.test(l))) offenders.push(p);
      }
    };
    walk(join(import.meta.dirname, "..", "..", "src"));
    expect(offenders).toEqual([]);
    const many = Array.from({ length: 300_000 }, (_, i) => i);
    expect([minOf(many), maxOf(many)]).toEqual([0, 299_999]);
  });
});
