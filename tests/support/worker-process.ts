/**
 * A real worker process for crash tests: the production worker loop with one test handler for orders/paid
 * that writes inside the row's transaction and then, when HANG=1, never finishes (so the test can SIGKILL it
 * mid-row).
 */
import { openDatabase } from "~/data/db.server";
import { startQueue } from "~/jobs/queue.server";
import { startWorker } from "~/jobs/worker.server";

const database = openDatabase(process.env.DATABASE_URL!);
const queue = await startQueue(database.pool, { maxAttempts: 5, expireSeconds: 2, maintenanceSeconds: 1 });
await startWorker(
  database,
  queue,
  {
    "orders/paid": async ({ tx, shopId }) => {
      await tx.query(`update "Shop" set "currencyCode" = 'EUR' where id = $1`, [shopId]);
      if (process.env.HANG === "1") {
        process.stdout.write("mid-row\n");
        await new Promise(() => undefined);
      }
    },
  },
  { concurrency: 2, maxAttempts: 5 },
);
process.stdout.write("worker ready\n");
