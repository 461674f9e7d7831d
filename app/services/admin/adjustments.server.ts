/**
 * A staff member's manual adjustment of a customer's points: one `adjustment` ledger row with the reason and
 * who made it, posted through the loyalty engine's posting (tier, activity and Flow events follow). Keyed by the
 * form's token (`adjustment:<token>`), so a double submit posts once. Taking points away may not go below the
 * spendable balance.
 */
import { inTransaction, type Database } from "~/data/db.server";
import { canPostEntry } from "~/domain/loyalty";
import { lockCustomer } from "~/data/loyalty/customers.server";
import { ledgerKeyExists } from "~/data/loyalty/ledger.server";
import { balanceOf } from "~/services/loyalty/balance.server";
import { postEntries } from "~/services/loyalty/posting.server";
import { loadProgram } from "~/services/loyalty/program.server";

export type AdjustmentResult = { ok: true; posted: boolean; balance: number } | { ok: false; message: string };

export async function adjustCustomerPoints(input: {
  database: Database;
  shopId: number;
  customerId: string;
  points: number;
  reason: string;
  staffUserId: string | null;
  submissionId: string;
  now: Date;
}): Promise<AdjustmentResult> {
  if (!/^\d{1,18}$/.test(input.customerId)) return { ok: false, message: "This customer does not exist" };
  return inTransaction(input.database.pool, async (tx) => {
    const customer = await lockCustomer(tx, input.shopId, input.customerId);
    if (!customer || customer.redactedAt) return { ok: false, message: "This customer does not exist" };
    const key = `adjustment:${input.submissionId}`;
    if (input.points < 0) {
      const balance = await balanceOf(tx, input.shopId, customer.id, input.now);
      if (!(await ledgerKeyExists(tx, input.shopId, key)) && !canPostEntry(balance, "adjustment", input.points)) {
        return { ok: false, message: `The customer has ${balance.available.toLocaleString("en-US")} points to take away` };
      }
    }
    const program = await loadProgram(tx, input.shopId);
    const posting = await postEntries(
      tx,
      program,
      customer,
      [{ customerId: customer.id, kind: "adjustment", points: input.points, availableAt: input.now, occurredAt: input.now, idempotencyKey: key, reason: input.reason, staffUserId: input.staffUserId }],
      input.now,
    );
    return { ok: true, posted: posting.posted.length === 1, balance: posting.balance };
  });
}
