/**
 * The production shape for fault tests: real web processes (server.ts on the built app) and real workers
 * (worker.ts) against one database, started, SIGKILLed and restarted at will, and a sender that behaves like
 * Shopify (signed deliveries, a 5xx or a dropped connection delivered again, to any web process).
 */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { ensureAppBuilt } from "../../../scripts/lib/build";
import { spawnAppProcess, stopProcess, waitForHttp, type AppProcessEnv } from "../../../scripts/lib/processes";
import { postDelivery } from "../../../scripts/lib/replay";
import type { Delivery } from "../../../scripts/fake-shopify/webhook-samples";

export const FAULT_SECRET = "fault-test-secret";

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** The built app for the processes these tests start (scripts/lib/build.ts serialises parallel builds). */
export async function buildAppOnce(): Promise<void> {
  ensureAppBuilt();
}

export interface AppProcess {
  readonly kind: "web" | "worker";
  readonly id: number;
  /** The web process's origin; empty for a worker. */
  readonly base: string;
  child: ChildProcess;
  /** The last lines the process wrote (its warnings and errors), for failure messages. */
  output(): string;
}

export interface UnexpectedExit {
  kind: "web" | "worker";
  code: number | null;
  signal: string | null;
  output: string;
}

/**
 * Web and worker processes sharing one configuration. Short job leases, so a killed worker's jobs come back
 * within seconds. Like a production supervisor (a container restart policy), the cluster starts again any
 * process that exits without being told to, and records that it did.
 */
export class AppCluster {
  readonly processes: AppProcess[] = [];
  readonly unexpectedExits: UnexpectedExit[] = [];
  private readonly killing = new Set<ChildProcess>();
  private stopping = false;

  constructor(private readonly env: AppProcessEnv) {}

  static forDatabase(databaseUrl: string, extra: Record<string, string> = {}): AppCluster {
    return new AppCluster({
      DATABASE_URL: databaseUrl,
      DEMO_MODE: "1",
      SHOPIFY_API_SECRET: FAULT_SECRET,
      JOB_EXPIRE_SECONDS: "3",
      JOB_MAINTENANCE_SECONDS: "1",
      DATABASE_POOL_SIZE: "12",
      WORKER_CONCURRENCY: "4",
      LOG_LEVEL: "warn",
      ...extra,
    });
  }

  get webs(): AppProcess[] {
    return this.processes.filter((p) => p.kind === "web");
  }

  get workers(): AppProcess[] {
    return this.processes.filter((p) => p.kind === "worker");
  }

  async startWeb(): Promise<AppProcess> {
    await buildAppOnce();
    const web = this.track("web", `http://127.0.0.1:${await freePort()}`);
    await this.waitUntilServing(web);
    return web;
  }

  startWorker(): AppProcess {
    return this.track("worker", "");
  }

  /** SIGKILL: no shutdown hook runs, in-flight requests and transactions are cut off. */
  async kill(app: AppProcess): Promise<void> {
    this.killing.add(app.child);
    await stopProcess(app.child, "SIGKILL");
  }

  /** Starts a killed process again in place (same port for a web process). */
  async restart(app: AppProcess): Promise<void> {
    this.spawn(app);
    if (app.kind === "web") await this.waitUntilServing(app);
  }

  isRunning(app: AppProcess): boolean {
    return app.child.exitCode === null && app.child.signalCode === null;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.processes.map((p) => stopProcess(p.child, "SIGKILL")));
  }

  private track(kind: "web" | "worker", base: string): AppProcess {
    const app = { kind, base, id: this.processes.length, output: () => "" } as AppProcess;
    this.processes.push(app);
    this.spawn(app);
    return app;
  }

  private spawn(app: AppProcess): void {
    const child = spawnAppProcess(app.kind, { ...this.env, ...(app.base ? { PORT: new URL(app.base).port } : {}) }, { capture: true });
    app.child = child;
    let tail = "";
    // Read them, or a chatty process would block on a full pipe.
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString("utf8")).slice(-4_000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    app.output = () => tail;
    child.once("exit", (code, signal) => {
      if (this.stopping || this.killing.delete(child)) return;
      this.unexpectedExits.push({ kind: app.kind, code, signal, output: tail });
      setTimeout(() => {
        if (!this.stopping && app.child === child) this.spawn(app);
      }, 200);
    });
  }

  private async waitUntilServing(web: AppProcess): Promise<void> {
    try {
      await waitForHttp(`${web.base}/healthz`, 90_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${web.output()}`);
    }
  }
}

export interface SendOutcome {
  /** Status of the last answer (0: no answer, the connection failed). */
  status: number;
  /** Answers received, in order (0 for a failed connection). */
  answers: number[];
  latenciesMs: number[];
}

/**
 * Sends every delivery to the web processes (each attempt to the next one in turn), as Shopify would: an answer
 * of 5xx or no answer is delivered again after a pause, up to `maxAttempts`; a 2xx or 4xx is final.
 */
export async function deliverAll(
  deliveries: Delivery[],
  webs: () => string[],
  options: { concurrency?: number; maxAttempts?: number; retryPauseMs?: number; ratePerSecond?: number; onAnswer?: () => void } = {},
): Promise<SendOutcome[]> {
  const outcomes: SendOutcome[] = deliveries.map(() => ({ status: 0, answers: [], latenciesMs: [] }));
  let next = 0;
  let turn = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < deliveries.length) {
      const index = next++;
      if (options.ratePerSecond) {
        const due = started + (index * 1000) / options.ratePerSecond;
        if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
      }
      const outcome = outcomes[index];
      for (let attempt = 1; attempt <= (options.maxAttempts ?? 40); attempt += 1) {
        const bases = webs();
        const base = bases[turn++ % bases.length];
        const sentAt = performance.now();
        const answer = await postDelivery(base, deliveries[index]).catch(() => ({ status: 0, text: "" }));
        outcome.latenciesMs.push(performance.now() - sentAt);
        outcome.answers.push(answer.status);
        outcome.status = answer.status;
        options.onAnswer?.();
        if (answer.status !== 0 && answer.status < 500) break;
        await new Promise((r) => setTimeout(r, options.retryPauseMs ?? 100));
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, lane));
  return outcomes;
}

/** Polls `check` until it returns true; on timeout throws with what `describe` reports. */
export async function until(check: () => Promise<boolean>, describe: () => Promise<string>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs / 1000} s: ${await describe()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface RestartablePostgres {
  adminUrl: string;
  /** Immediate shutdown, as in a crash: connections drop, uncommitted work is lost, committed work survives. */
  crash(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A PostgreSQL of the test's own that it can crash and restart (postgres-restartable.ts). */
export async function startRestartablePostgres(name: string): Promise<RestartablePostgres> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", resolve("tests/faults/support/postgres-restartable.ts"), name, String(port)], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on("line", (line) => waiting.shift()?.(line));
  const nextLine = () => new Promise<string>((r) => waiting.push(r));
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`restartable PostgreSQL exited (${code})`))));
  exited.catch(() => undefined);
  const first = await Promise.race([nextLine(), exited]);
  const command = async (line: string, expect: string) => {
    const answer = nextLine();
    child.stdin!.write(`${line}\n`);
    const reply = await Promise.race([answer, exited]);
    if (!reply.startsWith(expect)) throw new Error(`restartable PostgreSQL answered ${reply} to ${line}`);
  };
  return {
    adminUrl: first.slice("up ".length),
    crash: () => command("crash", "down"),
    start: () => command("start", "up"),
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once("exit", () => resolveStop());
        child.stdin!.end();
      }),
  };
}
