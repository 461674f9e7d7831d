/**
 * Retention metrics per month and per RFM segment, computed with the domain's formulas (measureChurn,
 * purchaseMetrics, cohortRetention, lifetimeValueBySegment) at the end of each scoring run and stored with it,
 * so the admin pages read one row. The database reduces the data first without changing any result: a cohort
 * table needs each (customer, month) once, a churn measurement only each customer's first purchase day and
 * last purchase day before each boundary.
 */
import type { Database } from "~/data/db.server";
import { countedOrders, customerPurchaseMonths, endOfUtcDay, purchaseDaysByCustomer } from "~/data/churn/orders.server";
import { latestMetrics } from "~/data/churn/runs.server";
import { customerSegments, riskLevelCounts } from "~/data/churn/scores.server";
import {
  cohortRetention,
  describeLostDefinition,
  lifetimeValueBySegment,
  measureChurn,
  probabilityAlive,
  purchaseMetrics,
  RFM_SEGMENT_RULES,
  type BgNbdParams,
  type ChurnMeasurement,
  type CohortRow,
  type CustomerActivity,
  type LostDefinition,
  type PurchaseMetrics,
  type RiskLevel,
  type SegmentValue,
} from "~/domain/churn";

const MS_PER_DAY = 86_400_000;
const utcDay = (date: Date) => Math.floor(date.getTime() / MS_PER_DAY);
/** How far back the monthly series goes (fewer when the shop's first order is more recent). */
export const MAX_MONTHS = 24;

export interface PeriodMetrics {
  /** "YYYY-MM" (UTC). */
  month: string;
  start: string;
  end: string;
  churn: ChurnMeasurement;
  purchases: PurchaseMetrics;
}

export interface SegmentMetrics {
  segment: string;
  description: string;
  customers: number;
  /** Churn of the segment's customers in the last complete month. */
  churn: ChurnMeasurement | null;
  /** Over all their purchases. */
  purchases: PurchaseMetrics;
  lifetimeValue: SegmentValue | null;
}

export interface RetentionMetrics {
  computedAt: string;
  lost: LostDefinition;
  /** The definition of "lost", as a sentence to show next to the numbers. */
  lostDefinition: string;
  /** Complete calendar months, oldest first. */
  periods: PeriodMetrics[];
  overall: PurchaseMetrics;
  segments: SegmentMetrics[];
  riskLevels: Record<RiskLevel, number>;
  cohorts: CohortRow[];
}

const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1));
const monthLabel = (date: Date) => date.toISOString().slice(0, 7);
const dateOfDay = (day: number) => new Date(day * MS_PER_DAY);

/** How many of the ascending `days` are on or before `day`. */
function countUpTo(days: readonly number[], day: number): number {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (days[mid] <= day) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The customers of a period, each with only the dates measureChurn reads (first purchase day, last purchase day
 * on or before each end of the period) and, when "lost" is about P(alive), their P(alive) at both ends.
 */
function activitiesBetween(
  customers: readonly { customerId: string; days: number[] }[],
  startDay: number,
  endDay: number,
  lost: LostDefinition,
  params: BgNbdParams | null,
): CustomerActivity[] {
  const aliveAt = (days: readonly number[], count: number, day: number): number | undefined => {
    if (count === 0 || lost.kind !== "probabilityAliveBelow" || !params) return undefined;
    return probabilityAlive(params, { frequency: count - 1, recency: days[count - 1] - days[0], T: day - days[0] });
  };
  const activities: CustomerActivity[] = [];
  for (const { customerId, days } of customers) {
    const byEnd = countUpTo(days, endDay);
    if (byEnd === 0) continue; // no purchase by the end of the period: not part of it
    const byStart = countUpTo(days, startDay);
    const dates = new Set([days[0], days[byEnd - 1], ...(byStart > 0 ? [days[byStart - 1]] : [])]);
    activities.push({
      customerId,
      orderDates: [...dates].map(dateOfDay),
      probabilityAliveAtStart: aliveAt(days, byStart, startDay),
      probabilityAliveAtEnd: aliveAt(days, byEnd, endDay),
    });
  }
  return activities;
}

/** The shop's retention metrics at `now`; `bgNbd` (in days) is needed when "lost" is defined by P(alive). */
export async function computeRetentionMetrics({
  database,
  shopId,
  now,
  lost,
  bgNbd,
}: {
  database: Database;
  shopId: number;
  now: Date;
  lost: LostDefinition;
  bgNbd: BgNbdParams | null;
}): Promise<RetentionMetrics> {
  if (lost.kind === "probabilityAliveBelow" && !bgNbd) throw new RangeError("lost is defined by P(alive), which needs a fitted model");
  const before = endOfUtcDay(now);
  const orders = await countedOrders(database.pool, shopId, { from: new Date(0), to: before });
  const currentMonth = monthStart(now.getUTCFullYear(), now.getUTCMonth());
  const firstMonth = orders.length > 0 ? monthStart(orders[0].orderedAt.getUTCFullYear(), orders[0].orderedAt.getUTCMonth()) : currentMonth;
  const boundaries: Date[] = [];
  for (let k = MAX_MONTHS; k >= 0; k -= 1) {
    const boundary = monthStart(currentMonth.getUTCFullYear(), currentMonth.getUTCMonth() - k);
    if (boundary >= firstMonth) boundaries.push(boundary);
  }
  const purchaseDays = await purchaseDaysByCustomer(database.pool, shopId, before);
  const churnBetween = (start: Date, end: Date, members?: ReadonlySet<string>) =>
    measureChurn({
      customers: activitiesBetween(members ? purchaseDays.filter((c) => members.has(c.customerId)) : purchaseDays, utcDay(start), utcDay(end), lost, bgNbd),
      periodStart: start,
      periodEnd: end,
      lost,
    });

  const ordersByMonth = new Map<string, typeof orders>();
  for (const order of orders) {
    const label = monthLabel(order.orderedAt);
    const list = ordersByMonth.get(label) ?? [];
    list.push(order);
    ordersByMonth.set(label, list);
  }
  const periods: PeriodMetrics[] = boundaries.slice(0, -1).map((start, i) => ({
    month: monthLabel(start),
    start: start.toISOString(),
    end: boundaries[i + 1].toISOString(),
    churn: churnBetween(start, boundaries[i + 1]),
    purchases: purchaseMetrics(ordersByMonth.get(monthLabel(start)) ?? []),
  }));

  const segmentOf = await customerSegments(database.pool, shopId);
  const membersBySegment = new Map<string, Set<string>>();
  for (const [customerId, { segment }] of segmentOf) {
    const members = membersBySegment.get(segment) ?? new Set<string>();
    members.add(customerId);
    membersBySegment.set(segment, members);
  }
  const values = lifetimeValueBySegment(
    [...segmentOf.values()].flatMap(({ segment, lifetimeValueMinor }) => (lifetimeValueMinor === null ? [] : [{ segment, lifetimeValueMinor }])),
  );
  const lastPeriod = boundaries.length - 2;
  const segments: SegmentMetrics[] = RFM_SEGMENT_RULES.filter((rule) => membersBySegment.has(rule.segment)).map((rule) => {
    const members = membersBySegment.get(rule.segment)!;
    return {
      segment: rule.segment,
      description: rule.description,
      customers: members.size,
      churn: lastPeriod >= 0 ? churnBetween(boundaries[lastPeriod], boundaries[lastPeriod + 1], members) : null,
      purchases: purchaseMetrics(orders.filter((order) => members.has(order.customerId))),
      lifetimeValue: values.find((value) => value.segment === rule.segment) ?? null,
    };
  });

  return {
    computedAt: now.toISOString(),
    lost,
    lostDefinition: describeLostDefinition(lost),
    periods,
    overall: purchaseMetrics(orders),
    segments,
    riskLevels: await riskLevelCounts(database, shopId),
    cohorts: cohortRetention(await customerPurchaseMonths(database.pool, shopId, before)),
  };
}

/**
 * The latest stored retention metrics of a shop (for the Churn radar and the analytics page), or null before
 * the first scoring run.
 */
export async function loadRetentionMetrics(database: Database, shopId: number): Promise<{ runId: number; metrics: RetentionMetrics } | null> {
  const latest = await latestMetrics(database, shopId);
  return latest ? { runId: latest.runId, metrics: latest.metrics as RetentionMetrics } : null;
}
