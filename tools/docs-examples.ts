// `npm run docs:examples`: runs every `npx scaleplan` example of README.md and docs/*.md and rewrites the output
// blocks that follow them from the real output, so the docs cannot drift (test/docs-examples.test.ts checks).
// `npm run docs:examples -- docs/limits.md` regenerates one page.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { extractFileBlocks, maskVolatile, renderOutput, rewriteOutputs } from "./docs-examples/markdown.ts";
import { docFiles, examplesOf, REPO_ROOT, runExample, scratchFolder, shownText } from "./docs-examples/run.ts";

const only = process.argv.slice(2);
let failures = 0;
for (const file of only.length > 0 ? only : docFiles()) {
  const examples = examplesOf(file);
  const path = join(REPO_ROOT, file);
  const rendered = new Map<number, string>();
  for (const block of extractFileBlocks(readFileSync(path, "utf8"))) {
    rendered.set(block.start, readFileSync(join(REPO_ROOT, block.path), "utf8").replace(/\n$/, ""));
  }
  const cwd = scratchFolder();
  for (const example of examples) {
    const started = Date.now();
    const run = await runExample(example, cwd);
    const seconds = ((Date.now() - started) / 1000).toFixed(2);
    const ok = run.code === example.expectedExit;
    if (!ok) failures++;
    process.stderr.write(`${ok ? "ok  " : "FAIL"} ${file}:${example.line} (${seconds} s, exit ${run.code}) ${example.source}\n`);
    if (!ok) process.stderr.write(run.stderr);
    if (example.output) {
      const { start, volatile, text } = example.output;
      const shown = renderOutput(shownText(example, run), example.output);
      // Timings differ on every run: keep the shown ones unless something else changed.
      rendered.set(start, maskVolatile(shown, volatile) === maskVolatile(text, volatile) ? text : shown);
    }
  }
  writeFileSync(path, rewriteOutputs(readFileSync(path, "utf8"), rendered));
}
process.exitCode = failures > 0 ? 1 : 0;
