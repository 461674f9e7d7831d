/**
 * The churn radar's background jobs on the app's one job mechanism (pg-boss): a nightly schedule that requests a
 * refit of every installed shop, and the refit runs themselves (one job per ChurnRun, one at a time per worker
 * since a run keeps a core busy). "Refit now" requests a run the same way; a shop never has two runs pending.
 */
import type PgBoss from "pg-boss";
import type pg from "pg";
import { inTransaction, type Database } from "~/data/db.server";
import { createRunUnlessPending, installedShops, type ChurnRunTrigger } from "~/data/churn/runs.server";
import type { AdminClient } from "~/shopify/admin/client.server";
import type { Queue } from "~/jobs/queue.server";
import { runChurnRefit } from "./refit.server";

export const CHURN_REFIT_QUEUE = "churn-refit";
export const CHURN_NIGHTLY_QUEUE = "churn-nightly";
/** 03:00 UTC: after most shops' evening orders, before their morning. */
export const NIGHTLY_CRON = "0 3 * * *";

interface RefitJob {
  runId: number;
  shopId: number;
  shopDomain: string;
}

export async function ensureChurnQueues(boss: Queue): Promise<void> {
  // A big shop's Shopify sync can take hours at Shopify's rate limits; a run whose worker died is retried after this.
  await boss.createQueue(CHURN_REFIT_QUEUE, { name: CHURN_REFIT_QUEUE, retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 4 * 3600 });
  await boss.createQueue(CHURN_NIGHTLY_QUEUE, { name: CHURN_NIGHTLY_QUEUE, retryLimit: 3, retryDelay: 60, expireInSeconds: 600 });
}

const executor = (tx: pg.PoolClient) => ({ executeSql: (text: string, values: unknown[]) => tx.query(text, values) });

/** Queues a refit of the shop (or returns the one already pending): the run row and its job commit together. */
export async function requestRefit({
  database,
  boss,
  shop,
  trigger,
  now,
}: {
  database: Database;
  boss: Queue;
  shop: { id: number; domain: string };
  trigger: ChurnRunTrigger;
  now: Date;
}): Promise<{ runId: number; created: boolean }> {
  await ensureChurnQueues(boss);
  return inTransaction(database.pool, async (tx) => {
    const request = await createRunUnlessPending(tx, shop.id, trigger, now);
    if (request.created) {
      await boss.send(CHURN_REFIT_QUEUE, { runId: request.runId, shopId: shop.id, shopDomain: shop.domain } satisfies RefitJob, { db: executor(tx) });
    }
    return request;
  });
}

export async function startChurnJobs({
  database,
  boss,
  adminFor,
  clock = () => new Date(),
}: {
  database: Database;
  boss: Queue;
  /** The shop's Admin API client, or null when the app has no access to the shop. */
  adminFor: (shopDomain: string) => Promise<AdminClient | null>;
  clock?: () => Date;
}): Promise<void> {
  await ensureChurnQueues(boss);
  await boss.schedule(CHURN_NIGHTLY_QUEUE, NIGHTLY_CRON, {}, { tz: "UTC" });
  await boss.work(CHURN_NIGHTLY_QUEUE, async () => {
    for (const shop of await installedShops(database)) await requestRefit({ database, boss, shop, trigger: "nightly", now: clock() });
  });
  await boss.work<RefitJob>(CHURN_REFIT_QUEUE, { batchSize: 1 }, async ([job]: PgBoss.Job<RefitJob>[]) => {
    await runChurnRefit({ database, shopId: job.data.shopId, runId: job.data.runId, clock, admin: await adminFor(job.data.shopDomain) });
  });
}
