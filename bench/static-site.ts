// Shared by the page benches (web.bench.ts, answer-to-pixels.bench.ts): a built site served as plain static files,
// and the views with the tasks whose first result each shows.
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, resolve } from "node:path";
import { OPENING_TASKS } from "../web/src/opening-tasks.ts";

/** Each view and the tasks whose first result it shows (the tasks it opens with: web/src/opening-tasks.ts). */
export const VIEWS: ReadonlyArray<readonly [string, readonly string[]]> = Object.entries(OPENING_TASKS);

/**
 * Serves a built site directory on a free 127.0.0.1 port. Every build of an A/B comparison is served this way, so
 * none is slowed by a different server (vite preview answered 30-85 ms later under load).
 */
export async function serveStatic(dir: string): Promise<{ url: string; close: () => void }> {
  const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json" };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = resolve(dir, `.${path.endsWith("/") ? `${path}index.html` : path}`);
    if (!file.startsWith(resolve(dir)) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}
