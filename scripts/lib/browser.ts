/**
 * Headless Chromium for the browser tests and scripts/screenshots.ts: playwright-core driving the Chromium that
 * the npm package @sparticuz/chromium ships (no browser download, no apt), falling back to Debian's /usr/bin/chromium.
 */
import { existsSync } from "node:fs";
import Chromium from "@sparticuz/chromium";
import { chromium, type Browser } from "playwright-core";

/** `authenticate.admin` answers bot user agents (HeadlessChrome among them) with 410: send this one instead. */
export const DESKTOP_CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36";

// The machine has no network: without these, Chromium keeps trying to reach Google's services.
const OFFLINE_ARGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];
// @sparticuz/chromium's defaults suit AWS Lambda; a test wants a browser that enforces what a shopper's enforces,
// and several pages at once.
const LAMBDA_ONLY_ARGS = new Set(["--disable-web-security", "--allow-running-insecure-content", "--single-process", "--no-zygote"]);
const DEBIAN_CHROMIUM = "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  const args = [...Chromium.args.filter((arg) => !LAMBDA_ONLY_ARGS.has(arg)), ...OFFLINE_ARGS];
  let lastError: unknown;
  // Test files run in parallel processes and the first one unpacks the binary to /tmp: another process can see
  // the file before it is complete and fail to start it, so a failed start is tried again.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      return await chromium.launch({ executablePath: await Chromium.executablePath(), args, headless: true });
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  if (existsSync(DEBIAN_CHROMIUM)) {
    return chromium.launch({ executablePath: DEBIAN_CHROMIUM, args: ["--no-sandbox", ...OFFLINE_ARGS], headless: true });
  }
  throw lastError;
}
