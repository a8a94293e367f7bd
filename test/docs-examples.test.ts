// Every `npx scaleplan` example of README.md and docs/*.md runs as typed (exit code as documented) and prints
// what the docs show after it. Regenerate the shown outputs with `npm run docs:examples`.
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { extractFileBlocks, maskVolatile, renderOutput } from "../tools/docs-examples/markdown.ts";
import { docFiles, examplesOf, REPO_ROOT, runExample, scratchFolder, shownText } from "../tools/docs-examples/run.ts";

const pages = docFiles().map((file) => ({ file, examples: examplesOf(file) }));

describe("docs examples run as typed", () => {
  it("finds examples in the README and the docs pages", () => {
    expect(pages.find((p) => p.file === "README.md")!.examples.length).toBeGreaterThanOrEqual(2);
    expect(pages.reduce((n, p) => n + p.examples.length, 0)).toBeGreaterThanOrEqual(20);
  });

  it("keeps the README to one short page (issue 12: at most 12 KB)", () => {
    expect(readFileSync(join(REPO_ROOT, "README.md")).length).toBeLessThanOrEqual(12 * 1024);
  });

  it("links only files that exist (relative links of README.md and docs/*.md)", () => {
    const broken: string[] = [];
    for (const { file } of pages) {
      const text = readFileSync(join(REPO_ROOT, file), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue; // http(s): and mailto: links are not checked offline
        if (!existsSync(join(REPO_ROOT, dirname(file), target!))) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("writes every command as `npx scaleplan` (a bare `scaleplan` is \"command not found\" without a global install)", () => {
    const bare: string[] = [];
    for (const { file } of pages) {
      // Command blocks (sh, bash, console, or no language); text blocks are output and may print anything.
      let fence: string | undefined;
      readFileSync(join(REPO_ROOT, file), "utf8").split("\n").forEach((line, i) => {
        if (line.startsWith("```")) fence = fence === undefined ? line.slice(3).trim().split(/\s/)[0] ?? "" : undefined;
        else if (fence !== undefined && ["", "sh", "bash", "console", "shell"].includes(fence) && /^\s*(\$\s+)?scaleplan\s/.test(line)) {
          bare.push(`${file}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(bare).toEqual([]);
  });

  it("shows shipped files as they are (```yaml file=PATH blocks)", () => {
    for (const { file } of pages) {
      for (const block of extractFileBlocks(readFileSync(join(REPO_ROOT, file), "utf8"))) {
        const shipped = readFileSync(join(REPO_ROOT, block.path), "utf8").replace(/\n$/, "");
        expect(block.text, `${file}:${block.start}: ${block.path} (npm run docs:examples)`).toBe(shipped);
      }
    }
  });

  for (const { file, examples } of pages.filter((p) => p.examples.length > 0)) {
    // One test per page: its examples run in order in one scratch folder (later ones read files earlier ones wrote).
    it(`${file}: ${examples.length} examples`, async () => {
      const cwd = scratchFolder();
      for (const example of examples) {
        const run = await runExample(example, cwd);
        const where = `${file}:${example.line}: ${example.source}`;
        expect(run.code, `${where}\n${run.stderr}`).toBe(example.expectedExit);
        if (example.output) {
          const shown = renderOutput(shownText(example, run), example.output);
          expect(maskVolatile(shown, example.output.volatile), `${where} (npm run docs:examples regenerates the shown output)`).toBe(
            maskVolatile(example.output.text, example.output.volatile),
          );
        }
      }
    });
  }
});
