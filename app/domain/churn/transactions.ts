/**
 * From orders to the per-customer histories the models take, the way `lifetimes`'
 * summary_data_from_transaction_data does: all orders of one calendar day (UTC) count as one purchase,
 * frequency counts repeat purchase days, and monetary is the mean value of those repeat days.
 */
import type { PurchaseHistory } from "./bg-nbd";

export type TimeUnit = "days" | "weeks";

export const DAYS_PER_UNIT: Record<TimeUnit, number> = { days: 1, weeks: 7 };

const MS_PER_DAY = 86_400_000;

export interface OrderRecord {
  customerId: string;
  orderedAt: Date;
  /** Order value in minor units; absent when only dates are known. */
  amountMinor?: number;
}

export interface CustomerSummary extends PurchaseHistory {
  customerId: string;
  /** Mean value of the repeat purchase days, in minor units (0 without repeat purchases). */
  monetaryMinor: number;
}

export const utcDay = (date: Date): number => Math.floor(date.getTime() / MS_PER_DAY);

/**
 * Summaries at `observationEnd` (inclusive; orders after it are ignored). T runs from the customer's first
 * purchase day to that day. Weeks are days / 7, not calendar weeks, so 272 days are 38.857 weeks.
 */
export function summarizeTransactions(
  orders: readonly OrderRecord[],
  { observationEnd, timeUnit }: { observationEnd: Date; timeUnit: TimeUnit },
): CustomerSummary[] {
  const endDay = utcDay(observationEnd);
  const spendByDayByCustomer = new Map<string, Map<number, number>>();
  for (const { customerId, orderedAt, amountMinor = 0 } of orders) {
    const day = utcDay(orderedAt);
    if (!Number.isFinite(day)) throw new RangeError(`invalid order date for customer ${customerId}`);
    if (day > endDay) continue;
    let spendByDay = spendByDayByCustomer.get(customerId);
    if (!spendByDay) spendByDayByCustomer.set(customerId, (spendByDay = new Map()));
    spendByDay.set(day, (spendByDay.get(day) ?? 0) + amountMinor);
  }
  const unit = DAYS_PER_UNIT[timeUnit];
  return [...spendByDayByCustomer].map(([customerId, spendByDay]) => {
    const days = [...spendByDay.keys()].sort((a, b) => a - b);
    const first = days[0];
    const frequency = days.length - 1;
    const repeatSpend = days.slice(1).reduce((sum, day) => sum + spendByDay.get(day)!, 0);
    return {
      customerId,
      frequency,
      recency: (days[frequency] - first) / unit,
      T: (endDay - first) / unit,
      monetaryMinor: frequency > 0 ? Math.round(repeatSpend / frequency) : 0,
    };
  });
}
