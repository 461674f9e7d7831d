/**
 * An embedded PostgreSQL that a fault test can crash and bring back, in a process of its own:
 *   node --import tsx tests/faults/support/postgres-restartable.ts <data-dir-name-under-.data> <port>
 * Prints "up <admin url>" when it accepts connections. Reads commands on stdin:
 *   crash  immediate shutdown (SIGQUIT to the postmaster: no checkpoint, WAL replay on the next start), then "down"
 *   start  starts it again on the same port and data, then "up <admin url>"
 * When stdin closes (its parent is gone or done) the server is stopped and its data deleted.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { startPostgres } from "../../../scripts/lib/postgres";

const [name, port] = process.argv.slice(2);
const dataDir = resolve(".data", name);

function postmasterPid(): number | null {
  const file = resolve(dataDir, "postmaster.pid");
  return existsSync(file) ? Number(readFileSync(file, "utf8").split("\n")[0]) : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function crash(): Promise<void> {
  const pid = postmasterPid();
  if (pid === null || !alive(pid)) return;
  process.kill(pid, "SIGQUIT");
  while (alive(pid)) await new Promise((r) => setTimeout(r, 20));
}

async function start(): Promise<void> {
  const server = await startPostgres({ name, port: Number(port), quiet: true });
  process.stdout.write(`up ${server.adminUrl}\n`);
}

// Commands run one after another, in the order they arrive.
let queue = start();
createInterface({ input: process.stdin })
  .on("line", (command) => {
    queue = queue.then(async () => {
      if (command === "crash") {
        await crash();
        process.stdout.write("down\n");
      } else if (command === "start") await start();
    });
  })
  .on("close", () => {
    void queue.then(async () => {
      await crash();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
