/**
 * The loyalty engine's background jobs on the app's one job mechanism (pg-boss), run by the worker process:
 * - daily (02:00 UTC): tiers recomputed for every customer (rolling-window roll-off, retention), inactivity
 *   expiry and its reminders, birthday awards — per shop with the program on;
 * - every minute: the Flow outbox and the metafield/tag sync, a bounded slice per shop per run so a backlog
 *   (a large import, the demo's replay) drains at a pace Shopify's rate limits accept;
 * - every five minutes: redemptions left pending by a process that died are settled.
 */
import type { Database } from "~/data/db.server";
import { shopsWithPendingEvents } from "~/data/loyalty/events.server";
import { findShopDomain, shopsWithProgramOn } from "~/data/loyalty/programs.server";
import { ensureQueue, type Queue } from "~/jobs/queue.server";
import type { AdminClient } from "~/shopify/admin/client.server";
import { awardDueBirthdays } from "./actions.server";
import { runExpiry } from "./expiry.server";
import { sendFlowEvents } from "./flow.server";
import { settleStaleRedemptions } from "./redemption.server";
import { syncCustomersToShopify } from "./shopify-sync.server";
import { recomputeShopTiers } from "./tiers.server";

export const LOYALTY_QUEUES = { daily: "loyalty-daily", shopify: "loyalty-shopify", redemptions: "loyalty-redemptions" } as const;

const FLOW_EVENTS_PER_RUN = 2_000;
const CUSTOMERS_SYNCED_PER_RUN = 1_000;

interface LoyaltyJobsDeps {
  database: Database;
  /** The shop's Admin API client, or null when the app has no access to the shop (uninstalled). */
  adminFor: (shopDomain: string) => Promise<AdminClient | null>;
  clock?: () => Date;
}

/** The daily pass over one shop: tiers, expiry, birthdays. */
export async function runDailyLoyalty(db: Database, shopId: number, now: Date) {
  return {
    tiers: await recomputeShopTiers({ db, shopId, now }),
    expiry: await runExpiry({ db, shopId, now }),
    birthdays: await awardDueBirthdays({ db, shopId, now }),
  };
}

/** One run of Shopify's side for every shop with something to send. */
export async function runShopifySync({ database, adminFor, clock = () => new Date() }: LoyaltyJobsDeps): Promise<void> {
  const shops = new Set([...(await shopsWithPendingEvents(database.pool)), ...(await shopsWithProgramOn(database.pool)).map((shop) => shop.shopId)]);
  for (const shopId of shops) {
    const admin = await adminFor(await findShopDomain(database.pool, shopId));
    if (!admin) continue;
    await sendFlowEvents({ db: database, admin, shopId, limit: FLOW_EVENTS_PER_RUN });
    await syncCustomersToShopify({ db: database, admin, shopId, now: clock(), limit: CUSTOMERS_SYNCED_PER_RUN });
  }
}

export async function startLoyaltyJobs(deps: LoyaltyJobsDeps & { boss: Queue }): Promise<void> {
  const { boss, database, clock = () => new Date() } = deps;
  for (const name of Object.values(LOYALTY_QUEUES)) {
    // "stately": one run at a time and at most one waiting, so a slow run never piles up minute schedules.
    await ensureQueue(boss, name, { policy: "stately", retryLimit: 3, retryDelay: 30, expireInSeconds: 3_600 });
  }
  await boss.schedule(LOYALTY_QUEUES.daily, "0 2 * * *", {}, { tz: "UTC" });
  await boss.schedule(LOYALTY_QUEUES.shopify, "* * * * *", {}, { tz: "UTC" });
  await boss.schedule(LOYALTY_QUEUES.redemptions, "*/5 * * * *", {}, { tz: "UTC" });
  await boss.work(LOYALTY_QUEUES.daily, async () => {
    for (const shop of await shopsWithProgramOn(database.pool)) await runDailyLoyalty(database, shop.shopId, clock());
  });
  await boss.work(LOYALTY_QUEUES.shopify, async () => runShopifySync(deps));
  await boss.work(LOYALTY_QUEUES.redemptions, async () => {
    await settleStaleRedemptions({ db: database, adminFor: deps.adminFor, now: clock() });
  });
}
