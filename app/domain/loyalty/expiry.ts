import type { PointsBalance } from "./balance";
import { addDays } from "./dates";
import type { ExpirySettings } from "./settings";

export type ExpiryCheck = {
  /** End of the inactivity period; identifies it, so it keys the reminder and the expiry row. */
  dueAt: Date;
  /** When the points actually expire: never sooner than the full reminder notice after the reminder. */
  expiresAt: Date;
  /** Send the "points about to expire" reminder now (once per inactivity period). */
  reminderDue: boolean;
  /** Post the expiry row now. */
  expiryDue: boolean;
  /** What expires: the whole positive spendable balance. */
  points: number;
};

/**
 * Where a customer stands with inactivity expiry, or null when nothing can expire (expiry off, no
 * activity yet, nothing positive to expire). `lastReminderAt` is when the last reminder was sent.
 * A customer is never expired without the full notice: when the reminder goes out late (the job
 * missed a day, or expiry was just switched on for long-inactive customers), expiry moves back with it.
 */
export function checkExpiry(
  customer: { lastActivityAt: Date | null; balance: PointsBalance; lastReminderAt: Date | null },
  expiry: ExpirySettings,
  now: Date
): ExpiryCheck | null {
  if (!expiry.enabled || customer.lastActivityAt === null || customer.balance.available <= 0) return null;
  const points = customer.balance.available;
  const dueAt = addDays(customer.lastActivityAt, expiry.afterInactiveDays);
  const notice = expiry.reminderDaysBefore;
  if (notice === 0) return { dueAt, expiresAt: dueAt, reminderDue: false, expiryDue: now >= dueAt, points };

  const reminderAt = addDays(dueAt, -notice);
  const reminderSentAt = customer.lastReminderAt !== null && customer.lastReminderAt >= reminderAt ? customer.lastReminderAt : null;
  if (reminderSentAt === null) {
    const reminderDue = now >= reminderAt;
    const expiresAt = reminderDue ? latest(dueAt, addDays(now, notice)) : dueAt;
    return { dueAt, expiresAt, reminderDue, expiryDue: false, points };
  }
  const expiresAt = latest(dueAt, addDays(reminderSentAt, notice));
  return { dueAt, expiresAt, reminderDue: false, expiryDue: now >= expiresAt, points };
}

function latest(a: Date, b: Date): Date {
  return a >= b ? a : b;
}

/** Idempotency key of the expiry row for one customer's inactivity period. */
export function expiryEntryKey(customerId: string, dueAt: Date): string {
  return `expiry:${customerId}:${dueAt.toISOString()}`;
}
