import type { Money } from "~/domain/money";

/** Shopify's SubscriptionContractSubscriptionStatus, kept verbatim so the mirror needs no mapping. */
export const CONTRACT_STATUSES = ["ACTIVE", "PAUSED", "CANCELLED", "EXPIRED", "FAILED"] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** Contracts still running: they can be cancelled, and a price change or membership applies to them. */
export function isLiveContract(contract: { status: ContractStatus }): boolean {
  return contract.status === "ACTIVE" || contract.status === "PAUSED" || contract.status === "FAILED";
}

/** Shopify's SellingPlanInterval. */
export const BILLING_INTERVALS = ["DAY", "WEEK", "MONTH", "YEAR"] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

/** "Every `intervalCount` `interval`s", as in a contract's billing and delivery policies. */
export type Frequency = { interval: BillingInterval; intervalCount: number };

/** The churn radar's risk levels. */
export const CHURN_RISK_LEVELS = ["low", "medium", "high"] as const;
export type ChurnRiskLevel = (typeof CHURN_RISK_LEVELS)[number];

export type ContractLine = {
  id: string;
  variantId: string;
  title: string;
  quantity: number;
  /** Price of one unit per delivery, in the contract's currency. */
  unitPriceMinor: number;
};

/** The local mirror of a Shopify subscription contract, plus the app's own state for it. */
export type SubscriptionContract = {
  id: string;
  status: ContractStatus;
  currencyCode: string;
  lines: ContractLine[];
  billing: Frequency;
  delivery: Frequency;
  nextBillingDate: Date | null;
  /** A pause made by this app. Shopify's own pause has no end date, so the app keeps it and resumes the contract. */
  pause: { pausedOn: Date; resumeOn: Date } | null;
  /** Last day of a grandfathered price (see grandfathering.ts), or null. */
  priceProtectedUntil: Date | null;
};

/** What the save flow knows about the person pressing Cancel. */
export type SubscriberFacts = {
  customerId: string;
  /** Start of the subscriber's tenure (their first contract's creation). */
  subscriberSince: Date;
  /** In the shop's currency. */
  lifetimeValue: Money;
  /** The loyalty tier id, or null below the first tier. */
  tier: string | null;
  /** Null until the churn radar has scored the customer. */
  churnRisk: ChurnRiskLevel | null;
  hasActiveDiscount: boolean;
  lastOfferAcceptedAt: Date | null;
  contract: SubscriptionContract;
};

/** A contract's price per delivery: the sum of its lines. */
export function pricePerCycle(contract: SubscriptionContract): Money {
  return {
    amountMinor: contract.lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0),
    currencyCode: contract.currencyCode,
  };
}

/** Prepaid contracts bill several deliveries at once; offers that reshape the schedule only fit pay-per-delivery. */
export function isPayPerDelivery(contract: SubscriptionContract): boolean {
  return contract.billing.interval === contract.delivery.interval && contract.billing.intervalCount === contract.delivery.intervalCount;
}
