/** Builds the Remix app when its build is missing or older than its sources. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the app if needed, one process at a time: the demo, benchmarks and parallel test files may all ask at
 * once, and two vite builds writing one build/ directory break each other. The lock is a directory (mkdir
 * either creates it or fails); one older than 5 minutes was left by a killed process.
 */
export function ensureAppBuilt(log: (line: string) => void = () => undefined): void {
  const lock = resolve(".cache/app-build.lock");
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    buildIfStale(log);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function buildIfStale(log: (line: string) => void): void {
  const output = resolve("build/server/index.js");
  const sources = Math.max(newestMtime(resolve("app")), newestMtime(resolve("public")), statSync(resolve("vite.config.ts")).mtimeMs);
  if (existsSync(output) && statSync(output).mtimeMs >= sources) return;
  log("building the admin app (vite)…");
  // Vite's chatter (chunk notes, third-party comment warnings) is shown only when the build fails.
  try {
    execFileSync(resolve("node_modules/.bin/remix"), ["vite:build"], { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    process.stderr.write(`${stdout?.toString() ?? ""}${stderr?.toString() ?? ""}`);
    throw new Error("the admin app's build failed (vite's output above)");
  }
}
