/**
 * The one job mechanism: pg-boss on the app's own PostgreSQL, sharing the data layer's pool so a webhook's
 * inbox row and its job are committed together. Retries with exponential back-off; a job whose worker died
 * is handed to another worker after JOB_EXPIRE_SECONDS.
 */
import PgBoss from "pg-boss";
import type pg from "pg";

export const INBOX_QUEUE = "webhook-inbox";

export interface QueueOptions {
  maxAttempts: number;
  expireSeconds: number;
  maintenanceSeconds: number;
}

export type Queue = PgBoss;

function executor(db: pg.Pool | pg.PoolClient) {
  return { executeSql: (text: string, values: unknown[]) => db.query(text, values) };
}

export async function startQueue(pool: pg.Pool, options: QueueOptions, extraQueues: string[] = []): Promise<Queue> {
  const boss = new PgBoss({
    db: executor(pool),
    schema: "pgboss",
    supervise: true,
    schedule: true,
    maintenanceIntervalSeconds: options.maintenanceSeconds,
  });
  boss.on("error", () => undefined); // transient database errors; the loops retry by themselves
  await boss.start();
  await boss.createQueue(INBOX_QUEUE, {
    name: INBOX_QUEUE,
    retryLimit: Math.max(0, options.maxAttempts - 1),
    retryDelay: 2,
    retryBackoff: true,
    expireInSeconds: options.expireSeconds,
    retentionDays: 7,
  });
  for (const name of extraQueues) await boss.createQueue(name, { name, retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 3600 });
  return boss;
}

/** Enqueues processing of inbox rows inside the caller's transaction. */
export async function enqueueInboxRows(boss: Queue, tx: pg.PoolClient, inboxIds: string[]): Promise<void> {
  if (inboxIds.length === 0) return;
  await boss.insert(
    inboxIds.map((inboxId) => ({ name: INBOX_QUEUE, data: { inboxId } })),
    { db: executor(tx) },
  );
}
