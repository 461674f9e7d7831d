/** Starting the app's web and worker processes the way production runs them, for the demo, tests and benchmarks. */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

export interface AppProcessEnv {
  DATABASE_URL: string;
  PORT?: string;
  [key: string]: string | undefined;
}

/** `quiet`: only stderr, piped; `capture`: its log lines (stdout) piped too. The caller must read what is piped. */
export function spawnAppProcess(kind: "web" | "worker", env: AppProcessEnv, options: { quiet?: boolean; capture?: boolean } = {}): ChildProcess {
  const entry = kind === "web" ? "server.ts" : "worker.ts";
  // node itself with tsx as a loader, not the tsx CLI (which runs the entry in a grandchild that a SIGKILL
  // of the child would miss).
  // APP_CPU_PROFILE_DIR=dir writes a V8 CPU profile of each app process there on exit (for benchmark work).
  const profile = process.env.APP_CPU_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.APP_CPU_PROFILE_DIR}`] : [];
  return spawn(process.execPath, [...profile, "--import", "tsx", resolve(entry)], {
    env: { ...process.env, NODE_ENV: process.env.NODE_ENV === "production" ? "production" : "development", LOG_LEVEL: "warn", ...env },
    stdio: options.capture ? ["ignore", "pipe", "pipe"] : options.quiet ? ["ignore", "ignore", "pipe"] : ["ignore", "inherit", "inherit"],
  });
}

export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.once("exit", () => resolveStop());
    child.kill(signal);
  });
}
