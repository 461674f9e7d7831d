/**
 * The app's plans and what they allow. Pure: the billing use case and the pages read it; Shopify's Billing API
 * charges the price. Prices are in USD minor units, as Shopify bills apps in USD.
 */
export const PLAN_KEYS = ["free", "growth", "pro"] as const;
export type PlanKey = (typeof PLAN_KEYS)[number];

export interface Plan {
  key: PlanKey;
  name: string;
  priceMinor: number;
  currencyCode: "USD";
  /** Paid orders per 30-day billing period that earn points; null is unlimited. */
  monthlyOrderLimit: number | null;
  trialDays: number;
  features: string[];
}

export const PLANS: Record<PlanKey, Plan> = {
  free: {
    key: "free",
    name: "Free",
    priceMinor: 0,
    currencyCode: "USD",
    monthlyOrderLimit: 200,
    trialDays: 0,
    features: ["Points, rewards and referrals", "Storefront widget", "Up to 200 orders a month"],
  },
  growth: {
    key: "growth",
    name: "Growth",
    priceMinor: 2_900,
    currencyCode: "USD",
    monthlyOrderLimit: 2_000,
    trialDays: 14,
    features: ["Everything in Free", "VIP tiers", "Import from Smile.io and LoyaltyLion", "Up to 2,000 orders a month"],
  },
  pro: {
    key: "pro",
    name: "Pro",
    priceMinor: 9_900,
    currencyCode: "USD",
    monthlyOrderLimit: null,
    trialDays: 14,
    features: ["Everything in Growth", "Churn radar and win-back", "Cancel-save flows", "Unlimited orders"],
  },
};

export const BILLING_PERIOD_DAYS = 30;
const DAY_MS = 86_400_000;

/** Start of the 30-day period containing `now`, counted from when the plan started. */
export function billingPeriodStart(planStartedAt: Date, now: Date): Date {
  const elapsed = Math.max(0, now.getTime() - planStartedAt.getTime());
  const periods = Math.floor(elapsed / (BILLING_PERIOD_DAYS * DAY_MS));
  return new Date(planStartedAt.getTime() + periods * BILLING_PERIOD_DAYS * DAY_MS);
}

export interface OrderAllowance {
  used: number;
  limit: number | null;
  /** Orders that may still earn points this period; null is unlimited. */
  remaining: number | null;
  overLimit: boolean;
}

export function orderAllowance(plan: Plan, ordersThisPeriod: number): OrderAllowance {
  const limit = plan.monthlyOrderLimit;
  return {
    used: ordersThisPeriod,
    limit,
    remaining: limit === null ? null : Math.max(0, limit - ordersThisPeriod),
    overLimit: limit !== null && ordersThisPeriod >= limit,
  };
}

/** A shop gets a plan's trial once: not again after any paid plan has started. */
export function trialDaysFor(plan: Plan, hadPaidPlan: boolean): number {
  return hadPaidPlan ? 0 : plan.trialDays;
}

export function isPlanKey(value: string): value is PlanKey {
  return (PLAN_KEYS as readonly string[]).includes(value);
}
