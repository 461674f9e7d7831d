/** Builds the Remix app when its build is missing or older than its sources. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function ensureAppBuilt(log: (line: string) => void = () => undefined): void {
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
