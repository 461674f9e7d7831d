/** The CSV exports' rows, read in id order one batch at a time, so a large shop streams in bounded memory. */
import type { Database } from "../db.server";

export const EXPORT_BATCH = 2_000;

export const EXPORT_QUERIES = {
  customers: {
    columns: ["customer_id", "email", "first_name", "last_name", "points_balance", "tier", "lifetime_spend", "created_at"],
    sql: `select c.id::text as cursor, c."shopifyCustomerId" as customer_id, c.email, c."firstName" as first_name, c."lastName" as last_name,
                 c."pointsBalance" as points_balance, c."tierId" as tier, c."lifetimeSpendMinor"::text as lifetime_spend_minor, c."createdAt" as created_at
            from "Customer" c
           where c."shopId" = $1 and c."redactedAt" is null and c.id > $2
           order by c.id limit $3`,
  },
  ledger: {
    columns: ["entry_id", "customer_id", "email", "kind", "points", "occurred_at", "available_at", "order_id", "reason", "staff_user_id"],
    sql: `select l.id::text as cursor, l.id::text as entry_id, c."shopifyCustomerId" as customer_id, c.email, l.kind, l.points,
                 l."occurredAt" as occurred_at, l."availableAt" as available_at, l."orderId" as order_id, l.reason, l."staffUserId" as staff_user_id
            from "LedgerEntry" l join "Customer" c on c.id = l."customerId"
           where l."shopId" = $1 and l.id > $2
           order by l.id limit $3`,
  },
} as const;

export type ExportKind = keyof typeof EXPORT_QUERIES;

/** Rows after `cursor` (exclusive), at most EXPORT_BATCH; each row carries its own `cursor` for the next call. */
export async function exportBatch(database: Database, shopId: number, kind: ExportKind, cursor: string): Promise<Record<string, unknown>[]> {
  const { rows } = await database.pool.query(EXPORT_QUERIES[kind].sql, [shopId, cursor, EXPORT_BATCH]);
  return rows;
}
