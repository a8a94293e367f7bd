// The runnable examples of README.md and docs/*.md: every line of a ```sh block that starts with `npx scaleplan`
// (or `npm ci && npx scaleplan`, the README's first command) is an example; a ```text output block right after
// that sh block shows the stdout of the block's last example (its stderr when the example exits non-zero).
// `npm run docs:examples` rewrites those output blocks from real runs; test/docs-examples.test.ts checks them.
//
// Output-block options, in the fence's info string (`\`\`\`text output head=8 tail=6 volatile=time,throughput`):
//   head=N tail=M  show only the first N and last M lines with a line "…" between (long tables and JSON);
//   volatile=a,b   lines whose first word is a or b (timings) are compared without their digits.
// An example's comment may say which exit code it expects: `# exit 2` (default 0).

export interface OutputBlock {
  /** Index of the fence's first content line in the file's lines. */
  readonly start: number;
  /** Index one past the last content line (the closing fence). */
  readonly end: number;
  readonly head?: number;
  readonly tail?: number;
  readonly volatile: readonly string[];
  readonly text: string;
}

export interface DocExample {
  readonly file: string;
  /** 1-based line of the example in its file. */
  readonly line: number;
  /** The example as written (continuation lines joined). */
  readonly source: string;
  /** Arguments after `npx scaleplan`. */
  readonly args: readonly string[];
  /** File that `> FILE` sends stdout to, if any. */
  readonly stdoutFile?: string;
  readonly expectedExit: number;
  readonly output?: OutputBlock;
}

const FENCE = /^```(.*)$/;
const EXAMPLE = /^(?:npm ci && )?npx scaleplan(?:\s|$)/;

/** Splits a command line the way a POSIX shell would for the subset the docs use; anything else throws. */
export function shellWords(line: string): { words: string[]; comment: string } {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unterminated ' in: ${line}`);
      current += line.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') {
        if (line[j] === "\\" || line[j] === "$" || line[j] === "`") throw new Error(`unsupported shell syntax in "…": ${line}`);
        current += line[j];
        j++;
      }
      if (j >= line.length) throw new Error(`unterminated " in: ${line}`);
      inWord = true;
      i = j + 1;
    } else if (c === " " || c === "\t") {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
      i++;
    } else if (c === "#" && !inWord) {
      if (inWord) words.push(current);
      return { words, comment: line.slice(i + 1).trim() };
    } else if ("|;&$`<(){}*?[]\\!".includes(c)) {
      throw new Error(`unsupported shell syntax "${c}" in a docs example (keep examples to one plain command): ${line}`);
    } else {
      current += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(current);
  return { words, comment: "" };
}

function parseOutputInfo(info: string): { head?: number; tail?: number; volatile: string[] } | undefined {
  const parts = info.trim().split(/\s+/);
  if (parts[0] !== "text" || parts[1] !== "output") return undefined;
  const options: { head?: number; tail?: number; volatile: string[] } = { volatile: [] };
  for (const part of parts.slice(2)) {
    const [key, value = ""] = part.split("=");
    if (key === "head" || key === "tail") options[key] = Number.parseInt(value, 10);
    else if (key === "volatile") options.volatile = value.split(",");
    else throw new Error(`unknown output-block option "${part}"`);
  }
  return options;
}

function toExample(file: string, line: number, source: string): Omit<DocExample, "output"> {
  const { words, comment } = shellWords(source.replace(/^npm ci && /, ""));
  let stdoutFile: string | undefined;
  const redirect = words.indexOf(">");
  if (redirect >= 0) {
    if (redirect !== words.length - 2) throw new Error(`${file}:${line}: "> FILE" must end the example`);
    stdoutFile = words[redirect + 1];
    words.splice(redirect, 2);
  }
  const exit = /\bexit (\d+)\b/.exec(comment);
  return {
    file,
    line,
    source,
    args: words.slice(2),
    ...(stdoutFile === undefined ? {} : { stdoutFile }),
    expectedExit: exit ? Number(exit[1]) : 0,
  };
}

/** Every example of one markdown file, in order, with the output block that follows it where there is one. */
export function extractExamples(file: string, markdown: string): DocExample[] {
  const lines = markdown.split("\n");
  const examples: DocExample[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = FENCE.exec(lines[i]!);
    if (!open) {
      i++;
      continue;
    }
    const info = open[1]!.trim();
    let close = i + 1;
    while (close < lines.length && !/^```\s*$/.test(lines[close]!)) close++;
    if (info === "sh") {
      const inBlock: Array<Omit<DocExample, "output">> = [];
      for (let k = i + 1; k < close; k++) {
        let source = lines[k]!;
        const first = k;
        while (source.endsWith("\\") && k + 1 < close) source = `${source.slice(0, -1).trimEnd()} ${lines[++k]!.trim()}`;
        if (EXAMPLE.test(source.trim())) inBlock.push(toExample(file, first + 1, source.trim()));
      }
      let next = close + 1;
      while (next < lines.length && lines[next]!.trim() === "") next++;
      const outInfo = next < lines.length ? FENCE.exec(lines[next]!) : null;
      const options = outInfo ? parseOutputInfo(outInfo[1]!) : undefined;
      let output: OutputBlock | undefined;
      let after = close + 1;
      if (options) {
        let end = next + 1;
        while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
        output = { start: next + 1, end, ...options, text: lines.slice(next + 1, end).join("\n") };
        after = end + 1;
        if (inBlock.length === 0) throw new Error(`${file}:${next + 1}: an output block must follow a sh block with an npx scaleplan example`);
      }
      inBlock.forEach((example, k) => examples.push(k === inBlock.length - 1 && output ? { ...example, output } : example));
      i = after;
      continue;
    }
    if (parseOutputInfo(info)) throw new Error(`${file}:${i + 1}: an output block must directly follow a sh block`);
    i = close + 1;
  }
  return examples;
}

/** The text an output block shows for a run: trimmed lines, head/tail applied. */
export function renderOutput(text: string, block: Pick<OutputBlock, "head" | "tail">): string {
  const lines = text.replace(/\n$/, "").split("\n").map((l) => l.trimEnd());
  const head = block.head ?? 0;
  const tail = block.tail ?? 0;
  if ((block.head === undefined && block.tail === undefined) || lines.length <= head + tail + 1) return lines.join("\n");
  return [...lines.slice(0, head), "…", ...(tail > 0 ? lines.slice(-tail) : [])].join("\n");
}

/** Lines starting with a volatile word lose their digits, so timings do not fail the comparison. */
export function maskVolatile(text: string, volatile: readonly string[]): string {
  if (volatile.length === 0) return text;
  return text
    .split("\n")
    .map((line) => (volatile.includes(line.trim().split(/\s+/)[0] ?? "") ? line.replace(/[0-9.]+/g, "#").replace(/\s+/g, " ") : line))
    .join("\n");
}

/** The markdown with every output block replaced by the given rendered outputs (keyed by block start line). */
export function rewriteOutputs(markdown: string, rendered: ReadonlyMap<number, string>): string {
  const lines = markdown.split("\n");
  const blocks = [...rendered.entries()].sort((a, b) => b[0] - a[0]);
  for (const [start, text] of blocks) {
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    lines.splice(start, end - start, ...text.split("\n"));
  }
  return lines.join("\n");
}

/** A fenced block that shows a shipped file (```yaml file=examples/my-cluster.yaml): it must equal the file. */
export interface FileBlock {
  readonly start: number;
  readonly path: string;
  readonly text: string;
}

export function extractFileBlocks(markdown: string): FileBlock[] {
  const lines = markdown.split("\n");
  const blocks: FileBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open || open[1]!.trim() === "") continue;
    let close = i + 1;
    while (close < lines.length && !/^```\s*$/.test(lines[close]!)) close++;
    const file = /(?:^|\s)file=(\S+)/.exec(open[1]!);
    if (file) blocks.push({ start: i + 1, path: file[1]!, text: lines.slice(i + 1, close).join("\n") });
    i = close;
  }
  return blocks;
}
