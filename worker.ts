/** The worker process (`npm run worker`): processes webhook inbox rows and scheduled jobs. Run one or more. */
import { env } from "~/config/env.server";
import { logger } from "~/config/logger.server";
import { getDatabase } from "~/data/database.server";
import { topicBatchHandlers, topicHandlers } from "~/jobs/registry.server";
import { startWorker } from "~/jobs/worker.server";
import { getQueue } from "~/runtime.server";
import { startImportWorker } from "~/services/admin/imports.server";
import { startCancelSaveJobs } from "~/services/cancel-save/jobs.server";
import { startChurnJobs } from "~/services/churn/jobs.server";
import { offlineAdminClient } from "~/services/churn/offline-admin.server";
import { startLoyaltyJobs } from "~/services/loyalty/jobs.server";

const config = env();

/** A worker started before its database (or during a restart) waits for it instead of exiting. */
async function queueWhenDatabaseIsUp() {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await getQueue();
    } catch (error) {
      logger.warn({ attempt, error: error instanceof Error ? error.message : String(error) }, "database not reachable; retrying");
      await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * attempt)));
    }
  }
}

// pg-boss 10 completes and fails a fetched batch without awaiting it (manager.js, onFetch). With the database
// gone that promise rejects unobserved, which would end the process. Nothing is lost by letting it pass: the
// job stays active, expires and runs again, and an inbox row already marked processed is skipped. Any other
// unobserved rejection is a bug and still ends the process.
const CONNECTION_LOST = /ECONNREFUSED|ECONNRESET|EPIPE|Connection terminated|terminating connection|the database system is (starting up|shutting down|in recovery)/;
process.on("unhandledRejection", (reason) => {
  const message = reason instanceof Error ? reason.message : String(reason);
  if (CONNECTION_LOST.test(message)) {
    logger.warn({ error: message }, "job completion lost with the database connection; the job will run again");
    return;
  }
  logger.fatal({ error: message, stack: reason instanceof Error ? reason.stack : undefined }, "unhandled rejection");
  process.exit(1);
});

const queue = await queueWhenDatabaseIsUp();
await startWorker(getDatabase(), queue, topicHandlers, { concurrency: config.WORKER_CONCURRENCY, maxAttempts: config.WEBHOOK_MAX_ATTEMPTS, batchHandlers: topicBatchHandlers });
await startImportWorker(getDatabase(), queue);
await startChurnJobs({ database: getDatabase(), boss: queue, adminFor: offlineAdminClient, secret: config.SHOPIFY_API_SECRET });
await startCancelSaveJobs({ database: getDatabase(), boss: queue, adminFor: offlineAdminClient });
await startLoyaltyJobs({ database: getDatabase(), boss: queue, adminFor: offlineAdminClient });
logger.info({ concurrency: config.WORKER_CONCURRENCY }, "worker started");

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, async () => {
    await queue.stop({ graceful: true, timeout: 10_000 }).catch(() => undefined);
    process.exit(0);
  });
}
