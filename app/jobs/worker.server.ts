/**
 * Takes inbox rows off the queue and runs their topic's handler, each row in its own transaction.
 * A failure is recorded on the row and retried with back-off; after the last attempt the row stays `failed`,
 * visible and replayable. A crash mid-row rolls back, and the job is retried once its lease expires.
 */
import type PgBoss from "pg-boss";
import { inTransaction, type Database } from "~/data/db.server";
import { lockInboxRow, markProcessed, recordFailure } from "~/data/inbox.server";
import { logger } from "~/config/logger.server";
import { isWebhookTopic, webhookPayloads } from "~/shopify/webhooks/payloads";
import type { HandlerRegistry } from "./handlers.server";
import { INBOX_QUEUE, type Queue } from "./queue.server";

export interface WorkerOptions {
  concurrency: number;
  maxAttempts: number;
  clock?: () => Date;
}

export async function processInboxRow(database: Database, handlers: HandlerRegistry, inboxId: string, now: Date): Promise<"processed" | "skipped"> {
  return inTransaction(database.pool, async (tx) => {
    const row = await lockInboxRow(tx, inboxId);
    if (!row) return "skipped";
    if (!isWebhookTopic(row.topic)) throw new Error(`no handler for topic ${row.topic}`);
    const handler = handlers[row.topic];
    if (handler) {
      const payload = webhookPayloads[row.topic].parse(row.payload);
      await handler({ tx, shopId: row.shopId, shopDomain: row.shopDomain, topic: row.topic, payload, triggeredAt: row.triggeredAt, receivedAt: row.receivedAt, now });
    }
    await markProcessed(tx, inboxId);
    return "processed";
  });
}

async function runLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

export async function startWorker(database: Database, boss: Queue, handlers: HandlerRegistry, options: WorkerOptions): Promise<string> {
  const clock = options.clock ?? (() => new Date());
  const batchSize = options.concurrency * 8;
  const workerId: string = await boss.work<{ inboxId: string }>(INBOX_QUEUE, { batchSize, pollingIntervalSeconds: 0.5 }, async (jobs: PgBoss.Job<{ inboxId: string }>[]) => {
    const failed: string[] = [];
    await runLimited(jobs, options.concurrency, async (job) => {
      try {
        await processInboxRow(database, handlers, job.data.inboxId, clock());
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const outcome = await recordFailure(database.pool, job.data.inboxId, message, options.maxAttempts).catch(() => "retry");
        logger.warn({ inboxId: job.data.inboxId, outcome, error: message }, "webhook processing failed");
        failed.push(job.id);
      }
    });
    if (failed.length) await boss.fail(INBOX_QUEUE, failed);
    // A full batch means more are waiting: skip pg-boss's polling pause.
    if (jobs.length === batchSize) boss.notifyWorker(workerId);
  });
  return workerId;
}
