import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig, type HtmlTagDescriptor, type Plugin } from "vite";
import { openingScript } from "./src/opening-script.ts";

/**
 * main.tsx imports the app (boot.tsx) dynamically, after it has started the workers; without a hint the browser
 * fetches the app's chunk only once main's chunk has run. A modulepreload link lets it fetch both at once.
 */
function preloadApp(): Plugin {
  return {
    name: "scaleplan-preload-app",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx): HtmlTagDescriptor[] {
        const chunks = Object.values(ctx.bundle ?? {});
        const app = chunks.find((c) => c.type === "chunk" && c.facadeModuleId?.endsWith("/web/src/boot.tsx"));
        if (app === undefined || app.type !== "chunk") return [];
        const entry = chunks.find((c) => c.type === "chunk" && c.isEntry)?.fileName;
        return [app.fileName, ...app.imports.filter((f) => f !== entry)].map((f) => ({ tag: "link", attrs: { rel: "modulepreload", crossorigin: true, href: `./${f}` }, injectTo: "head" }));
      },
    },
  };
}

/** A built opening worker (web/src/worker/opening/<task>.worker.ts → assets/<task>.worker-<hash>.js). */
const OPENING_WORKER_FILE = /^assets\/([a-z]+)\.worker-[\w-]+\.js$/;

/**
 * Writes the page's first script (web/src/opening-script.ts) into the HTML's head, with the opening workers' built
 * file names: it starts the opening view's workers before main.tsx has run (the entry's module script is deferred).
 * It follows the entry's tags; placed before them it measured no gain (docs/web-app.md).
 */
function startOpeningWorkers(): Plugin {
  return {
    name: "scaleplan-start-opening-workers",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx): HtmlTagDescriptor[] {
        const urls: Record<string, string> = {};
        for (const file of Object.keys(ctx.bundle ?? {})) {
          const task = OPENING_WORKER_FILE.exec(file)?.[1];
          if (task !== undefined) urls[task] = `./${file}`;
        }
        if (Object.keys(urls).length === 0) throw new Error("scaleplan-start-opening-workers: no opening worker in the bundle");
        return [{ tag: "script", children: openingScript(urls), injectTo: "head" }];
      },
    },
  };
}

// The static site: root web/, relative asset paths (served from any sub-path or a file share), output web-dist/.
const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "./",
  plugins: [preact(), preloadApp(), startOpeningWorkers()],
  worker: { format: "es" },
  build: {
    outDir: fileURLToPath(new URL("../web-dist", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
  },
  preview: { host: "127.0.0.1", strictPort: false },
  server: { host: "127.0.0.1" },
});
