/**
 * Customer lifetime value over a horizon of months: expected purchases month by month (BG/NBD,
 * conditional on the history) × expected order value (Gamma-Gamma), each month discounted.
 */
import { expectedPurchases, type BgNbdParams, type PurchaseHistory } from "./bg-nbd";
import { expectedAverageValue, type GammaGammaParams } from "./gamma-gamma";
import { DAYS_PER_UNIT, type TimeUnit } from "./transactions";

/** An average Gregorian month. */
export const DAYS_PER_MONTH = 365.25 / 12;

export interface LifetimeValueInput {
  bgNbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  /** History in the unit the BG/NBD model was fitted in. */
  customer: PurchaseHistory & { averageOrderValueMinor: number };
  timeUnit: TimeUnit;
  horizonMonths: number;
  /** e.g. 0.01 for 1 % a month; month i's value is divided by (1 + rate)^i. */
  monthlyDiscountRate: number;
}

/** Discounted expected value of the customer's purchases in the next `horizonMonths`, in minor units. */
export function customerLifetimeValue({
  bgNbd,
  gammaGamma,
  customer,
  timeUnit,
  horizonMonths,
  monthlyDiscountRate,
}: LifetimeValueInput): number {
  if (!(Number.isInteger(horizonMonths) && horizonMonths >= 0)) {
    throw new RangeError(`horizon must be a whole number of months, got ${horizonMonths}`);
  }
  if (!(monthlyDiscountRate > -1)) throw new RangeError(`discount rate must be > -1, got ${monthlyDiscountRate}`);
  const orderValue = expectedAverageValue(gammaGamma, customer);
  const month = DAYS_PER_MONTH / DAYS_PER_UNIT[timeUnit];
  let value = 0;
  let purchasesSoFar = 0;
  for (let i = 1; i <= horizonMonths; i += 1) {
    const purchasesByMonthEnd = expectedPurchases(bgNbd, customer, i * month);
    value += ((purchasesByMonthEnd - purchasesSoFar) * orderValue) / (1 + monthlyDiscountRate) ** i;
    purchasesSoFar = purchasesByMonthEnd;
  }
  return Math.round(value);
}

export interface SegmentValue {
  segment: string;
  customers: number;
  totalMinor: number;
  averageMinor: number;
}

/** Customers, total and mean lifetime value per segment, largest total first. */
export function lifetimeValueBySegment(
  customers: readonly { segment: string; lifetimeValueMinor: number }[],
): SegmentValue[] {
  const totals = new Map<string, { customers: number; totalMinor: number }>();
  for (const { segment, lifetimeValueMinor } of customers) {
    const total = totals.get(segment) ?? { customers: 0, totalMinor: 0 };
    total.customers += 1;
    total.totalMinor += lifetimeValueMinor;
    totals.set(segment, total);
  }
  return [...totals]
    .map(([segment, { customers: count, totalMinor }]) => ({
      segment,
      customers: count,
      totalMinor,
      averageMinor: Math.round(totalMinor / count),
    }))
    .sort((x, y) => y.totalMinor - x.totalMinor || x.segment.localeCompare(y.segment));
}
