/**
 * The one way points reach the ledger: rows for one customer whose row the caller has locked, then what follows
 * from them in the same transaction — the customer's last activity (for expiry), their tier (recomputed on every
 * ledger change) and the Flow events.
 */
import { appendLedgerEntries, type NewLedgerEntry } from "~/data/loyalty/ledger.server";
import { recordCustomerStandings, type LoyaltyCustomer, type StandingChange } from "~/data/loyalty/customers.server";
import type { Queryable } from "~/data/loyalty/queryable";
import { ACTIVITY_KINDS, canPostEntry, type LedgerEntryKind } from "~/domain/loyalty";
import type { LoyaltyEvent } from "~/shopify/flow/triggers";
import type { LoadedProgram } from "./program.server";
import { assignTiers } from "./tiers.server";

/**
 * When a spend (redemption, expiry, a negative adjustment or import) counts against the spendable balance: at
 * once for every reader, whatever their clock says. With `availableAt = now`, a redemption checked under the
 * customer's lock a millisecond "earlier" (another request's clock) would see the previous one as pending and
 * spend the same points twice. Claw-backs keep theirs: they offset the order's own points where those are.
 */
export const SPENDS_COUNT_FROM = new Date(0);

const isClawBack = (kind: LedgerEntryKind) => canPostEntry({ available: 0, pending: 0 }, kind, -1);

/** Kinds whose positive rows are "points earned" for the Flow trigger. */
const EARNING_KINDS: ReadonlySet<LedgerEntryKind> = new Set(["order_earn", "action", "import"]);

export interface Posting {
  /** The rows that were new (a row whose key was already in the ledger is skipped). */
  posted: NewLedgerEntry[];
  /** The customer's total points (available and pending) after the rows. */
  balance: number;
}

/**
 * Appends the rows for `customer` (locked by the caller), then updates their activity and tier and records the
 * Flow events. `standingChanged` recomputes the tier even without new rows (an order's spend changed).
 */
export async function postEntries(
  tx: Queryable,
  program: LoadedProgram,
  customer: LoyaltyCustomer,
  entries: readonly NewLedgerEntry[],
  now: Date,
  options: { standingChanged?: boolean; extraEvents?: LoyaltyEvent[] } = {},
): Promise<Posting> {
  return (await postEntriesForCustomers(tx, program, [{ customer, entries, ...options }], now))[0];
}

/** One customer's part of postEntriesForCustomers: postEntries' arguments. */
export interface CustomerPosting {
  customer: LoyaltyCustomer;
  entries: readonly NewLedgerEntry[];
  standingChanged?: boolean;
  extraEvents?: LoyaltyEvent[];
}

/**
 * postEntries for several customers (each once, all locked by the caller) with one statement per table: a batch
 * of webhooks ends exactly as if each customer's rows had been posted alone.
 */
export async function postEntriesForCustomers(tx: Queryable, program: LoadedProgram, postings: readonly CustomerPosting[], now: Date): Promise<Posting[]> {
  const effective = postings.map(({ entries }) =>
    entries.map((entry) => (entry.points < 0 && !isClawBack(entry.kind) ? { ...entry, availableAt: SPENDS_COUNT_FROM } : entry)),
  );
  const inserted = await appendLedgerEntries(tx, program.shopId, effective.flat());
  // A key given twice is inserted once: only its first row counts as posted.
  const results = postings.map(({ customer }, i): Posting => {
    const posted = effective[i].filter((entry) => inserted.delete(entry.idempotencyKey));
    return { posted, balance: posted.reduce((sum, entry) => sum + entry.points, customer.pointsBalance) };
  });
  const moved = postings.flatMap((posting, i) => (results[i].posted.length > 0 || posting.standingChanged || posting.extraEvents?.length ? [{ posting, result: results[i] }] : []));
  if (moved.length === 0) return results;

  const tiers = await assignTiers(tx, program, moved.map(({ posting }) => posting.customer), now);
  const changes: StandingChange[] = moved.map(({ posting: { customer, extraEvents }, result: { posted, balance } }) => {
    let lastActivityAt = customer.lastActivityAt;
    for (const entry of posted) {
      if (ACTIVITY_KINDS.includes(entry.kind) && (lastActivityAt === null || entry.occurredAt > lastActivityAt)) lastActivityAt = entry.occurredAt;
    }
    const tier = tiers.get(customer.id)!;
    const changed = tier.tierId !== customer.tierId || tier.tierSince?.getTime() !== customer.tierSince?.getTime() || lastActivityAt !== customer.lastActivityAt;
    const events: LoyaltyEvent[] = [...(extraEvents ?? [])];
    for (const entry of posted) {
      if (entry.points > 0 && EARNING_KINDS.has(entry.kind)) {
        events.push({ kind: "points_earned", customerId: customer.id, payload: { points: entry.points, balance, reason: entry.action ?? entry.kind, orderId: entry.orderId ?? null } });
      }
    }
    if (tier.event) events.push(tier.event);
    Object.assign(customer, { tierId: tier.tierId, tierSince: tier.tierSince, lastActivityAt, pointsBalance: balance });
    return { customerId: customer.id, standing: changed ? { tierId: tier.tierId, tierSince: tier.tierSince, lastActivityAt } : null, events };
  });
  await recordCustomerStandings(tx, program.shopId, changes);
  return results;
}
