/**
 * Takes inbox rows off the queue and runs their topic's handler. Rows of a topic with a batch handler (the hot
 * topic, orders/paid) are first offered to it, many in one transaction processed set-based; every other row, and
 * whatever a batch handler leaves, is processed in a transaction of its own. A failure is recorded on the row and
 * retried with back-off; after the last attempt the row stays `failed`, visible and replayable. A crash mid-way
 * rolls back, and the jobs are retried once their lease expires.
 */
import type PgBoss from "pg-boss";
import { inTransaction, type Database } from "~/data/db.server";
import { lockInboxRow, lockInboxRows, markProcessed, recordFailure } from "~/data/inbox.server";
import { logger } from "~/config/logger.server";
import { isWebhookTopic, webhookPayloads } from "~/shopify/webhooks/payloads";
import type { BatchContext, BatchHandlerRegistry, HandlerRegistry } from "./handlers.server";
import { INBOX_QUEUE, type Queue } from "./queue.server";

export interface WorkerOptions {
  concurrency: number;
  maxAttempts: number;
  /** Handlers that process many rows of their topic at once; none by default. */
  batchHandlers?: BatchHandlerRegistry;
  clock?: () => Date;
}

/** Rows offered to a batch handler in one transaction. */
const ROWS_PER_BATCH = 200;

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
    await markProcessed(tx, [inboxId]);
    return "processed";
  });
}

/**
 * Processes, in one transaction, what the batch handlers take of these rows (marked processed with it), and
 * returns the ids left for processInboxRow: rows of other topics, those a handler left, or all of them if the
 * batch failed (a deadlock with another batch, a row a handler could not take): nothing is lost, only batched.
 */
export async function processInboxBatch(database: Database, batchHandlers: BatchHandlerRegistry, inboxIds: readonly string[], now: Date): Promise<string[]> {
  try {
    return await inTransaction(database.pool, async (tx) => {
      const left: string[] = [];
      const groups = new Map<string, Omit<BatchContext, "tx" | "now" | "rows"> & { rows: BatchContext["rows"][number][] }>();
      for (const row of await lockInboxRows(tx, inboxIds)) {
        const topic = isWebhookTopic(row.topic) && batchHandlers[row.topic] ? row.topic : null;
        const parsed = topic ? webhookPayloads[topic].safeParse(row.payload) : null;
        if (!topic || !parsed?.success) {
          left.push(row.id);
          continue;
        }
        const key = `${row.shopId}|${topic}`;
        const group = groups.get(key) ?? { shopId: row.shopId, shopDomain: row.shopDomain, topic, rows: [] };
        group.rows.push({ id: row.id, payload: parsed.data, triggeredAt: row.triggeredAt, receivedAt: row.receivedAt });
        groups.set(key, group);
      }
      const processed: string[] = [];
      for (const group of groups.values()) {
        const done = await batchHandlers[group.topic]!({ tx, ...group, now });
        for (const row of group.rows) (done.has(row.id) ? processed : left).push(row.id);
      }
      await markProcessed(tx, processed);
      return left;
    });
  } catch (error) {
    logger.warn({ rows: inboxIds.length, error: error instanceof Error ? error.message : String(error) }, "webhook batch failed; processing its rows one by one");
    return [...inboxIds];
  }
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
  const batchHandlers = options.batchHandlers ?? {};
  const batched = Object.keys(batchHandlers).length > 0;
  const batchSize = options.concurrency * (batched ? ROWS_PER_BATCH : 8);
  const workerId: string = await boss.work<{ inboxId: string }>(INBOX_QUEUE, { batchSize, pollingIntervalSeconds: 0.5 }, async (jobs: PgBoss.Job<{ inboxId: string }>[]) => {
    const failed: string[] = [];
    const processOne = async (job: PgBoss.Job<{ inboxId: string }>) => {
      try {
        await processInboxRow(database, handlers, job.data.inboxId, clock());
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const outcome = await recordFailure(database.pool, job.data.inboxId, message, options.maxAttempts).catch(() => "retry");
        logger.warn({ inboxId: job.data.inboxId, outcome, error: message }, "webhook processing failed");
        failed.push(job.id);
      }
    };
    // Without batch handlers every job is a chunk of its own, processed one by one.
    const perChunk = batched ? Math.min(ROWS_PER_BATCH, Math.ceil(jobs.length / options.concurrency)) : 1;
    const chunks: PgBoss.Job<{ inboxId: string }>[][] = [];
    for (let i = 0; i < jobs.length; i += perChunk) chunks.push(jobs.slice(i, i + perChunk));
    await runLimited(chunks, options.concurrency, async (chunk) => {
      const left = chunk.length > 1 ? new Set(await processInboxBatch(database, batchHandlers, chunk.map((job) => job.data.inboxId), clock())) : null;
      for (const job of chunk) if (!left || left.has(job.data.inboxId)) await processOne(job);
    });
    if (failed.length) await boss.fail(INBOX_QUEUE, failed);
    // A full batch means more are waiting: skip pg-boss's polling pause.
    if (jobs.length === batchSize) boss.notifyWorker(workerId);
  });
  return workerId;
}
