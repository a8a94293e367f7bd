// Numbers in YAML and JSON files are reported as typed (issue 13): the YAML reader holds 2^53 + 1 as 2^53 and 1e400
// as Infinity, so an error line used to quote a number the user never wrote ("training.globalBatch:
// 9007199254740992 is not allowed"). Now the error quotes the file's text, for every file read through the one YAML
// reader (run configs, plan files, law and fit files, JSON included), in the CLI and the web app's pasted inputs.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import { parseConfigText } from "../../src/core/config/parse.ts";
import { GPU_COUNT } from "../../src/core/config/bounds.ts";
import { numberValue } from "../../src/core/config/schema.ts";
import { parseSafetensorsHeader } from "../../src/core/safetensors.ts";
import { parseRuns } from "../../src/core/scaling/runs.ts";

async function cli(...args: string[]) {
  const io = memoryIO();
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

const dir = mkdtempSync(join(tmpdir(), "scaleplan-typed-"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// The repository's GPT-3 example run config (examples/gpt3-175b-h100.yaml), with one value replaced.
const RUN = readFileSync(new URL("../../examples/gpt3-175b-h100.yaml", import.meta.url), "utf8");
const TWO_53_PLUS_1 = "9007199254740993";

describe("numbers in files are reported as typed", () => {
  it("an integer past 2^53 in a YAML run config: the digits typed, not 2^53", async () => {
    const path = file("big.yaml", RUN.replace(/globalBatch: \d+/, `globalBatch: ${TWO_53_PLUS_1}`));
    const r = await cli("step", "--config", path);
    expect(r.err).toBe(`scaleplan: ${path}:25:16: training.globalBatch: ${TWO_53_PLUS_1} is not allowed; expected a whole number <= 9.007199254740991e15\n`);
    expect(r.code).toBe(2);
  });

  it("the same in a JSON file read through the YAML reader (a JSON plan file)", async () => {
    const json = JSON.stringify({ gpu: "h100-sxm", gpus: 8, days: 1 }).replace('"gpus":8', `"gpus":${TWO_53_PLUS_1}`);
    const path = file("plan.json", json);
    const r = await cli("plan", "--config", path);
    expect(r.err).toBe(`scaleplan: ${path}:1:26: gpus: ${TWO_53_PLUS_1} is not allowed; expected ${GPU_COUNT.allowed}\n`);
    expect(r.code).toBe(2);
  });

  it("overflow and underflow are quoted as typed (1e400, not Infinity; 1e-400, not 0)", async () => {
    const over = file("over.yaml", RUN.replace(/globalBatch: \d+/, "globalBatch: 1e400"));
    expect((await cli("step", "--config", over)).err).toBe(`scaleplan: ${over}:25:16: training.globalBatch: 1e400 is not allowed; expected a number\n`);
    const under = file("under.yaml", RUN.replace(/count: \d+/, "count: 1e-400"));
    expect((await cli("step", "--config", under)).err).toMatch(new RegExp(`^scaleplan: ${under}:13:10: hardware\\.count: 1e-400 is not allowed; expected a whole number in \\[1, `));
  });

  it("a value a flag overrides is not blamed on the file", async () => {
    const path = file("override.yaml", `gpu: h100-sxm\ngpus: 8\ndays: ${TWO_53_PLUS_1}\n`);
    const r = await cli("plan", "--config", path, "--days", "4000");
    expect(r.err).toMatch(/^scaleplan: --days: "4000" is not allowed/);
  });

  it("numbers the reader holds exactly keep their usual form; the parse of a pasted text does the same", () => {
    const schema = z.strictObject({ n: numberValue({ integer: true, min: 1 }) });
    expect(() => parseConfigText(`n: ${TWO_53_PLUS_1}\n`, schema, "pasted")).toThrow(`pasted:1:4: n: ${TWO_53_PLUS_1} is not allowed`);
    expect(() => parseConfigText(`{"n": -12345678901234567890}`, schema, "pasted")).toThrow(`pasted:1:7: n: -12345678901234567890 is not allowed`);
    expect(() => parseConfigText("n: 0.5\n", schema, "pasted")).toThrow("pasted:1:4: n: 0.5 is not allowed");
    expect(() => parseConfigText("n: 1.50\n", schema, "pasted")).toThrow("pasted:1:4: n: 1.5 is not allowed");
  });

  it("strict-JSON readers too: a safetensors header's shape and offsets, a JSON Lines run file's numbers", () => {
    const header = (shape: string, offsets: string) => new TextEncoder().encode(`{"w":{"dtype":"F32","shape":[${shape}],"data_offsets":[${offsets}]}}`);
    const size = (h: Uint8Array) => 8 + h.length + 16;
    const big = header(TWO_53_PLUS_1, "0,16");
    expect(() => parseSafetensorsHeader(big, size(big), "x.safetensors")).toThrow(`x.safetensors: tensor "w": shape: [${TWO_53_PLUS_1}] is not allowed; expected a list of whole numbers`);
    const off = header("4", `0,${TWO_53_PLUS_1}`);
    expect(() => parseSafetensorsHeader(off, size(off), "x.safetensors")).toThrow(`x.safetensors: tensor "w": data_offsets: [0, ${TWO_53_PLUS_1}] is not allowed`);
    const ok = header("4", "0,16");
    expect(parseSafetensorsHeader(ok, size(ok), "x.safetensors").tensors).toHaveLength(1);
    const runs = '{"N": 1e8, "D": 2e9, "loss": 3.1}\n{"N": 2e8, "D": 1e400, "loss": 3.0}\n';
    expect(() => parseRuns(runs, "runs.jsonl")).toThrow('runs.jsonl:2: column "D": 1e400 is not allowed; expected a finite number > 0');
  });
});
