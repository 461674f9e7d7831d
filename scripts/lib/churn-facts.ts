/**
 * Order facts as the churn radar's handler stores them, written in bulk: the CDNOW replay for tests and benchmarks
 * (the demo sends the same orders as webhooks; with `now` the day after CDNOW's last purchase, every order keeps
 * its real UTC day).
 */
import type pg from "pg";
import { cdnowOrders, readCdnowPurchases } from "./cdnow";

export const CDNOW_NOW = new Date("1998-07-01T00:00:00Z");

export interface OrderFactRow {
  orderId: string;
  customerId: string;
  orderedAt: Date;
  amountMinor: number;
  cancelledAt?: Date | null;
  discountMinor?: number;
  discountCodes?: string[];
}

/** 10,000 rows per statement. */
export async function insertOrderFacts(pool: pg.Pool, shopId: number, orders: readonly OrderFactRow[]): Promise<void> {
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
export function cdnowReplayOrders(now = CDNOW_NOW): OrderFactRow[] {
  return cdnowOrders(readCdnowPurchases(), now).map((order) => ({
    orderId: String(order.orderId),
    customerId: String(order.customerId),
    orderedAt: order.createdAt,
    amountMinor: order.subtotalMinor,
  }));
}
