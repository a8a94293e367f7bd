// Strict JSON (RFC 8259) for files read as JSON: JSON Lines run files, safetensors headers, law and fit files.
// Why not JSON.parse alone: it keeps the LAST of duplicate keys without a word (RFC 8259 §4 leaves duplicates
// undefined; we reject them as the YAML reader does), and its errors name a character offset, not line:column.
// Syntax is checked by JSON.parse first (fast, exact); the duplicate-key scan then walks the text once.
// `__proto__` is an own property, as with JSON.parse. Nesting deeper than MAX_JSON_DEPTH is rejected.
import { InputError } from "../errors.ts";

export const MAX_JSON_DEPTH = 512;

/** Parses JSON text; errors are InputErrors naming `source:line:col`. */
export function parseJsonText(text: string, sourceName: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    const where = at ? `${sourceName}:${lineCol(text, Number(at[1]))}` : sourceName;
    throw new InputError(where, "", "valid JSON", `${where}: not valid JSON: ${message.split("\n")[0]!.replace(/ in JSON at position \d+.*$/, "")}`);
  }
  checkStructure(text, sourceName);
  return value;
}

function lineCol(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return `${line}:${offset - last}`;
}

/**
 * One pass over syntactically valid JSON: each object's keys must be distinct, nesting at most MAX_JSON_DEPTH.
 * Keys are compared after unescaping ("a" and "\u0061" are the same key).
 */
function checkStructure(text: string, sourceName: string): void {
  // Per open container: the keys seen so far (objects) or null (arrays), and whether the next string is a key.
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      let j = i + 1;
      let escaped = false;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) {
          escaped = true;
          j += 2;
          continue;
        }
        if (d === 0x22) break;
        j++;
      }
      if (expectKey) {
        const raw = text.slice(start, j + 1);
        const key = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        const keys = stack[stack.length - 1]!;
        if (keys.has(key)) {
          const where = `${sourceName}:${lineCol(text, start)}`;
          throw new InputError(key, key, "each key once per object", `${where}: ${JSON.stringify(key)}: duplicate key is not allowed; expected each key once per object`);
        }
        keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push(c === 0x7b ? new Set() : null);
      if (stack.length > MAX_JSON_DEPTH) {
        throw new InputError(sourceName, `nesting ${stack.length}`, `at most ${MAX_JSON_DEPTH} levels of nesting`, `${sourceName}:${lineCol(text, i)}: nesting deeper than ${MAX_JSON_DEPTH} levels is not allowed`);
      }
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
}

/**
 * The text of the number that is `key`'s value in the top-level object of the valid JSON `text` (a JSON Lines row),
 * or undefined: for error lines that quote a number as typed (1e400, which JSON.parse reads as Infinity). A scan
 * of the text rather than the YAML reader, which the Scaling view's worker does not load.
 */
export function topLevelNumberText(text: string, key: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const isKey = depth === 1 && /^\s*:/.test(text.slice(j + 1, j + 64));
      if (isKey && (JSON.parse(text.slice(i, j + 1)) as string) === key) return /^\s*:\s*(-?[\d.eE+-]+)/.exec(text.slice(j + 1, j + 400))?.[1];
      i = j;
    }
  }
  return undefined;
}
