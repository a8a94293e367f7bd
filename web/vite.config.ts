import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// The static site: root web/, relative asset paths (served from any sub-path or a file share), output web-dist/.
const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "./",
  plugins: [preact()],
  worker: { format: "es" },
  build: {
    outDir: fileURLToPath(new URL("../web-dist", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
  },
  preview: { host: "127.0.0.1", strictPort: false },
  server: { host: "127.0.0.1" },
});
