import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// The core runs unchanged in the browser (web app, Web Worker) and in Node: these rules keep it that way.
const root = join(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Code with comments and string contents removed, so a comment that mentions Date.now() is not a violation. */
function codeOnly(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:\\])\/\/.*$/gm, "$1")
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');
}

const forbidden: Array<[RegExp, string]> = [
  [/\bMath\.random\s*\(/, "Math.random (use seededRandom(seed))"],
  [/\bDate\.now\s*\(|\bnew\s+Date\s*\(/, "the clock (Date)"],
  [/\bperformance\.now\s*\(/, "the clock (performance.now)"],
  [/\bprocess\./, "process"],
  [/\brequire\s*\(/, "require"],
];

describe("src/core is browser-safe", () => {
  const files = sourceFiles(join(root, "src/core"));

  it("has source files to check", () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it("imports no node:* modules, no Node built-ins and nothing from src/node or src/cli", () => {
    const bad: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*)["']([^"']+)["']/g)) {
        const spec = match[1]!;
        const builtin = /^node:/.test(spec) || /^(fs|path|os|crypto|child_process|worker_threads|url|util|stream)(\/|$)/.test(spec);
        const layer = /\/(node|cli)\//.test(spec) || /^\.\.\/(\.\.\/)*(node|cli)\//.test(spec);
        if (builtin || layer) bad.push(`${relative(root, file)} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("uses no clock, no unseeded randomness and no process globals", () => {
    const bad: string[] = [];
    for (const file of files) {
      const code = codeOnly(readFileSync(file, "utf8"));
      for (const [pattern, what] of forbidden) {
        if (pattern.test(code)) bad.push(`${relative(root, file)} uses ${what}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
