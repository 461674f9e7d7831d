/**
 * Measuring a win-back campaign: a random-looking but fixed hold-out group, and the difference in
 * repurchase rate between the treated customers and the hold-out, with its uncertainty.
 */
import { createHash } from "node:crypto";

export type HoldoutGroup = "holdout" | "treated";

/**
 * Which group a customer is in for a campaign. SHA-256 of (campaign, customer) read as a number in
 * [0, 1): the same pair always gets the same group, on any machine and any version, and campaigns are
 * independent of each other. Raising the fraction only moves customers into the hold-out, never out.
 */
export function holdoutAssignment(campaignId: string, customerId: string, holdoutFraction = 0.1): HoldoutGroup {
  if (!(holdoutFraction >= 0 && holdoutFraction <= 1)) {
    throw new RangeError(`hold-out fraction must be between 0 and 1, got ${holdoutFraction}`);
  }
  // The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
  const digest = createHash("sha256").update(`${campaignId}\u0000${customerId}`).digest();
  const uniform = digest.readUIntBE(0, 6) / 2 ** 48;
  return uniform < holdoutFraction ? "holdout" : "treated";
}

export interface GroupOutcome {
  customers: number;
  /** Customers of the group who bought again during the measurement window. */
  repurchased: number;
}

export interface CampaignLift {
  treatedRatePercent: number;
  holdoutRatePercent: number;
  /** Treated minus hold-out repurchase rate, in percentage points. */
  liftPoints: number;
  /** 95 % confidence interval of the lift, in percentage points. */
  confidenceInterval95: { lowPoints: number; highPoints: number };
  method: string;
  /** Treated customers who bought again because of the campaign: lift × treated customers. */
  savedCustomers: number;
  /** Campaign cost / saved customers, in minor units; null when the campaign saved nobody. */
  costPerSavedCustomerMinor: number | null;
}

const Z_95 = 1.959963984540054;

export function liftWithConfidence({
  treated,
  holdout,
  campaignCostMinor,
}: {
  treated: GroupOutcome;
  holdout: GroupOutcome;
  campaignCostMinor: number;
}): CampaignLift {
  for (const [name, group] of [["treated", treated], ["hold-out", holdout]] as const) {
    if (!(group.customers > 0 && group.repurchased >= 0 && group.repurchased <= group.customers)) {
      throw new RangeError(`${name} group needs customers > 0 and 0 <= repurchased <= customers`);
    }
  }
  const pTreated = treated.repurchased / treated.customers;
  const pHoldout = holdout.repurchased / holdout.customers;
  const lift = pTreated - pHoldout;
  const standardError = Math.sqrt(
    (pTreated * (1 - pTreated)) / treated.customers + (pHoldout * (1 - pHoldout)) / holdout.customers,
  );
  const savedCustomers = lift * treated.customers;
  return {
    treatedRatePercent: pTreated * 100,
    holdoutRatePercent: pHoldout * 100,
    liftPoints: lift * 100,
    confidenceInterval95: { lowPoints: (lift - Z_95 * standardError) * 100, highPoints: (lift + Z_95 * standardError) * 100 },
    method:
      "normal approximation (Wald) for the difference of two independent proportions; unreliable when a group has fewer than about 10 repurchases or 10 non-repurchases",
    savedCustomers,
    costPerSavedCustomerMinor: savedCustomers > 0 ? Math.round(campaignCostMinor / savedCustomers) : null,
  };
}
