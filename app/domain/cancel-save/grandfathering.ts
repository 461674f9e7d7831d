import { z } from "zod";
import type { Money } from "~/domain/money";
import { addMonthsUtc, wholeDaysBetween } from "./time";
import { isLiveContract, type SubscriptionContract } from "./types";

/** Who keeps the old price when a plan's price rises, and for how long. Meeting either condition is enough. */
export const grandfatheringRuleSchema = z
  .object({
    /** Subscribers for at least this many days on the day the new price starts; null: tenure protects no one. */
    tenureDaysAtLeast: z.int().min(0).max(3650).nullable().default(365),
    /** Loyalty tier ids whose members are protected whatever their tenure. */
    tiers: z.array(z.string().min(1)).default([]),
    protectForMonths: z.int().min(1).max(36).default(6),
  })
  .refine((rule) => rule.tenureDaysAtLeast !== null || rule.tiers.length > 0, {
    message: "Choose a tenure, a tier or both",
    path: ["tenureDaysAtLeast"],
  });
export type GrandfatheringRule = z.output<typeof grandfatheringRuleSchema>;

/** A new unit price for one variant from `effectiveOn`. */
export type PriceRise = { variantId: string; newUnitPrice: Money; effectiveOn: Date };

export type GrandfatheringCandidate = { customerId: string; subscriberSince: Date; tier: string | null; contract: SubscriptionContract };

export type ProtectedSubscriber = {
  customerId: string;
  contractId: string;
  because: ("tenure" | "tier")[];
  /** The old price is billed until this date; the first cycle on or after it bills the new price. */
  protectedUntil: Date;
  lines: { lineId: string; keepsUnitPriceMinor: number }[];
};

/** One line's move to the new price: at `effectiveOn`, or at the end of its protection. */
export type LineRepricing = { contractId: string; lineId: string; fromUnitPriceMinor: number; toUnitPriceMinor: number; currencyCode: string; on: Date };

/**
 * Who keeps the old price after `rise`, until when, and the date each affected line moves to the new
 * price. Live contracts count, paused ones included (a pause keeps the subscriber's rate). Only lines in
 * the rise's currency and priced below the new price are affected: a contract in another currency has
 * prices of its own, and a line already at or above the new price has nothing to keep.
 */
export function grandfatherPriceRise(
  rise: PriceRise,
  rule: GrandfatheringRule,
  candidates: GrandfatheringCandidate[],
): { protectedSubscribers: ProtectedSubscriber[]; repricings: LineRepricing[] } {
  const protectedUntil = addMonthsUtc(rise.effectiveOn, rule.protectForMonths);
  const protectedSubscribers: ProtectedSubscriber[] = [];
  const repricings: LineRepricing[] = [];
  for (const { customerId, subscriberSince, tier, contract } of candidates) {
    if (!isLiveContract(contract) || contract.currencyCode !== rise.newUnitPrice.currencyCode) continue;
    const lines = contract.lines.filter((l) => l.variantId === rise.variantId && l.unitPriceMinor < rise.newUnitPrice.amountMinor);
    if (lines.length === 0) continue;
    const because: ProtectedSubscriber["because"] = [];
    if (rule.tenureDaysAtLeast !== null && wholeDaysBetween(subscriberSince, rise.effectiveOn) >= rule.tenureDaysAtLeast) because.push("tenure");
    if (tier !== null && rule.tiers.includes(tier)) because.push("tier");
    if (because.length > 0) {
      protectedSubscribers.push({
        customerId,
        contractId: contract.id,
        because,
        protectedUntil,
        lines: lines.map((l) => ({ lineId: l.id, keepsUnitPriceMinor: l.unitPriceMinor })),
      });
    }
    for (const line of lines) {
      repricings.push({
        contractId: contract.id,
        lineId: line.id,
        fromUnitPriceMinor: line.unitPriceMinor,
        toUnitPriceMinor: rise.newUnitPrice.amountMinor,
        currencyCode: contract.currencyCode,
        on: because.length > 0 ? protectedUntil : rise.effectiveOn,
      });
    }
  }
  return { protectedSubscribers, repricings };
}
