/** A customer's balance, always summed from their ledger rows by the domain's rule (never read from a cache). */
import { findCustomerByShopifyId } from "~/data/loyalty/customers.server";
import { balanceEntries } from "~/data/loyalty/ledger.server";
import type { Queryable } from "~/data/loyalty/queryable";
import { pointsBalance, type PointsBalance } from "~/domain/loyalty";

/** By our customer id (inside a transaction that holds the customer's lock when the balance is checked). */
export async function balanceOf(db: Queryable, shopId: number, customerId: string, now: Date): Promise<PointsBalance> {
  return pointsBalance(await balanceEntries(db, shopId, customerId), now);
}

/** By Shopify customer id; null when the shop has no such customer. */
export async function customerBalance(input: { db: Queryable; shopId: number; customerId: string; now: Date }): Promise<PointsBalance | null> {
  const customer = await findCustomerByShopifyId(input.db, input.shopId, input.customerId);
  return customer && balanceOf(input.db, input.shopId, customer.id, input.now);
}
