/** The churn radar's pg-boss queues, created on first use by whichever process (web or worker) sends first. */
import type pg from "pg";
import { ensureQueue, type Queue } from "~/jobs/queue.server";

export const CHURN_REFIT_QUEUE = "churn-refit";
export const CHURN_NIGHTLY_QUEUE = "churn-nightly";
export const CHURN_WIN_BACK_QUEUE = "churn-win-back";

export async function ensureChurnQueues(boss: Queue): Promise<void> {
  // A big shop's Shopify sync or campaign can take hours at Shopify's rate limits; a job whose worker died is
  // retried after this.
  const long = { retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 4 * 3600 };
  await ensureQueue(boss, CHURN_REFIT_QUEUE, long);
  await ensureQueue(boss, CHURN_WIN_BACK_QUEUE, long);
  await ensureQueue(boss, CHURN_NIGHTLY_QUEUE, { retryLimit: 3, retryDelay: 60, expireInSeconds: 600 });
}

/** Lets pg-boss insert a job inside the caller's transaction, so the job exists exactly when the rows it is about do. */
export const inTransactionOf = (tx: pg.PoolClient) => ({ executeSql: (text: string, values: unknown[]) => tx.query(text, values) });
