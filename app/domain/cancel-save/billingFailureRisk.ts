import type { ChurnRiskLevel } from "./types";

/** One subscription billing attempt as the billing_attempts/success and /failure webhooks report it. */
export type BillingAttempt = {
  id: string;
  at: Date;
  outcome: "success" | "failure";
  /** Shopify's SubscriptionBillingAttemptErrorCode on a failure. */
  errorCode: string | null;
};

export type BillingFailureRisk = {
  atRisk: boolean;
  /** Null when not at risk; on the churn radar's scale otherwise. */
  level: ChurnRiskLevel | null;
  consecutiveFailures: number;
  /** The first failure of the current run, which a membership's grace period counts from. */
  failingSince: Date | null;
};

/**
 * Failures that say nothing about the subscriber's payment: the shop's stock or set-up, or an invoice
 * that was paid after all. They neither raise nor clear the risk.
 */
const NOT_THE_SUBSCRIBERS_FAILURE = new Set([
  "INSUFFICIENT_INVENTORY",
  "INVENTORY_ALLOCATIONS_NOT_FOUND",
  "PAYMENT_PROVIDER_IS_NOT_ENABLED",
  "TEST_MODE",
  "INVOICE_ALREADY_PAID",
]);

/**
 * Involuntary churn: a failed billing attempt puts the subscriber at risk ("medium"), a second failure in
 * a row raises it to "high", and a successful attempt clears it. Webhooks arrive late, twice and out of
 * order, so attempts are taken by id once each and in the order they happened.
 */
export function billingFailureRisk(attempts: BillingAttempt[]): BillingFailureRisk {
  const onceEach = [...new Map(attempts.map((a) => [a.id, a])).values()];
  const ordered = onceEach
    .filter((a) => a.outcome === "success" || !NOT_THE_SUBSCRIBERS_FAILURE.has(a.errorCode ?? ""))
    .toSorted((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id));
  let consecutiveFailures = 0;
  let failingSince: Date | null = null;
  for (const attempt of ordered) {
    if (attempt.outcome === "success") {
      consecutiveFailures = 0;
      failingSince = null;
    } else {
      consecutiveFailures += 1;
      failingSince ??= attempt.at;
    }
  }
  const level: ChurnRiskLevel | null = consecutiveFailures === 0 ? null : consecutiveFailures === 1 ? "medium" : "high";
  return { atRisk: level !== null, level, consecutiveFailures, failingSince };
}
