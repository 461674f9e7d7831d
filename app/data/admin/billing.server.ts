/** The shop's plan record and the order volume its plan limits. */
import type { Database } from "../db.server";

export interface ShopPlanRecord {
  plan: string;
  subscriptionId: string | null;
  startedAt: Date;
  trialEndsAt: Date | null;
  hadPaidPlan: boolean;
  pendingPlan: string | null;
  pendingSubscriptionId: string | null;
}

/** The shop's plan; a shop that never chose one is on Free since it installed the app. */
export async function findShopPlan(database: Database, shopId: number): Promise<ShopPlanRecord> {
  const record = await database.prisma.shopPlan.findUnique({ where: { shopId } });
  if (record) return record;
  const shop = await database.prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { installedAt: true } });
  return { plan: "free", subscriptionId: null, startedAt: shop.installedAt, trialEndsAt: null, hadPaidPlan: false, pendingPlan: null, pendingSubscriptionId: null };
}

export async function recordPendingPlan(database: Database, shopId: number, pendingPlan: string, pendingSubscriptionId: string): Promise<void> {
  await database.prisma.shopPlan.upsert({
    where: { shopId },
    create: { shopId, pendingPlan, pendingSubscriptionId },
    update: { pendingPlan, pendingSubscriptionId },
  });
}

/** Makes `plan` the shop's plan from `startedAt`, clearing any pending change. */
export async function activatePlan(
  database: Database,
  shopId: number,
  change: { plan: string; subscriptionId: string | null; startedAt: Date; trialEndsAt: Date | null },
): Promise<void> {
  const paid = change.subscriptionId !== null;
  const fields = { ...change, pendingPlan: null, pendingSubscriptionId: null };
  await database.prisma.shopPlan.upsert({
    where: { shopId },
    create: { shopId, ...fields, hadPaidPlan: paid },
    update: { ...fields, ...(paid ? { hadPaidPlan: true } : {}) },
  });
}

/** Orders paid since `since`, as the loyalty engine recorded them (each order once, however often Shopify delivered it). */
export async function countPaidOrdersSince(database: Database, shopId: number, since: Date): Promise<number> {
  const { rows } = await database.pool.query<{ count: string }>(`select count(*) from "OrderPoints" where "shopId" = $1 and "paidAt" >= $2`, [shopId, since]);
  return Number(rows[0].count);
}
