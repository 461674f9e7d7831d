import type { LedgerEntryKind } from "./balance";
import { addDays, oneYearBefore } from "./dates";
import { BASE_MULTIPLIER_BPS } from "./earning";
import type { Tier, TierPerks, TierRules } from "./settings";

/** Rows whose points count as "points earned" for tiers: what orders and actions earned, net of claw-backs. */
export const POINTS_EARNED_KINDS: readonly LedgerEntryKind[] = ["order_earn", "order_refund", "order_cancel", "action"];

/**
 * What a customer has done, in both windows and on both bases, so a rule change (including a switch of
 * basis or window) can be judged without another query. Spend is the earning base net of refunds.
 */
export type TierStanding = {
  spendMinor: { rolling12Months: number; lifetime: number };
  pointsEarned: { rolling12Months: number; lifetime: number };
};

/** Start of the rolling window at `now`: activity at or after it counts for rolling_12_months. */
export function rollingWindowStart(now: Date): Date {
  return oneYearBefore(now);
}

/** The amount the rules compare with the thresholds. */
export function qualifyingAmount(standing: TierStanding, rules: TierRules): number {
  const totals = rules.basis === "spend" ? standing.spendMinor : standing.pointsEarned;
  return rules.window === "lifetime" ? totals.lifetime : totals.rolling12Months;
}

/** The highest tier whose threshold the standing reaches, or null below the first. */
export function qualifiedTier(standing: TierStanding, rules: TierRules): Tier | null {
  const amount = qualifyingAmount(standing, rules);
  let reached: Tier | null = null;
  for (const tier of rules.levels) if (amount >= tier.threshold) reached = tier;
  return reached;
}

/** 1 for the lowest tier, 0 for none; -1 for a tier the rules no longer have. */
function level(tierId: string | null, rules: TierRules): number {
  return tierId === null ? 0 : rules.levels.findIndex((t) => t.id === tierId) + 1 || -1;
}

function findTier(tierId: string | null, rules: TierRules): Tier | null {
  return rules.levels.find((t) => t.id === tierId) ?? null;
}

export function tierPerks(tierId: string | null, rules: TierRules): TierPerks | null {
  return findTier(tierId, rules)?.perks ?? null;
}

/** The customer's earning multiplier: their tier's, or 1× without a tier. */
export function tierMultiplierBps(tierId: string | null, rules: TierRules): number {
  return tierPerks(tierId, rules)?.multiplierBps ?? BASE_MULTIPLIER_BPS;
}

/** A customer's tier and when they last earned it (reached it, or qualified for it again). */
export type TierAssignment = { tierId: string; since: Date } | null;
export type TierChange = "up" | "down" | "none";

/**
 * The tier a customer should hold now. Moving up is immediate. Qualifying for the current tier (or
 * better) again restarts `since`. Moving down waits until `retentionDays` after `since`, then drops
 * straight to the tier the customer qualifies for. A tier deleted from the rules is left at once, as a
 * move down.
 */
export function nextTierAssignment(
  current: TierAssignment,
  standing: TierStanding,
  rules: TierRules,
  now: Date
): { assignment: TierAssignment; change: TierChange } {
  const qualified = qualifiedTier(standing, rules);
  const qualifiedLevel = level(qualified?.id ?? null, rules);
  const currentLevel = level(current?.tierId ?? null, rules);
  const assignment: TierAssignment = qualified ? { tierId: qualified.id, since: now } : null;
  if (currentLevel < 0) return { assignment, change: "down" };
  if (qualifiedLevel > currentLevel) return { assignment, change: "up" };
  if (qualifiedLevel === currentLevel) return { assignment, change: "none" };
  if (current && now < addDays(current.since, rules.retentionDays)) return { assignment: current, change: "none" };
  return { assignment, change: "down" };
}

export type TierChangePreview = {
  movingUp: number;
  movingDown: number;
  unchanged: number;
  /** One row for "no tier" (tierId null) and one per tier of the new rules, lowest first. */
  byTier: { tierId: string | null; name: string | null; before: number; after: number; movingUp: number; movingDown: number }[];
};

/**
 * For the admin's "before saving" preview: how many customers the new rules would place in each tier
 * compared with the old rules, and how many move up or down into it. A move is judged by the tiers'
 * order in the new rules (so adding a tier below Silver does not move Silver members); a tier the new
 * rules drop is judged by its old position. Downgrades shown here still wait for the retention period.
 */
export function previewTierChanges(standings: readonly TierStanding[], oldRules: TierRules, newRules: TierRules): TierChangePreview {
  const byTier = [null, ...newRules.levels].map((tier) => ({
    tierId: tier?.id ?? null,
    name: tier?.name ?? null,
    before: 0,
    after: 0,
    movingUp: 0,
    movingDown: 0,
  }));
  const rowOf = (tierId: string | null) => byTier.find((row) => row.tierId === tierId);
  const preview: TierChangePreview = { movingUp: 0, movingDown: 0, unchanged: 0, byTier };
  for (const standing of standings) {
    const before = qualifiedTier(standing, oldRules)?.id ?? null;
    const after = qualifiedTier(standing, newRules)?.id ?? null;
    const beforeRow = rowOf(before);
    if (beforeRow) beforeRow.before += 1;
    const afterRow = rowOf(after)!;
    afterRow.after += 1;
    const beforeLevel = level(before, newRules) >= 0 ? level(before, newRules) : level(before, oldRules);
    const move = level(after, newRules) - beforeLevel;
    if (move > 0) {
      preview.movingUp += 1;
      afterRow.movingUp += 1;
    } else if (move < 0) {
      preview.movingDown += 1;
      afterRow.movingDown += 1;
    } else {
      preview.unchanged += 1;
    }
  }
  return preview;
}

/**
 * Tiers kept by a rule change under a new name: their members' `loyalty.tier` metafield (which carries the name,
 * for themes and emails) must be sent again, though their tier did not change.
 */
export function renamedTiers(before: TierRules, after: TierRules): string[] {
  return after.levels.filter((tier) => before.levels.some((old) => old.id === tier.id && old.name !== tier.name)).map((tier) => tier.id);
}
