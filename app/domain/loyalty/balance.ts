/**
 * Why a ledger row exists. Every change of a balance is one append-only row of one of these kinds.
 * order_*: an order's points (award, refund claw-back, cancel reversal); action: sign-up, birthday,
 * review, referral, social follow, survey; redemption and its reversal when Shopify refused the code.
 */
export const LEDGER_ENTRY_KINDS = [
  "order_earn",
  "order_refund",
  "order_cancel",
  "action",
  "redemption",
  "redemption_reversal",
  "expiry",
  "adjustment",
  "import",
] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/** Claw-backs take back points that may already be spent, so only they can push a balance below zero. */
const MAY_OVERDRAW: ReadonlySet<LedgerEntryKind> = new Set(["order_refund", "order_cancel"]);

/** Rows a customer causes by shopping or taking part; the last one restarts the inactivity clock for expiry. */
export const ACTIVITY_KINDS: readonly LedgerEntryKind[] = ["order_earn", "action", "redemption"];

export type LedgerEntry = { kind: LedgerEntryKind; points: number; availableAt: Date };

/** available: spendable now (may be negative after a claw-back); pending: shown, not yet spendable. */
export type PointsBalance = { available: number; pending: number };

/** The balance is always derived from the ledger rows, never kept on its own. */
export function pointsBalance(entries: readonly LedgerEntry[], now: Date): PointsBalance {
  let available = 0;
  let pending = 0;
  for (const entry of entries) {
    if (entry.availableAt <= now) available += entry.points;
    else pending += entry.points;
  }
  return { available, pending };
}

/** Whether a row of `points` may be added: any credit, a claw-back always, any other debit only if covered. */
export function canPostEntry(balance: PointsBalance, kind: LedgerEntryKind, points: number): boolean {
  if (!Number.isSafeInteger(points)) return false;
  return points >= 0 || MAY_OVERDRAW.has(kind) || balance.available + points >= 0;
}

/** Whether a reward costing `cost` points can be redeemed from this balance. */
export function canRedeem(balance: PointsBalance, cost: number): boolean {
  return cost > 0 && canPostEntry(balance, "redemption", -cost);
}
