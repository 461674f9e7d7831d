/**
 * Churn risk of one customer, from the model's P(alive) and what the customer is worth, with reasons a
 * merchant can read ("usually buys every 3 weeks, last order 11 weeks ago").
 */
import type { PurchaseHistory } from "./bg-nbd";
import { DAYS_PER_MONTH } from "./lifetime-value";
import { DAYS_PER_UNIT, type TimeUnit } from "./transactions";

export type RiskLevel = "low" | "medium" | "high";

export interface RiskInput {
  probabilityAlive: number;
  history: PurchaseHistory;
  timeUnit: TimeUnit;
  /**
   * What the customer has been worth so far (e.g. total spend), in minor units. Not the lifetime
   * value: that is already discounted by P(alive) and would hide valuable customers who are slipping.
   */
  valueMinor: number;
}

export interface RiskPolicy {
  /** P(alive) below this is high risk. */
  highBelow: number;
  /** P(alive) below this is medium risk. */
  mediumBelow: number;
  /** From this value on, medium risk counts as high: these are the customers the shop cannot lose. */
  highValueMinor: number;
  /**
   * BG/NBD gives P(alive) = 1 to anyone without a repeat purchase, so one-time buyers are judged by
   * time instead: medium risk once their only order is older than this.
   */
  oneTimeBuyerQuietDays: number;
}

export const DEFAULT_RISK_POLICY: RiskPolicy = {
  highBelow: 0.3,
  mediumBelow: 0.6,
  highValueMinor: Number.POSITIVE_INFINITY,
  oneTimeBuyerQuietDays: 90,
};

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

/** "3 days", "11 weeks", "5 months": the coarsest unit that still reads naturally. */
export function describeDuration(days: number): string {
  if (days < 14) return plural(Math.round(days), "day");
  if (days < 91) return plural(Math.round(days / 7), "week");
  return plural(Math.round(days / DAYS_PER_MONTH), "month");
}

function describeInterval(days: number): string {
  const text = describeDuration(days);
  return text.startsWith("1 ") ? text.slice(2) : text;
}

export function riskLevel(
  { probabilityAlive, history, timeUnit, valueMinor }: RiskInput,
  policy: RiskPolicy = DEFAULT_RISK_POLICY,
): { level: RiskLevel; reasons: string[] } {
  const dayLength = DAYS_PER_UNIT[timeUnit];
  const daysSinceLastOrder = (history.T - history.recency) * dayLength;
  const reasons: string[] = [];
  let level: RiskLevel;
  if (history.frequency === 0) {
    level = daysSinceLastOrder > policy.oneTimeBuyerQuietDays ? "medium" : "low";
    reasons.push(`one order so far, ${describeDuration(daysSinceLastOrder)} ago`);
  } else {
    level = probabilityAlive < policy.highBelow ? "high" : probabilityAlive < policy.mediumBelow ? "medium" : "low";
    const daysBetweenOrders = (history.recency * dayLength) / history.frequency;
    reasons.push(
      `usually buys every ${describeInterval(daysBetweenOrders)}, last order ${describeDuration(daysSinceLastOrder)} ago`,
      `${Math.round(probabilityAlive * 100)} % likely to still be a customer`,
    );
  }
  if (valueMinor >= policy.highValueMinor) {
    reasons.push("high-value customer");
    if (level === "medium") level = "high";
  }
  return { level, reasons };
}
