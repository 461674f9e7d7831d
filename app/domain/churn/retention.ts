/**
 * Retention metrics with the standard formulas, and an explicit definition of a "lost" customer for
 * stores without subscriptions, where nobody cancels and churn must be inferred.
 */
import { DAYS_PER_MONTH } from "./lifetime-value";
import { utcDay } from "./transactions";

/** Lost in period / customers at start × 100; null when there was nobody to lose. */
export function churnRate(customersAtStart: number, customersLost: number): number | null {
  return customersAtStart > 0 ? (customersLost / customersAtStart) * 100 : null;
}

/** (customers at end − new customers) / customers at start × 100; null when there was nobody at the start. */
export function retentionRate({
  customersAtStart,
  customersAtEnd,
  newCustomers,
}: {
  customersAtStart: number;
  customersAtEnd: number;
  newCustomers: number;
}): number | null {
  return customersAtStart > 0 ? ((customersAtEnd - newCustomers) / customersAtStart) * 100 : null;
}

export type ChurnHealth = "good" | "watch" | "alarming";

/** Monthly churn below 5 % is good, above 10 % alarming, in between worth watching. */
export function churnHealth(monthlyChurnPercent: number): ChurnHealth {
  if (monthlyChurnPercent < 5) return "good";
  if (monthlyChurnPercent > 10) return "alarming";
  return "watch";
}

export type LostDefinition =
  | { kind: "noOrderWithin"; days: number }
  | { kind: "probabilityAliveBelow"; threshold: number };

export function describeLostDefinition(lost: LostDefinition): string {
  return lost.kind === "noOrderWithin"
    ? `A customer is lost when they have placed no order in the last ${lost.days} days; customers at the start are those with an order in the ${lost.days} days before it.`
    : `A customer is lost when the BG/NBD model gives them less than a ${Math.round(lost.threshold * 1000) / 10} % probability of still buying; customers at the start are those above it then.`;
}

export interface CustomerActivity {
  customerId: string;
  orderDates: readonly Date[];
  /** Model P(alive) at the start and at the end of the period; needed by the P(alive) definition only. */
  probabilityAliveAtStart?: number;
  probabilityAliveAtEnd?: number;
}

export interface ChurnMeasurement {
  customersAtStart: number;
  customersAtEnd: number;
  newCustomers: number;
  lostCustomers: number;
  churnRatePercent: number | null;
  retentionRatePercent: number | null;
  /** The churn rate scaled to a month (compounded), which the health thresholds are stated for. */
  monthlyChurnRatePercent: number | null;
  health: ChurnHealth | null;
  definition: string;
}

/** Churn and retention between two dates (new customers: first order after the start, up to the end). */
export function measureChurn({
  customers,
  periodStart,
  periodEnd,
  lost,
}: {
  customers: readonly CustomerActivity[];
  periodStart: Date;
  periodEnd: Date;
  lost: LostDefinition;
}): ChurnMeasurement {
  const startDay = utcDay(periodStart);
  const endDay = utcDay(periodEnd);
  if (!(endDay > startDay)) throw new RangeError("the period must end after it starts");
  const isActive = (customer: CustomerActivity, day: number, probabilityAlive: number | undefined): boolean => {
    const orderDays = customer.orderDates.map(utcDay).filter((d) => d <= day);
    if (orderDays.length === 0) return false;
    if (lost.kind === "noOrderWithin") return Math.max(...orderDays) > day - lost.days;
    if (probabilityAlive === undefined) {
      throw new RangeError(`customer ${customer.customerId} has no P(alive), which this definition of lost needs`);
    }
    return probabilityAlive >= lost.threshold;
  };
  let customersAtStart = 0;
  let customersAtEnd = 0;
  let newCustomers = 0;
  let lostCustomers = 0;
  for (const customer of customers) {
    const activeAtStart = isActive(customer, startDay, customer.probabilityAliveAtStart);
    const activeAtEnd = isActive(customer, endDay, customer.probabilityAliveAtEnd);
    const firstOrderDay = Math.min(...customer.orderDates.map(utcDay));
    if (activeAtStart) customersAtStart += 1;
    if (activeAtEnd) customersAtEnd += 1;
    if (activeAtStart && !activeAtEnd) lostCustomers += 1;
    if (firstOrderDay > startDay && firstOrderDay <= endDay) newCustomers += 1;
  }
  const churnRatePercent = churnRate(customersAtStart, lostCustomers);
  const monthlyChurnRatePercent =
    churnRatePercent === null ? null : (1 - (1 - churnRatePercent / 100) ** (DAYS_PER_MONTH / (endDay - startDay))) * 100;
  return {
    customersAtStart,
    customersAtEnd,
    newCustomers,
    lostCustomers,
    churnRatePercent,
    retentionRatePercent: retentionRate({ customersAtStart, customersAtEnd, newCustomers }),
    monthlyChurnRatePercent,
    health: monthlyChurnRatePercent === null ? null : churnHealth(monthlyChurnRatePercent),
    definition: describeLostDefinition(lost),
  };
}

export interface Order {
  customerId: string;
  orderedAt: Date;
  amountMinor: number;
}

export interface PurchaseMetrics {
  customers: number;
  orders: number;
  /** Customers with two or more orders / customers × 100. */
  repeatPurchaseRatePercent: number | null;
  /** Orders per customer. */
  purchaseFrequency: number | null;
  averageOrderValueMinor: number | null;
  /** Mean gap between consecutive orders of the same customer, over all such gaps. */
  meanDaysBetweenOrders: number | null;
}

export function purchaseMetrics(orders: readonly Order[]): PurchaseMetrics {
  const timesByCustomer = new Map<string, number[]>();
  let revenueMinor = 0;
  for (const { customerId, orderedAt, amountMinor } of orders) {
    const times = timesByCustomer.get(customerId) ?? [];
    times.push(orderedAt.getTime());
    timesByCustomer.set(customerId, times);
    revenueMinor += amountMinor;
  }
  let repeatCustomers = 0;
  let gaps = 0;
  let gapMsTotal = 0;
  for (const times of timesByCustomer.values()) {
    if (times.length < 2) continue;
    repeatCustomers += 1;
    times.sort((x, y) => x - y);
    gaps += times.length - 1;
    gapMsTotal += times[times.length - 1] - times[0];
  }
  const customers = timesByCustomer.size;
  return {
    customers,
    orders: orders.length,
    repeatPurchaseRatePercent: customers > 0 ? (repeatCustomers / customers) * 100 : null,
    purchaseFrequency: customers > 0 ? orders.length / customers : null,
    averageOrderValueMinor: orders.length > 0 ? Math.round(revenueMinor / orders.length) : null,
    meanDaysBetweenOrders: gaps > 0 ? gapMsTotal / gaps / 86_400_000 : null,
  };
}

export interface CohortRow {
  /** First-order month, "YYYY-MM" (UTC). */
  cohort: string;
  customers: number;
  /** retainedPercent[k]: share of the cohort with an order in the k-th month after the first (k = 0 is 100 %). */
  retainedPercent: number[];
}

const monthIndex = (date: Date) => date.getUTCFullYear() * 12 + date.getUTCMonth();
const monthLabel = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;

/** Cohort retention table by first-order month, each row running up to the last month with any order. */
export function cohortRetention(orders: readonly Pick<Order, "customerId" | "orderedAt">[]): CohortRow[] {
  const monthsByCustomer = new Map<string, Set<number>>();
  let lastMonth = -Infinity;
  for (const { customerId, orderedAt } of orders) {
    const month = monthIndex(orderedAt);
    if (!Number.isFinite(month)) throw new RangeError(`invalid order date for customer ${customerId}`);
    const months = monthsByCustomer.get(customerId) ?? new Set<number>();
    months.add(month);
    monthsByCustomer.set(customerId, months);
    lastMonth = Math.max(lastMonth, month);
  }
  const cohorts = new Map<number, Set<number>[]>();
  for (const months of monthsByCustomer.values()) {
    const first = Math.min(...months);
    const members = cohorts.get(first) ?? [];
    members.push(months);
    cohorts.set(first, members);
  }
  return [...cohorts]
    .sort(([x], [y]) => x - y)
    .map(([first, members]) => ({
      cohort: monthLabel(first),
      customers: members.length,
      retainedPercent: Array.from(
        { length: lastMonth - first + 1 },
        (_, k) => (members.filter((months) => months.has(first + k)).length / members.length) * 100,
      ),
    }));
}
