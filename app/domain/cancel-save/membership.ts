import { z } from "zod";
import { addDaysUtc } from "./time";
import { isLiveContract, type ContractStatus } from "./types";

/** A paid VIP membership: a subscription product that grants a loyalty tier while it runs. */
export const membershipSettingsSchema = z.object({
  /** The loyalty tier id members hold. */
  grantsTier: z.string().min(1),
  /** Days a member whose billing keeps failing holds the tier before moving down. */
  graceDays: z.int().min(0).max(60).default(7),
});
export type MembershipSettings = z.output<typeof membershipSettingsSchema>;

export type MembershipContract = {
  status: ContractStatus;
  /** End of the period already paid for (the contract's next billing date); a cancelled member keeps the tier until then. */
  paidThrough: Date | null;
  /** Start of the current run of failed billing attempts (billingFailureRisk's `failingSince`), or null. */
  billingFailingSince: Date | null;
};

export type MembershipStanding =
  | { state: "none" }
  | { state: "active" }
  | { state: "in_grace"; graceEndsAt: Date }
  /** Cancelled, but the paid period has not ended yet. */
  | { state: "paid_through"; endsAt: Date }
  | { state: "lapsed" };

export type EffectiveTier = { tier: string | null; source: "membership" | "earned" | null; membership: MembershipStanding };

/** Whether the membership grants its tier now, and until when if that is already known. */
export function membershipStanding(membership: MembershipContract | null, settings: MembershipSettings, now: Date): MembershipStanding {
  if (membership === null) return { state: "none" };
  if (isLiveContract(membership)) {
    // Shopify marks a contract FAILED when the app gives up on billing; without a failure date the grace is over.
    if (membership.billingFailingSince === null) return membership.status === "FAILED" ? { state: "lapsed" } : { state: "active" };
    const graceEndsAt = addDaysUtc(membership.billingFailingSince, settings.graceDays);
    return now < graceEndsAt ? { state: "in_grace", graceEndsAt } : { state: "lapsed" };
  }
  if (membership.status === "CANCELLED" && membership.paidThrough !== null && now < membership.paidThrough) {
    return { state: "paid_through", endsAt: membership.paidThrough };
  }
  return { state: "lapsed" };
}

/**
 * The tier a customer holds: the membership's tier while it grants one, unless the tier they earned is
 * higher; once the membership lapses (cancelled and paid period over, expired, or billing failing past
 * the grace) they hold the tier they earned, which may be none. A paused membership keeps its tier.
 * `tierOrder` lists tier ids lowest first, as the loyalty tier rules do.
 */
export function effectiveTier(
  earnedTier: string | null,
  membership: MembershipContract | null,
  settings: MembershipSettings,
  tierOrder: readonly string[],
  now: Date,
): EffectiveTier {
  const standing = membershipStanding(membership, settings, now);
  const grants = standing.state === "active" || standing.state === "in_grace" || standing.state === "paid_through";
  if (grants && rank(settings.grantsTier, tierOrder) > rank(earnedTier, tierOrder)) {
    return { tier: settings.grantsTier, source: "membership", membership: standing };
  }
  return { tier: earnedTier, source: earnedTier === null ? null : "earned", membership: standing };
}

function rank(tier: string | null, tierOrder: readonly string[]): number {
  if (tier === null) return 0;
  const index = tierOrder.indexOf(tier);
  if (index < 0) throw new RangeError(`tier "${tier}" is not among the loyalty tiers ${JSON.stringify(tierOrder)}`);
  return index + 1;
}
