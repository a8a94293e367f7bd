// End-to-end harness: builds the static site, serves it with `vite preview` on 127.0.0.1 (a free port), and drives
// Debian's chromium with playwright-core. No browser is ever downloaded.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { chromium, type Browser } from "playwright-core";

export const REPO = resolve(import.meta.dirname, "../..");
export const ARTIFACTS = join(REPO, "test-artifacts");
const VITE = join(REPO, "node_modules/vite/bin/vite.js");
const CONFIG = join(REPO, "web/vite.config.ts");
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

// Flags for a quiet, offline, sandbox-less headless run (the machine has no GPU and no network beyond loopback).
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface Site {
  readonly url: string;
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Builds web-dist/ with the production config (NODE_ENV=production, not the test runner's). */
export function buildSite(): void {
  const result = spawnSync(process.execPath, [VITE, "build", "--config", CONFIG, "--logLevel", "warn"], {
    cwd: REPO,
    env: { ...process.env, NODE_ENV: "production" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vite preview did not answer at ${url} within ${timeoutMs} ms`);
}

/** Builds the site, serves it, and starts chromium with a fresh profile. `close()` stops both. */
export async function startSite(): Promise<Site> {
  buildSite();
  mkdirSync(ARTIFACTS, { recursive: true });
  const port = await freePort();
  const preview = spawn(process.execPath, [VITE, "preview", "--config", CONFIG, "--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
    cwd: REPO,
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(url, preview, 30_000);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // launch() (unlike launchPersistentContext) gives every run a fresh, throw-away user-data-dir.
      args: CHROMIUM_ARGS,
    });
    return {
      url,
      browser,
      async close() {
        await browser.close();
        preview.kill("SIGTERM");
      },
    };
  } catch (error) {
    preview.kill("SIGTERM");
    throw error;
  }
}
