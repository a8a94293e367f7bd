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

/**
 * Features playwright-core 1.65.1 disables itself (its chromiumSwitches list): chromium reads only the last
 * `--disable-features` switch, so ours repeats them.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades", "HttpsFirstBalancedModeAutoEnable", "LensOverlay",
  "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin",
  "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch",
];
/**
 * Chromium 156 gives every new window (each fresh browser context here) its omnibox popup as a WebUI page
 * (chrome://omnibox-popup.top-chrome) in a renderer of its own, which loads while the test's page loads: its threads
 * ran ~0.85 s of tasks in the first 0.6 s of a page on 2 cores (a chromium trace, docs/web-app.md "Measured"). A
 * user's page loads in a window whose browser UI has long been up, so the benchmarks and tests run without it.
 */
const BROWSER_UI_FEATURES = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup"];

// Flags for a quiet, offline, sandbox-less headless run (the machine has no GPU and no network beyond loopback).
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface LaunchOptions {
  /** Keep the omnibox popup's WebUI renderer of every new window (the page benchmarks' condition before issue 13's end). */
  readonly browserUi?: boolean;
}

/** Debian's chromium, headless, with a fresh throw-away profile and the flags above (tests and page benchmarks). */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const disabled = [...PLAYWRIGHT_DISABLED_FEATURES, ...(options.browserUi ? [] : BROWSER_UI_FEATURES)];
  // launch() (unlike launchPersistentContext) gives every run a fresh, throw-away user-data-dir.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, `--disable-features=${disabled.join(",")}`] });
}

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
export async function startSite(options: LaunchOptions = {}): Promise<Site> {
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
    const browser = await launchChromium(options);
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
