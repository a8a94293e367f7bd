// Runs the docs' examples in-process (runCli with a recording IO) from a scratch folder that holds a copy of
// examples/, the way a user runs them from the root of a fresh clone.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { memoryIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import { extractExamples, type DocExample } from "./markdown.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** README.md and every docs/*.md page, as paths relative to the repository root. */
export function docFiles(): string[] {
  const pages = readdirSync(join(REPO_ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`);
  return ["README.md", ...pages];
}

export function examplesOf(file: string): DocExample[] {
  return extractExamples(file, readFileSync(join(REPO_ROOT, file), "utf8"));
}

/** A scratch folder with examples/ copied in: each doc page runs its examples in order in its own folder. */
export function scratchFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "scaleplan-docs-"));
  cpSync(join(REPO_ROOT, "examples"), join(dir, "examples"), { recursive: true });
  return dir;
}

export interface ExampleRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one example with `cwd` as the working directory (restored afterwards). */
export async function runExample(example: DocExample, cwd: string): Promise<ExampleRun> {
  const previous = process.cwd();
  // Help text wraps at the terminal's width: pin it to commander's default (80) so the shown output is stable.
  const columns = process.stdout.columns;
  process.stdout.columns = 80;
  process.chdir(cwd);
  try {
    const io = memoryIO();
    const code = await runCli(example.args, io);
    if (example.stdoutFile !== undefined) writeFileSync(example.stdoutFile, io.out);
    return { code, stdout: example.stdoutFile === undefined ? io.out : "", stderr: io.err };
  } finally {
    process.chdir(previous);
    process.stdout.columns = columns;
  }
}

/** What an output block shows of a run: stdout, or stderr for an example that is meant to fail. */
export function shownText(example: DocExample, run: ExampleRun): string {
  return example.expectedExit === 0 ? run.stdout : run.stderr;
}
