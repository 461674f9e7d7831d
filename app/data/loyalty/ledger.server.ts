/**
 * The append-only points ledger. Rows are only ever inserted (a trigger refuses updates and deletes), each
 * under an idempotency key unique per shop, so a repeated cause inserts nothing. The same trigger keeps
 * Customer.pointsBalance equal to the sum of the customer's rows.
 */
import type { EarningAction, LedgerEntry, LedgerEntryKind } from "~/domain/loyalty";
import type { Queryable } from "./queryable";

export interface NewLedgerEntry {
  customerId: string;
  kind: LedgerEntryKind;
  points: number;
  availableAt: Date;
  occurredAt: Date;
  idempotencyKey: string;
  orderId?: string | null;
  action?: EarningAction | null;
  reason?: string | null;
  staffUserId?: string | null;
}

/** Inserts the rows whose keys are not in the ledger yet, in one statement; returns the keys it inserted. */
export async function appendLedgerEntries(tx: Queryable, shopId: number, entries: readonly NewLedgerEntry[]): Promise<Set<string>> {
  if (entries.length === 0) return new Set();
  const column = <T>(pick: (entry: NewLedgerEntry) => T) => entries.map(pick);
  const { rows } = await tx.query<{ idempotencyKey: string }>(
    `insert into "LedgerEntry" ("shopId", "customerId", kind, points, "availableAt", "occurredAt", "idempotencyKey", "orderId", action, reason, "staffUserId")
     select $1, e."customerId", e.kind::"LedgerEntryKind", e.points, e."availableAt", e."occurredAt", e.key, e."orderId", e.action, e.reason, e."staffUserId"
       from unnest($2::bigint[], $3::text[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
            with ordinality as e("customerId", kind, points, "availableAt", "occurredAt", key, "orderId", action, reason, "staffUserId", position)
      order by e.position
     on conflict ("shopId", "idempotencyKey") do nothing
     returning "idempotencyKey"`,
    [
      shopId,
      column((e) => e.customerId),
      column((e) => e.kind),
      column((e) => e.points),
      column((e) => e.availableAt),
      column((e) => e.occurredAt),
      column((e) => e.idempotencyKey),
      column((e) => e.orderId ?? null),
      column((e) => e.action ?? null),
      column((e) => e.reason ?? null),
      column((e) => e.staffUserId ?? null),
    ],
  );
  return new Set(rows.map((row) => row.idempotencyKey));
}

/** The rows that make up a customer's balance (the domain's pointsBalance sums them). */
export async function balanceEntries(db: Queryable, shopId: number, customerId: string): Promise<LedgerEntry[]> {
  const { rows } = await db.query<LedgerEntry>(balanceEntriesQuery({ shopId: "$1", customerId: "$2" }), [shopId, customerId]);
  return rows;
}

/** The select behind balanceEntries, its shop and customer given as SQL expressions (parameters or columns). */
export function balanceEntriesQuery(sql: { shopId: string; customerId: string }): string {
  return `select kind, points, "availableAt" from "LedgerEntry" where "customerId" = ${sql.customerId} and "shopId" = ${sql.shopId}`;
}

export async function ledgerKeyExists(db: Queryable, shopId: number, idempotencyKey: string): Promise<boolean> {
  const { rows } = await db.query(`select 1 from "LedgerEntry" where "shopId" = $1 and "idempotencyKey" = $2`, [shopId, idempotencyKey]);
  return rows.length > 0;
}

/** How many times the customer has been awarded for an action (its per-customer cap). */
export async function countActionAwards(db: Queryable, shopId: number, customerId: string, action: EarningAction): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from "LedgerEntry" where "customerId" = $2 and "shopId" = $1 and kind = 'action' and action = $3`,
    [shopId, customerId, action],
  );
  return rows[0].n;
}

export interface LedgerHistoryRow {
  id: string;
  kind: LedgerEntryKind;
  points: number;
  availableAt: Date;
  occurredAt: Date;
  orderId: string | null;
  action: EarningAction | null;
  reason: string | null;
  staffUserId: string | null;
  createdAt: Date;
}

/** The customer's rows, newest first, `limit` at a time; `beforeId` continues from the last row of a page. */
export async function ledgerHistory(db: Queryable, shopId: number, customerId: string, page: { limit: number; beforeId?: string | null }): Promise<LedgerHistoryRow[]> {
  const { rows } = await db.query<LedgerHistoryRow>(ledgerHistoryQuery({ shopId: "$1", customerId: "$2", beforeId: "$3", limit: "$4" }), [
    shopId,
    customerId,
    page.beforeId ?? null,
    page.limit,
  ]);
  return rows;
}

/** The select behind ledgerHistory, its inputs given as SQL expressions. */
export function ledgerHistoryQuery(sql: { shopId: string; customerId: string; beforeId: string; limit: string }): string {
  return `select id::text as id, kind, points, "availableAt", "occurredAt", "orderId", action, reason, "staffUserId", "createdAt"
       from "LedgerEntry"
      where "customerId" = ${sql.customerId} and "shopId" = ${sql.shopId} and (${sql.beforeId}::bigint is null or id < ${sql.beforeId}::bigint)
      order by "LedgerEntry".id desc limit ${sql.limit}`;
}

/** The earliest moment after `now` when some of the customer's pending points become available, or null. */
export async function nextPendingRelease(db: Queryable, shopId: number, customerId: string, now: Date): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(
    `select min("availableAt") as at from "LedgerEntry" where "customerId" = $2 and "shopId" = $1 and "availableAt" > $3`,
    [shopId, customerId, now],
  );
  return rows[0].at;
}
