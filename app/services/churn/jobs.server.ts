/**
 * The churn radar's background jobs on the app's one job mechanism (pg-boss): a nightly schedule that requests a
 * refit of every installed shop, the refit runs themselves (one job per ChurnRun, one at a time per worker since a
 * run keeps a core busy), birthday and anniversary moments, and win-back campaigns' incentives. "Refit now" requests a run the same way; a shop never
 * has two runs pending.
 */
import type PgBoss from "pg-boss";
import { inTransaction, type Database } from "~/data/db.server";
import { setCampaignStatus } from "~/data/churn/campaigns.server";
import { createRunUnlessPending, installedShops, type ChurnRunTrigger } from "~/data/churn/runs.server";
import { findShop } from "~/data/shops.server";
import type { AdminClient } from "~/shopify/admin/client.server";
import type { Queue } from "~/jobs/queue.server";
import { CHURN_NIGHTLY_QUEUE, CHURN_REFIT_QUEUE, CHURN_WIN_BACK_QUEUE, ensureChurnQueues, inTransactionOf } from "./queues.server";
import { celebrateMoments } from "./moments.server";
import { runChurnRefit } from "./refit.server";
import { giveWinBackIncentives } from "./win-back.server";

/** 03:00 UTC: after most shops' evening orders, before their morning. */
export const NIGHTLY_CRON = "0 3 * * *";

interface RefitJob {
  runId: number;
  shopId: number;
  shopDomain: string;
}

interface WinBackJob {
  campaignId: number;
  shopId: number;
  shopDomain: string;
}

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
      await boss.send(CHURN_REFIT_QUEUE, { runId: request.runId, shopId: shop.id, shopDomain: shop.domain } satisfies RefitJob, { db: inTransactionOf(tx) });
    }
    return request;
  });
}

export async function startChurnJobs({
  database,
  boss,
  adminFor,
  secret,
  clock = () => new Date(),
}: {
  database: Database;
  boss: Queue;
  /** The shop's Admin API client, or null when the app has no access to the shop. */
  adminFor: (shopDomain: string) => Promise<AdminClient | null>;
  /** The app's secret: birthday and anniversary codes are derived from it. */
  secret: string;
  clock?: () => Date;
}): Promise<void> {
  await ensureChurnQueues(boss);
  await boss.schedule(CHURN_NIGHTLY_QUEUE, NIGHTLY_CRON, {}, { tz: "UTC" });
  await boss.work(CHURN_NIGHTLY_QUEUE, async () => {
    const failures: string[] = [];
    for (const shop of await installedShops(database)) {
      await requestRefit({ database, boss, shop, trigger: "nightly", now: clock() });
      // One shop's failing Shopify must not keep the others' customers from their birthday; a retry of the job
      // celebrates only who was missed.
      try {
        const admin = await adminFor(shop.domain);
        if (admin) await celebrateMoments({ database, admin, shopId: shop.id, currencyCode: shop.currencyCode, codeSecret: secret, now: clock() });
      } catch (error) {
        failures.push(`${shop.domain}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) throw new Error(`moments failed for ${failures.length} shop(s): ${failures.join("; ")}`);
  });
  await boss.work<RefitJob>(CHURN_REFIT_QUEUE, { batchSize: 1 }, async ([job]: PgBoss.Job<RefitJob>[]) => {
    await runChurnRefit({ database, shopId: job.data.shopId, runId: job.data.runId, clock, admin: await adminFor(job.data.shopDomain) });
  });
  await boss.work<WinBackJob>(CHURN_WIN_BACK_QUEUE, { batchSize: 1 }, async ([job]: PgBoss.Job<WinBackJob>[]) => {
    const { campaignId, shopId, shopDomain } = job.data;
    const admin = await adminFor(shopDomain);
    if (!admin) {
      await setCampaignStatus(database.pool, campaignId, "failed", "the app has no access to the shop (uninstalled?)");
      return;
    }
    const shop = await findShop(database, shopDomain);
    await giveWinBackIncentives({ database, admin, shopId, campaignId, currencyCode: shop?.currencyCode ?? "USD", now: clock() });
  });
}
