/**
 * Each order's convergent loyalty state (OrderPoints): the domain's OrderPointsState, what the order's ledger
 * rows sum to, and what it counts as spend for tiers (a trigger adds that to Customer.lifetimeSpendMinor).
 */
import { NEW_ORDER_POINTS, type OrderPointsState } from "~/domain/loyalty";
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

/** The order's row, created empty when this is the first event seen for it, locked until commit. */
export async function lockOrderPoints(tx: Queryable, shopId: number, orderId: string): Promise<OrderPointsRow> {
  const { rows } = await tx.query<Omit<OrderPointsRow, "state"> & { state: StoredState }>(
    `insert into "OrderPoints" as o ("shopId", "orderId", state) values ($1, $2, $3::jsonb)
     on conflict ("shopId", "orderId") do update set "orderId" = o."orderId"
     returning "customerId"::text as "customerId", state, "postedPoints", "spendMinor"::float8 as "spendMinor", "paidAt", "taxesIncluded"`,
    [shopId, orderId, JSON.stringify(NEW_ORDER_POINTS)],
  );
  const row = rows[0];
  return { ...row, state: parseState(row.state) };
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
