/**
 * The bonus-points save offer on the loyalty ledger: one adjustment row keyed by the cancel attempt, posted the
 * loyalty engine's way (tier, activity and Flow events follow), so a retried acceptance credits once.
 */
import type { Database } from "~/data/db.server";
import { findCustomerByShopifyId } from "~/data/loyalty/customers.server";
import { adjustCustomerPoints } from "~/services/admin/adjustments.server";
import type { CreditPoints } from "./cancel-flow.server";

export function creditPointsOnLedger(database: Database): CreditPoints {
  return async ({ shopId, customerId, points, idempotencyKey, now }) => {
    const customer = await findCustomerByShopifyId(database.pool, shopId, customerId);
    if (!customer || customer.redactedAt) return false;
    const result = await adjustCustomerPoints({
      database,
      shopId,
      customerId: String(customer.id),
      points,
      reason: "Bonus points for staying subscribed",
      staffUserId: null,
      submissionId: idempotencyKey,
      now,
    });
    return result.ok;
  };
}
