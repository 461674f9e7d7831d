/** Shared by the churn radar's integration tests: shops, order facts, and the CDNOW replay loaded as order facts. */
import type pg from "pg";
import { shopIdFor } from "~/data/shops.server";
import { cdnowOrders, readCdnowPurchases } from "../../../scripts/lib/cdnow";

/**
 * The demo replays CDNOW with its dates shifted so the last purchase is the day before `now`. With `now` the
 * day after CDNOW's last purchase (1998-06-30) the shift is zero, so every order keeps its real UTC day.
 */
export const CDNOW_NOW = new Date("1998-07-01T00:00:00Z");

export interface TestOrder {
  orderId: string;
  customerId: string;
  orderedAt: Date;
  amountMinor: number;
  cancelledAt?: Date | null;
  discountMinor?: number;
  discountCodes?: string[];
}

export async function createShop(pool: pg.Pool, domain: string): Promise<number> {
  return shopIdFor(pool, domain);
}

/** Inserts order facts as the churn handler stores them, 10,000 rows per statement. */
export async function insertOrderFacts(pool: pg.Pool, shopId: number, orders: readonly TestOrder[]): Promise<void> {
  for (let start = 0; start < orders.length; start += 10_000) {
    const chunk = orders.slice(start, start + 10_000);
    await pool.query(
      `insert into "CustomerOrder" ("shopId", "orderId", "customerId", "orderedAt", "amountMinor", "currencyCode", "discountMinor", "discountCodes", "cancelledAt")
       select $1, o.id, o.customer, o.at, o.amount, 'USD', o.discount, array(select jsonb_array_elements_text(o.codes::jsonb)), o.cancelled
         from unnest($2::text[], $3::text[], $4::timestamptz[], $5::int[], $6::int[], $7::text[], $8::timestamptz[]) as o(id, customer, at, amount, discount, codes, cancelled)`,
      [
        shopId,
        chunk.map((o) => o.orderId),
        chunk.map((o) => o.customerId),
        chunk.map((o) => o.orderedAt),
        chunk.map((o) => o.amountMinor),
        chunk.map((o) => o.discountMinor ?? 0),
        chunk.map((o) => JSON.stringify(o.discountCodes ?? [])),
        chunk.map((o) => o.cancelledAt ?? null),
      ],
    );
  }
}

/** The CDNOW replay's orders (scripts/lib/cdnow.ts, as the demo sends them) as order facts. */
export function cdnowReplayOrders(): TestOrder[] {
  return cdnowOrders(readCdnowPurchases(), CDNOW_NOW).map((order) => ({
    orderId: String(order.orderId),
    customerId: String(order.customerId),
    orderedAt: order.createdAt,
    amountMinor: order.subtotalMinor,
  }));
}
