// `npm run bench`: runs every bench/*.bench.ts in name order (or those whose names contain an argument).
// Each exports `default async function (log: (line: string) => void)`; figures go in the README.
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
console.log(`node ${process.version}, ${files.length} benchmark file(s)`);
for (const file of files) {
  console.log(`\n## ${file}`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: (log: (line: string) => void) => Promise<void> | void };
  await mod.default((line) => console.log(line));
}
