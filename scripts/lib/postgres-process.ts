/** Starts scripts/postgres-daemon.ts and waits for its server, for runners that must keep their own exit code. */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

export interface PostgresProcess {
  adminUrl: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export async function startPostgresProcess(name: string): Promise<PostgresProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", resolve("scripts/postgres-daemon.ts"), name, String(port)], { stdio: ["pipe", "pipe", "inherit"] });
  const adminUrl = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (line.startsWith("ready ")) resolveUrl(line.slice("ready ".length));
    });
    child.once("exit", (code) => reject(new Error(`embedded PostgreSQL exited with code ${code} before it was ready`)));
  });
  return {
    adminUrl,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once("exit", () => resolveStop());
        child.kill("SIGTERM");
      }),
  };
}
