/**
 * Inactivity expiry, run daily (docs/decisions/020-loyalty-ledger.md §7): customers inactive for long enough get
 * the "points about to expire" Flow event, and once the full notice has passed, an expiry row for their whole
 * spendable balance under a key of their inactivity period (so it is posted once).
 */
import { addDays } from "date-fns";
import { inTransaction, type Database } from "~/data/db.server";
import { expiryCandidates, lockCustomers, saveExpiryReminder } from "~/data/loyalty/customers.server";
import { insertLoyaltyEvents } from "~/data/loyalty/events.server";
import { checkExpiry, expiryEntryKey } from "~/domain/loyalty";
import { balanceOf } from "./balance.server";
import { postEntries } from "./posting.server";
import { loadProgram } from "./program.server";

const EXPIRY_PAGE = 200;

export async function runExpiry(input: { db: Database; shopId: number; now: Date }): Promise<{ reminded: number; expired: number; points: number }> {
  const outcome = { reminded: 0, expired: 0, points: 0 };
  const program = await loadProgram(input.db.pool, input.shopId);
  const expiry = program.settings.expiry;
  if (!program.settings.enabled || !expiry.enabled) return outcome;
  // Nobody active more recently than this can be due for a reminder or an expiry.
  const inactiveSince = addDays(input.now, -(expiry.afterInactiveDays - expiry.reminderDaysBefore));
  let after = "0";
  for (;;) {
    const ids = await expiryCandidates(input.db.pool, input.shopId, inactiveSince, after, EXPIRY_PAGE);
    if (ids.length === 0) return outcome;
    after = ids[ids.length - 1];
    await inTransaction(input.db.pool, async (tx) => {
      for (const customer of await lockCustomers(tx, input.shopId, ids)) {
        const balance = await balanceOf(tx, input.shopId, customer.id, input.now);
        const check = checkExpiry({ lastActivityAt: customer.lastActivityAt, balance, lastReminderAt: customer.lastExpiryReminderAt }, expiry, input.now);
        if (check?.reminderDue) {
          await saveExpiryReminder(tx, customer.id, input.now);
          await insertLoyaltyEvents(tx, input.shopId, [
            { kind: "points_expiring", customerId: customer.id, payload: { points: check.points, expiresAt: check.expiresAt.toISOString() } },
          ]);
          outcome.reminded += 1;
        }
        if (check?.expiryDue) {
          const { posted } = await postEntries(tx, program, customer, [
            { customerId: customer.id, kind: "expiry", points: -check.points, availableAt: input.now, occurredAt: input.now, idempotencyKey: expiryEntryKey(customer.id, check.dueAt) },
          ], input.now);
          if (posted.length > 0) {
            outcome.expired += 1;
            outcome.points += check.points;
          }
        }
      }
    });
  }
}
