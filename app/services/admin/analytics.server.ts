/** The program's figures for Home (last 30 days) and Analytics (rates, comparisons, trends), from the analytics SQL. */
import {
  membersAgainstNonMembers,
  outstandingPoints,
  pointsByMonth,
  pointsFlow,
  tierDistribution,
  type GroupBehaviour,
} from "~/data/analytics/program.server";
import type { Database } from "~/data/db.server";
import type { ProgramSettings, Reward } from "~/domain/loyalty";
import { listRewards } from "~/services/loyalty/rewards.server";

const DAY_MS = 86_400_000;

/**
 * What the outstanding points are worth: at the best money-per-point rate among active rewards with a money
 * value (fixed amount off, store credit), the most the shop could owe. Null without such a reward.
 */
export function liabilityMinor(points: number, rewards: Reward[]): number | null {
  let best: { amountMinor: number; pointsCost: number } | null = null;
  for (const reward of rewards) {
    if (reward.archived || (reward.type !== "fixed_amount" && reward.type !== "store_credit")) continue;
    if (!best || reward.amountMinor * best.pointsCost > best.amountMinor * reward.pointsCost) best = reward;
  }
  return best ? Math.round((points * best.amountMinor) / best.pointsCost) : null;
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export interface GroupFigures {
  customers: number;
  repeatPurchaseRate: number | null;
  averageOrderValueMinor: number | null;
}

function figures(group: GroupBehaviour): GroupFigures {
  return {
    customers: group.customers,
    repeatPurchaseRate: rate(group.repeatCustomers, group.customers),
    averageOrderValueMinor: group.orders > 0 ? Math.round(group.orderValueMinor / group.orders) : null,
  };
}

export async function homeNumbers(database: Database, shopId: number, now: Date) {
  const since = new Date(now.getTime() - 30 * DAY_MS);
  const [flow, outstanding, rewards] = await Promise.all([pointsFlow(database, shopId, since, now), outstandingPoints(database, shopId), listRewards({ db: database.pool, shopId, includeArchived: true })]);
  return { flow, outstanding, liabilityMinor: liabilityMinor(outstanding.points, rewards), activeRewards: rewards.filter((r) => !r.archived).length };
}

export async function programAnalytics(database: Database, shopId: number, settings: ProgramSettings, now: Date) {
  const yearAgo = new Date(now.getTime() - 365 * DAY_MS);
  const [flow, months, outstanding, rewards, comparison, tiers] = await Promise.all([
    pointsFlow(database, shopId, yearAgo, now),
    pointsByMonth(database, shopId, 12, now),
    outstandingPoints(database, shopId),
    listRewards({ db: database.pool, shopId, includeArchived: true }),
    membersAgainstNonMembers(database, shopId),
    tierDistribution(database, shopId),
  ]);
  const tierNames = new Map(settings.tiers.levels.map((t) => [t.id, t.name]));
  return {
    flow,
    redemptionRate: rate(flow.redeemed, flow.issued),
    months,
    outstanding,
    liabilityMinor: liabilityMinor(outstanding.points, rewards),
    members: figures(comparison.members),
    nonMembers: figures(comparison.nonMembers),
    tiers: [null, ...settings.tiers.levels.map((t) => t.id)].map((tierId) => ({
      name: tierId === null ? "No tier" : tierNames.get(tierId) ?? tierId,
      customers: tiers.find((row) => row.tierId === tierId)?.customers ?? 0,
    })),
  };
}
