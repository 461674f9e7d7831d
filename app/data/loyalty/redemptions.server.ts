/** Redemptions: created pending with their ledger row, then issued (Shopify accepted) or reversed. */
import type { Queryable } from "./queryable";

export type RedemptionStatus = "pending" | "issued" | "reversed";

export interface RedemptionRow {
  id: string;
  customerId: string;
  rewardId: number;
  rewardSnapshot: unknown;
  pointsCost: number;
  status: RedemptionStatus;
  code: string | null;
  shopifyDiscountId: string | null;
  creditedMinor: number | null;
  currencyCode: string;
  expiresAt: Date | null;
  failure: string | null;
  createdAt: Date;
  issuedAt: Date | null;
}

const COLUMNS = `id::text as id, "customerId"::text as "customerId", "rewardId", "rewardSnapshot", "pointsCost", status, code,
  "shopifyDiscountId", "creditedMinor", "currencyCode", "expiresAt", failure, "createdAt", "issuedAt"`;

export interface NewRedemption {
  customerId: string;
  rewardId: number;
  rewardSnapshot: unknown;
  pointsCost: number;
  requestKey: string;
  code: string | null;
  creditedMinor: number | null;
  currencyCode: string;
  expiresAt: Date | null;
  createdAt: Date;
}

/** The new redemption's id, or null when this request key was used already. */
export async function insertRedemption(tx: Queryable, shopId: number, redemption: NewRedemption): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>(
    `insert into "Redemption" ("shopId", "customerId", "rewardId", "rewardSnapshot", "pointsCost", "requestKey", code, "creditedMinor", "currencyCode", "expiresAt", "createdAt")
     values ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11)
     on conflict ("shopId", "requestKey") do nothing returning id::text as id`,
    [
      shopId,
      redemption.customerId,
      redemption.rewardId,
      JSON.stringify(redemption.rewardSnapshot),
      redemption.pointsCost,
      redemption.requestKey,
      redemption.code,
      redemption.creditedMinor,
      redemption.currencyCode,
      redemption.expiresAt,
      redemption.createdAt,
    ],
  );
  return rows[0]?.id ?? null;
}

export async function findRedemptionByRequestKey(db: Queryable, shopId: number, requestKey: string): Promise<RedemptionRow | null> {
  const { rows } = await db.query<RedemptionRow>(`select ${COLUMNS} from "Redemption" where "shopId" = $1 and "requestKey" = $2`, [shopId, requestKey]);
  return rows[0] ?? null;
}

/** Locks a redemption while it is being settled; null when it is no longer pending. */
export async function lockPendingRedemption(tx: Queryable, shopId: number, id: string): Promise<RedemptionRow | null> {
  const { rows } = await tx.query<RedemptionRow>(`select ${COLUMNS} from "Redemption" where "shopId" = $1 and id = $2 and status = 'pending' for update`, [shopId, id]);
  return rows[0] ?? null;
}

/** A fresh code after Shopify said the drawn one is taken by another discount. */
export async function replaceRedemptionCode(db: Queryable, shopId: number, id: string, code: string): Promise<void> {
  await db.query(`update "Redemption" set code = $3 where "shopId" = $1 and id = $2 and status = 'pending'`, [shopId, id, code]);
}

export async function markRedemptionIssued(tx: Queryable, shopId: number, id: string, shopifyDiscountId: string | null, at: Date): Promise<void> {
  await tx.query(`update "Redemption" set status = 'issued', "shopifyDiscountId" = $3, "issuedAt" = $4 where "shopId" = $1 and id = $2`, [shopId, id, shopifyDiscountId, at]);
}

export async function markRedemptionReversed(tx: Queryable, shopId: number, id: string, failure: string, at: Date): Promise<void> {
  await tx.query(`update "Redemption" set status = 'reversed', failure = left($3, 1000), "reversedAt" = $4 where "shopId" = $1 and id = $2`, [shopId, id, failure, at]);
}

/** Redemptions still pending since before `before` (their process died mid-way), for the reconciliation job. */
export async function stalePendingRedemptions(db: Queryable, before: Date, limit: number): Promise<(RedemptionRow & { shopId: number; shopDomain: string })[]> {
  const { rows } = await db.query<RedemptionRow & { shopId: number; shopDomain: string }>(
    `select r.*, s.domain as "shopDomain"
       from (select ${COLUMNS}, "shopId" from "Redemption" where status = 'pending' and "createdAt" < $1 order by "Redemption".id limit $2) r
       join "Shop" s on s.id = r."shopId"`,
    [before, limit],
  );
  return rows;
}

export async function customerRedemptions(db: Queryable, shopId: number, customerId: string, limit: number): Promise<RedemptionRow[]> {
  const { rows } = await db.query<RedemptionRow>(customerRedemptionsQuery({ shopId: "$1", customerId: "$2", limit: "$3" }), [shopId, customerId, limit]);
  return rows;
}

/** The select behind customerRedemptions, its inputs given as SQL expressions. */
export function customerRedemptionsQuery(sql: { shopId: string; customerId: string; limit: string }): string {
  return `select ${COLUMNS} from "Redemption" where "customerId" = ${sql.customerId} and "shopId" = ${sql.shopId} order by "Redemption".id desc limit ${sql.limit}`;
}
