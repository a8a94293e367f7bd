// Builds the command line as one bundle, dist/cli/scaleplan.js (package.json "bin"), with esbuild. Each command,
// and the plotting stack (Observable Plot, linkedom), is a chunk loaded on first use (dynamic imports in
// src/cli/commands/index.ts and src/node/plot-file.ts), so `scaleplan --version` parses only commander and the
// program shell: docs/benchmarks.md, "Command-line start-up".
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/cli`;

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { scaleplan: "src/cli/main.ts" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Chunks sit beside the entry: src/node/run-config-file.ts finds the shipped real runs two folders up from its
  // own file, which holds for src/node, dist/node and dist/cli alike.
  outdir,
  chunkNames: "[name]-[hash]",
  // resvg is a native addon (a .node file per platform): it stays a dependency, loaded from node_modules.
  external: ["@resvg/resvg-js"],
  minify: true,
  legalComments: "linked",
  // Bundled CommonJS code (linkedom's dependencies) calls require(); ESM has none, so give it Node's.
  banner: { js: 'import { createRequire as __scaleplanRequire } from "node:module"; const require = __scaleplanRequire(import.meta.url);' },
  logLevel: "warning",
});
