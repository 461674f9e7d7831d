/**
 * Posting an import's rows through the loyalty ledger: per customer, locked, as `import` entries under the
 * rows' keys, with the customer's tier and Flow events following as for any other points (postEntries). A
 * negative row may not take the spendable balance below zero (the domain's rule for every debit but
 * claw-backs); rows already in the ledger are skipped before that check, so a re-import reports nothing new.
 */
import type { RowError } from "~/domain/import";
import { canPostEntry, pointsBalance } from "~/domain/loyalty";
import { existingLedgerKeys } from "~/data/admin/customers.server";
import { inTransaction, type Database } from "~/data/db.server";
import { lockCustomers } from "~/data/loyalty/customers.server";
import { balanceEntries, type NewLedgerEntry } from "~/data/loyalty/ledger.server";
import { postEntries } from "~/services/loyalty/posting.server";
import { loadProgram } from "~/services/loyalty/program.server";

export interface ImportEntry {
  line: number;
  /** Our customer id. */
  customerId: string;
  points: number;
  occurredAt: Date | null;
  reason: string | null;
  idempotencyKey: string;
}

export async function postImportEntries(
  database: Database,
  shopId: number,
  entries: ImportEntry[],
  context: { staffUserId: string | null; now: Date },
): Promise<{ posted: number; refused: RowError[] }> {
  if (entries.length === 0) return { posted: 0, refused: [] };
  return inTransaction(database.pool, async (tx) => {
    const program = await loadProgram(tx, shopId);
    const existing = await existingLedgerKeys(tx, shopId, entries.map((entry) => entry.idempotencyKey));
    const fresh = entries.filter((entry) => !existing.has(entry.idempotencyKey));
    const customers = await lockCustomers(tx, shopId, [...new Set(fresh.map((entry) => entry.customerId))]);
    const refused: RowError[] = [];
    let posted = 0;
    for (const customer of customers) {
      const own = fresh.filter((entry) => entry.customerId === customer.id);
      const balance = own.some((entry) => entry.points < 0) ? pointsBalance(await balanceEntries(tx, shopId, customer.id), context.now) : null;
      const accepted: NewLedgerEntry[] = [];
      for (const entry of own) {
        if (balance && entry.points < 0) {
          if (!canPostEntry(balance, "import", entry.points)) {
            refused.push({ line: entry.line, column: "points", message: `Would take the balance (${balance.available}) below zero` });
            continue;
          }
        }
        if (balance) balance.available += entry.points;
        accepted.push({
          customerId: customer.id,
          kind: "import",
          points: entry.points,
          availableAt: context.now,
          occurredAt: entry.occurredAt ?? context.now,
          idempotencyKey: entry.idempotencyKey,
          reason: entry.reason,
          staffUserId: context.staffUserId,
        });
      }
      posted += (await postEntries(tx, program, customer, accepted, context.now)).posted.length;
    }
    return { posted, refused };
  });
}
