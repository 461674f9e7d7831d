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

// Two processes setting pg-boss up at the same moment (its schema, a queue's partition) can deadlock or collide
// on a catalog key; the loser tries again once the winner has committed.
const CONCURRENT_SET_UP = new Set(["40P01", "40001", "23505"]);

async function retryingSetUpRaces<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 8 || typeof code !== "string" || !CONCURRENT_SET_UP.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * 50 + Math.random() * 100));
    }
  }
}

/** Creates the queue when it does not exist yet. Every process creates the queues it uses, so this may race. */
export function ensureQueue(boss: Queue, name: string, options: Omit<PgBoss.Queue, "name">): Promise<void> {
  return retryingSetUpRaces(() => boss.createQueue(name, { ...options, name }));
}

export async function startQueue(pool: pg.Pool, options: QueueOptions, extraQueues: string[] = []): Promise<Queue> {
  const boss = await retryingSetUpRaces(async () => {
    const boss = new PgBoss({
      db: executor(pool),
      schema: "pgboss",
      supervise: true,
      schedule: true,
      maintenanceIntervalSeconds: options.maintenanceSeconds,
    });
    boss.on("error", () => undefined); // transient database errors; the loops retry by themselves
    try {
      await boss.start();
      return boss;
    } catch (error) {
      // A half-started instance cannot be started again; the next attempt makes a fresh one.
      await boss.stop({ graceful: false, wait: false }).catch(() => undefined);
      throw error;
    }
  });
  await ensureQueue(boss, INBOX_QUEUE, {
    retryLimit: Math.max(0, options.maxAttempts - 1),
    retryDelay: 2,
    retryBackoff: true,
    expireInSeconds: options.expireSeconds,
    retentionDays: 7,
  });
  for (const name of extraQueues) await ensureQueue(boss, name, { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 3600 });
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
