/**
 * The subscription contract mirror (SubscriptionContract). Shopify's states are written only when their revision
 * is newer than the one held, so deliveries arriving late, twice or out of order converge on Shopify's latest
 * state; the app's own columns (its pause's end, the reminder, price protection) are never overwritten by them.
 */
import type pg from "pg";
import type { BillingInterval, ContractLine, ContractStatus, Frequency, SubscriptionContract } from "~/domain/cancel-save";
import type { Database } from "../db.server";

type Queryable = pg.Pool | pg.PoolClient;

/** What Shopify says about a contract: all of it from the Admin API, or only a webhook's fields. */
export type ContractState = {
  contractId: string;
  customerId: string;
  status: ContractStatus;
  currencyCode: string;
  billing: Frequency;
  delivery: Frequency;
  /** Shopify's revisionId (an unsigned 64-bit integer) as decimal text. */
  revisionId: string;
} & (
  | { detailsSynced: true; nextBillingDate: Date | null; lines: ContractLine[]; hasActiveDiscount: boolean; startedAt: Date }
  | { detailsSynced: false }
);

/** A mirrored contract: the domain's view, and who it belongs to. */
export interface MirroredContract {
  contractId: string;
  customerId: string;
  contract: SubscriptionContract;
  hasActiveDiscount: boolean;
  detailsSynced: boolean;
  startedAt: Date | null;
  reminderSentFor: Date | null;
  syncedAt: Date;
}

export function contractGid(contractId: string): string {
  return `gid://shopify/SubscriptionContract/${contractId}`;
}

/**
 * Writes Shopify's state unless the mirror holds a newer revision (or the same one with as much detail).
 * A state with only a webhook's fields keeps the lines, prices and dates already known. Leaving PAUSED ends the
 * app's pause record, whoever resumed the contract. Returns whether the state was written.
 */
export async function upsertContractState(db: Queryable, shopId: number, state: ContractState, now: Date): Promise<boolean> {
  const details = state.detailsSynced ? state : null;
  const { rowCount } = await db.query(
    `insert into "SubscriptionContract" as c
       ("shopId", "contractId", "customerId", status, "currencyCode", "billingInterval", "billingIntervalCount",
        "deliveryInterval", "deliveryIntervalCount", "nextBillingDate", lines, "hasActiveDiscount", "revisionId",
        "detailsSynced", "startedAt", "syncedAt")
     values ($1, $2, $3, $4::"SubscriptionContractStatus", $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13::numeric, $14, $15, $16)
     on conflict ("shopId", "contractId") do update set
       "customerId" = excluded."customerId",
       status = excluded.status,
       "currencyCode" = excluded."currencyCode",
       "billingInterval" = excluded."billingInterval",
       "billingIntervalCount" = excluded."billingIntervalCount",
       "deliveryInterval" = excluded."deliveryInterval",
       "deliveryIntervalCount" = excluded."deliveryIntervalCount",
       "nextBillingDate" = case when excluded."detailsSynced" then excluded."nextBillingDate" else c."nextBillingDate" end,
       lines = case when excluded."detailsSynced" then excluded.lines else c.lines end,
       "hasActiveDiscount" = case when excluded."detailsSynced" then excluded."hasActiveDiscount" else c."hasActiveDiscount" end,
       "startedAt" = coalesce(excluded."startedAt", c."startedAt"),
       "revisionId" = excluded."revisionId",
       "detailsSynced" = excluded."detailsSynced",
       "pausedOn" = case when excluded.status = 'PAUSED' then c."pausedOn" end,
       "resumeOn" = case when excluded.status = 'PAUSED' then c."resumeOn" end,
       "syncedAt" = excluded."syncedAt"
     where c."revisionId" < excluded."revisionId"
        or (c."revisionId" = excluded."revisionId" and excluded."detailsSynced" and not c."detailsSynced")`,
    [
      shopId,
      state.contractId,
      state.customerId,
      state.status,
      state.currencyCode,
      state.billing.interval,
      state.billing.intervalCount,
      state.delivery.interval,
      state.delivery.intervalCount,
      details?.nextBillingDate ?? null,
      JSON.stringify(details?.lines ?? []),
      details?.hasActiveDiscount ?? false,
      state.revisionId,
      state.detailsSynced,
      details?.startedAt ?? null,
      now,
    ],
  );
  return rowCount === 1;
}

/** The revision the mirror holds, or null for a contract it does not know. */
export async function mirroredRevision(db: Queryable, shopId: number, contractId: string): Promise<string | null> {
  const { rows } = await db.query<{ revisionId: string }>(`select "revisionId"::text as "revisionId" from "SubscriptionContract" where "shopId" = $1 and "contractId" = $2`, [
    shopId,
    contractId,
  ]);
  return rows[0]?.revisionId ?? null;
}

/**
 * Serializes what is computed over all of a subscriber's contracts (their billing risk) until the caller's
 * transaction ends: two attempts of one customer processed at once would each miss the other's row.
 */
export async function lockSubscriber(tx: pg.PoolClient, shopId: number, customerId: string): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(hashtextextended($1, $2))`, [`subscriber:${customerId}`, shopId]);
}

/**
 * The app paused the contract (Shopify answered): the mirror shows it paused at once, with the app's resume
 * date, without waiting for Shopify's webhook.
 */
export async function recordAppPause(db: Queryable, shopId: number, contractId: string, pause: { pausedOn: Date; resumeOn: Date }): Promise<void> {
  await db.query(
    `update "SubscriptionContract" set status = 'PAUSED', "pausedOn" = $3, "resumeOn" = $4 where "shopId" = $1 and "contractId" = $2`,
    [shopId, contractId, pause.pausedOn, pause.resumeOn],
  );
}

/** A new resume date for the app's pause (the subscriber extended it). */
export async function moveResumeDate(db: Queryable, shopId: number, contractId: string, resumeOn: Date): Promise<void> {
  await db.query(`update "SubscriptionContract" set "resumeOn" = $3 where "shopId" = $1 and "contractId" = $2 and status = 'PAUSED'`, [shopId, contractId, resumeOn]);
}

/** What Shopify confirmed the app changed, shown before Shopify's webhook (with a newer revision) arrives. */
export async function recordConfirmedChange(
  db: Queryable,
  shopId: number,
  contractId: string,
  change: { status?: ContractStatus; nextBillingDate?: Date },
): Promise<void> {
  await db.query(
    `update "SubscriptionContract" set status = coalesce($3::text, status::text)::"SubscriptionContractStatus",
       "nextBillingDate" = coalesce($4, "nextBillingDate"),
       "pausedOn" = case when coalesce($3::text, status::text) = 'PAUSED' then "pausedOn" end,
       "resumeOn" = case when coalesce($3::text, status::text) = 'PAUSED' then "resumeOn" end
     where "shopId" = $1 and "contractId" = $2`,
    [shopId, contractId, change.status ?? null, change.nextBillingDate ?? null],
  );
}

export async function markReminderSent(db: Queryable, shopId: number, contractId: string, resumeOn: Date): Promise<void> {
  await db.query(`update "SubscriptionContract" set "reminderSentFor" = $3 where "shopId" = $1 and "contractId" = $2`, [shopId, contractId, resumeOn]);
}

export async function setPriceProtectedUntil(db: Queryable, shopId: number, contractIds: string[], until: Date): Promise<void> {
  await db.query(
    `update "SubscriptionContract" set "priceProtectedUntil" = greatest("priceProtectedUntil", $3) where "shopId" = $1 and "contractId" = any($2::text[])`,
    [shopId, contractIds, until],
  );
}

interface ContractRow {
  contractId: string;
  customerId: string;
  status: ContractStatus;
  currencyCode: string;
  billingInterval: string;
  billingIntervalCount: number;
  deliveryInterval: string;
  deliveryIntervalCount: number;
  nextBillingDate: Date | null;
  lines: ContractLine[];
  hasActiveDiscount: boolean;
  detailsSynced: boolean;
  startedAt: Date | null;
  pausedOn: Date | null;
  resumeOn: Date | null;
  reminderSentFor: Date | null;
  priceProtectedUntil: Date | null;
  syncedAt: Date;
}

const SELECT = `select "contractId", "customerId", status, "currencyCode", "billingInterval", "billingIntervalCount", "deliveryInterval",
  "deliveryIntervalCount", "nextBillingDate", lines, "hasActiveDiscount", "detailsSynced", "startedAt", "pausedOn", "resumeOn",
  "reminderSentFor", "priceProtectedUntil", "syncedAt" from "SubscriptionContract"`;

function mirrored(row: ContractRow): MirroredContract {
  return {
    contractId: row.contractId,
    customerId: row.customerId,
    hasActiveDiscount: row.hasActiveDiscount,
    detailsSynced: row.detailsSynced,
    startedAt: row.startedAt,
    reminderSentFor: row.reminderSentFor,
    syncedAt: row.syncedAt,
    contract: {
      id: contractGid(row.contractId),
      status: row.status,
      currencyCode: row.currencyCode,
      lines: row.lines,
      billing: { interval: row.billingInterval as BillingInterval, intervalCount: row.billingIntervalCount },
      delivery: { interval: row.deliveryInterval as BillingInterval, intervalCount: row.deliveryIntervalCount },
      nextBillingDate: row.nextBillingDate,
      pause: row.pausedOn && row.resumeOn ? { pausedOn: row.pausedOn, resumeOn: row.resumeOn } : null,
      priceProtectedUntil: row.priceProtectedUntil,
    },
  };
}

export async function findContract(db: Queryable, shopId: number, contractId: string): Promise<MirroredContract | null> {
  const { rows } = await db.query<ContractRow>(`${SELECT} where "shopId" = $1 and "contractId" = $2`, [shopId, contractId]);
  return rows[0] ? mirrored(rows[0]) : null;
}

/** The customer's contracts, running ones first, newest first. */
export async function contractsOfCustomer(db: Queryable, shopId: number, customerId: string): Promise<MirroredContract[]> {
  const { rows } = await db.query<ContractRow>(
    `${SELECT} where "shopId" = $1 and "customerId" = $2
     order by (status in ('ACTIVE', 'PAUSED', 'FAILED')) desc, "startedAt" desc nulls last, "contractId" desc`,
    [shopId, customerId],
  );
  return rows.map(mirrored);
}

/** The shop's contracts for the admin, most recently changed first. */
export async function recentContracts(database: Database, shopId: number, limit: number): Promise<MirroredContract[]> {
  const { rows } = await database.pool.query<ContractRow>(`${SELECT} where "shopId" = $1 order by "syncedAt" desc, "contractId" desc limit $2`, [shopId, limit]);
  return rows.map(mirrored);
}

/** Contracts the app paused, for the daily resume and reminder pass. */
export async function contractsPausedByApp(db: Queryable, shopId: number): Promise<MirroredContract[]> {
  const { rows } = await db.query<ContractRow>(`${SELECT} where "shopId" = $1 and status = 'PAUSED' and "resumeOn" is not null order by "resumeOn"`, [shopId]);
  return rows.map(mirrored);
}

/** Running contracts with a line of `variantId`: the candidates of a price rise, or a paid membership's contracts. */
export async function liveContractsWithVariant(db: Queryable, shopId: number, variantId: string): Promise<MirroredContract[]> {
  const { rows } = await db.query<ContractRow>(
    `${SELECT} where "shopId" = $1 and status in ('ACTIVE', 'PAUSED', 'FAILED') and lines @> $2::jsonb order by "contractId"`,
    [shopId, JSON.stringify([{ variantId }])],
  );
  return rows.map(mirrored);
}

/** Every contract (of any status) with a line of `variantId`. */
export async function contractsWithVariant(db: Queryable, shopId: number, variantId: string): Promise<MirroredContract[]> {
  const { rows } = await db.query<ContractRow>(`${SELECT} where "shopId" = $1 and lines @> $2::jsonb order by "customerId", "startedAt"`, [
    shopId,
    JSON.stringify([{ variantId }]),
  ]);
  return rows.map(mirrored);
}
