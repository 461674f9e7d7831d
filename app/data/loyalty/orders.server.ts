/**
 * Each order's convergent loyalty state (OrderPoints): the domain's OrderPointsState, what the order's ledger
 * rows sum to, and what it counts as spend for tiers (a trigger adds that to Customer.lifetimeSpendMinor).
 */
import type { OrderPointsState } from "~/domain/loyalty";
import type { Queryable } from "./queryable";

export interface OrderPointsRow {
  customerId: string | null;
  state: OrderPointsState;
  postedPoints: number;
  spendMinor: number;
  paidAt: Date | null;
  taxesIncluded: boolean | null;
}

type StoredState = Omit<OrderPointsState, "paid"> & { paid: (Omit<NonNullable<OrderPointsState["paid"]>, "availableAt"> & { availableAt: string }) | null };

function parseState(stored: StoredState): OrderPointsState {
  return { ...stored, paid: stored.paid && { ...stored.paid, availableAt: new Date(stored.paid.availableAt) } };
}

/** The order's customer as recorded, without locking (a refund learns its customer from the order). */
export async function orderCustomerId(db: Queryable, shopId: number, orderId: string): Promise<string | null> {
  const { rows } = await db.query<{ customerId: string | null }>(`select "customerId"::text as "customerId" from "OrderPoints" where "shopId" = $1 and "orderId" = $2`, [shopId, orderId]);
  return rows[0]?.customerId ?? null;
}

/** Inserts the order's row unless the order has one; true when it was inserted (the order's first news). */
export async function insertOrderPoints(tx: Queryable, shopId: number, orderId: string, row: OrderPointsRow): Promise<boolean> {
  return (await insertOrdersPoints(tx, shopId, [{ orderId, row }])).has(orderId);
}

/** insertOrderPoints for several orders (each once) in one statement; returns the orders it inserted. */
export async function insertOrdersPoints(tx: Queryable, shopId: number, orders: readonly { orderId: string; row: OrderPointsRow }[]): Promise<Set<string>> {
  const { rows } = await tx.query<{ orderId: string }>(
    `insert into "OrderPoints" ("shopId", "orderId", "customerId", state, "postedPoints", "spendMinor", "paidAt", "taxesIncluded")
     select $1, o.id, o."customerId", o.state::jsonb, o.posted, o.spend, o."paidAt", o."taxesIncluded"
       from unnest($2::text[], $3::bigint[], $4::text[], $5::int[], $6::bigint[], $7::timestamptz[], $8::boolean[])
            with ordinality as o(id, "customerId", state, posted, spend, "paidAt", "taxesIncluded", position)
      order by o.position
     on conflict ("shopId", "orderId") do nothing
     returning "orderId"`,
    [
      shopId,
      orders.map((o) => o.orderId),
      orders.map((o) => o.row.customerId),
      orders.map((o) => JSON.stringify(o.row.state)),
      orders.map((o) => o.row.postedPoints),
      orders.map((o) => o.row.spendMinor),
      orders.map((o) => o.row.paidAt),
      orders.map((o) => o.row.taxesIncluded),
    ],
  );
  return new Set(rows.map((row) => row.orderId));
}

/** The order's row, locked until commit; null when the order has none. */
export async function lockOrderPoints(tx: Queryable, shopId: number, orderId: string): Promise<OrderPointsRow | null> {
  const { rows } = await tx.query<Omit<OrderPointsRow, "state"> & { state: StoredState }>(
    `select "customerId"::text as "customerId", state, "postedPoints", "spendMinor"::float8 as "spendMinor", "paidAt", "taxesIncluded"
       from "OrderPoints" where "shopId" = $1 and "orderId" = $2 for update`,
    [shopId, orderId],
  );
  const row = rows[0];
  return row ? { ...row, state: parseState(row.state) } : null;
}

export async function saveOrderPoints(tx: Queryable, shopId: number, orderId: string, row: OrderPointsRow): Promise<void> {
  await tx.query(
    `update "OrderPoints" set "customerId" = $3, state = $4::jsonb, "postedPoints" = $5, "spendMinor" = $6, "paidAt" = $7, "taxesIncluded" = $8, "updatedAt" = now()
      where "shopId" = $1 and "orderId" = $2`,
    [shopId, orderId, row.customerId, JSON.stringify(row.state), row.postedPoints, row.spendMinor, row.paidAt, row.taxesIncluded],
  );
}

/** How many of the customer's other orders have been paid (a referral pays out on the friend's first). */
export async function countOtherPaidOrders(db: Queryable, shopId: number, customerId: string, orderId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from "OrderPoints" where "customerId" = $2 and "shopId" = $1 and "orderId" <> $3 and "paidAt" is not null`,
    [shopId, customerId, orderId],
  );
  return rows[0].n;
}
