/**
 * The loyalty program's customers. Writers lock the customer's row first (upsert or `for update`) and keep it
 * until commit: that serializes everything that reads a balance or a standing and then writes for one customer.
 * Lock order is always customer before order (OrderPoints), so two transactions never wait on each other in a cycle.
 */
import type { PostalAddress, TierStanding } from "~/domain/loyalty";
import type { LoyaltyEvent } from "~/shopify/flow/triggers";
import { eventParameters, insertEventsStatement } from "./events.server";
import type { Queryable } from "./queryable";

export interface LoyaltyCustomer {
  /** Our own id: the ledger's reference, stable across redaction. */
  id: string;
  shopifyCustomerId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  addresses: PostalAddress[];
  birthdayMonth: number | null;
  birthdayDay: number | null;
  referralCode: string | null;
  tierId: string | null;
  tierSince: Date | null;
  pointsBalance: number;
  lifetimeSpendMinor: number;
  lastActivityAt: Date | null;
  lastExpiryReminderAt: Date | null;
  createdAt: Date;
  redactedAt: Date | null;
  /** Someone referred this customer and is waiting for their first paid order. */
  referralPending: boolean;
}

export const CUSTOMER_COLUMNS = `c.id::text as id, c."shopifyCustomerId", c.email, c."firstName", c."lastName",
  coalesce(c.addresses, '[]'::jsonb) as addresses, c."birthdayMonth", c."birthdayDay", c."referralCode", c."tierId", c."tierSince",
  c."pointsBalance", c."lifetimeSpendMinor"::float8 as "lifetimeSpendMinor", c."lastActivityAt", c."lastExpiryReminderAt",
  c."createdAt", c."redactedAt",
  exists (select 1 from "Referral" r where r."friendId" = c.id and r.status = 'pending') as "referralPending"`;

/** What a webhook says about a customer. */
export interface CustomerFacts {
  shopifyCustomerId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  /** null when the payload carries no addresses (an order's customer object). */
  addresses: PostalAddress[] | null;
  createdAt: Date | null;
  /**
   * Shopify's updated_at for a customers/* payload: such facts replace what is stored unless something newer was
   * applied already. Null for an order's customer object, whose facts only fill fields still empty.
   */
  updatedAt: Date | null;
}

/** Creates or updates the customer from a webhook's facts and locks the row until commit. */
export async function upsertAndLockCustomer(tx: Queryable, shopId: number, facts: CustomerFacts): Promise<LoyaltyCustomer> {
  return (await upsertAndLockCustomers(tx, shopId, [facts])).get(facts.shopifyCustomerId)!;
}

/**
 * upsertAndLockCustomer for several customers in one statement (a batch of webhooks), by Shopify id. Each customer
 * once; rows are written and locked in Shopify id order, the same order for every batch, so two batches sharing
 * customers wait for each other instead of deadlocking.
 */
export async function upsertAndLockCustomers(tx: Queryable, shopId: number, facts: readonly CustomerFacts[]): Promise<Map<string, LoyaltyCustomer>> {
  const ordered = [...facts].sort((x, y) => (x.shopifyCustomerId < y.shopifyCustomerId ? -1 : x.shopifyCustomerId > y.shopifyCustomerId ? 1 : 0));
  const newer = `(excluded."shopifyUpdatedAt" is not null and (c."shopifyUpdatedAt" is null or excluded."shopifyUpdatedAt" >= c."shopifyUpdatedAt"))`;
  const field = (column: string) => `${column} = case when ${newer} then excluded.${column} else coalesce(c.${column}, excluded.${column}) end`;
  const { rows } = await tx.query<LoyaltyCustomer>(
    `insert into "Customer" as c ("shopId", "shopifyCustomerId", email, "firstName", "lastName", phone, addresses, "shopifyUpdatedAt", "createdAt")
     select $1, f.id, f.email, f."firstName", f."lastName", f.phone, f.addresses::jsonb, f."updatedAt", coalesce(f."createdAt", now())
       from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[])
            with ordinality as f(id, email, "firstName", "lastName", phone, addresses, "updatedAt", "createdAt", position)
      order by f.position
     on conflict ("shopId", "shopifyCustomerId") do update set
       ${["email", '"firstName"', '"lastName"', "phone", "addresses"].map(field).join(", ")},
       "shopifyUpdatedAt" = greatest(c."shopifyUpdatedAt", excluded."shopifyUpdatedAt"),
       "createdAt" = least(c."createdAt", excluded."createdAt")
     returning ${CUSTOMER_COLUMNS}`,
    [
      shopId,
      ordered.map((f) => f.shopifyCustomerId),
      ordered.map((f) => f.email),
      ordered.map((f) => f.firstName),
      ordered.map((f) => f.lastName),
      ordered.map((f) => f.phone),
      ordered.map((f) => (f.addresses ? JSON.stringify(f.addresses) : null)),
      ordered.map((f) => f.updatedAt),
      ordered.map((f) => f.createdAt),
    ],
  );
  return new Map(rows.map((row) => [row.shopifyCustomerId!, row]));
}

/** Locks a customer by Shopify id until commit; null when the shop has no such customer. */
export async function lockCustomerByShopifyId(tx: Queryable, shopId: number, shopifyCustomerId: string): Promise<LoyaltyCustomer | null> {
  const { rows } = await tx.query<LoyaltyCustomer>(
    `select ${CUSTOMER_COLUMNS} from "Customer" c where c."shopId" = $1 and c."shopifyCustomerId" = $2 for update`,
    [shopId, shopifyCustomerId],
  );
  return rows[0] ?? null;
}

export async function lockCustomer(tx: Queryable, shopId: number, customerId: string): Promise<LoyaltyCustomer | null> {
  const { rows } = await tx.query<LoyaltyCustomer>(`select ${CUSTOMER_COLUMNS} from "Customer" c where c."shopId" = $1 and c.id = $2 for update`, [shopId, customerId]);
  return rows[0] ?? null;
}

/** Several customers locked in id order (the same order for every caller), for the daily jobs. */
export async function lockCustomers(tx: Queryable, shopId: number, customerIds: readonly string[]): Promise<LoyaltyCustomer[]> {
  const { rows } = await tx.query<LoyaltyCustomer>(
    `select ${CUSTOMER_COLUMNS} from "Customer" c where c."shopId" = $1 and c.id = any($2::bigint[]) order by c.id for update`,
    [shopId, customerIds],
  );
  return rows;
}

export async function findCustomerByShopifyId(db: Queryable, shopId: number, shopifyCustomerId: string): Promise<LoyaltyCustomer | null> {
  const { rows } = await db.query<LoyaltyCustomer>(`select ${CUSTOMER_COLUMNS} from "Customer" c where c."shopId" = $1 and c."shopifyCustomerId" = $2`, [shopId, shopifyCustomerId]);
  return rows[0] ?? null;
}

export async function findCustomerByReferralCode(db: Queryable, shopId: number, referralCode: string): Promise<LoyaltyCustomer | null> {
  const { rows } = await db.query<LoyaltyCustomer>(`select ${CUSTOMER_COLUMNS} from "Customer" c where c."shopId" = $1 and c."referralCode" = $2`, [shopId, referralCode]);
  return rows[0] ?? null;
}

/** What a change of a locked customer's ledger led to: their tier and last activity (null: unchanged) and Flow events. */
export interface StandingChange {
  customerId: string;
  standing: { tierId: string | null; tierSince: Date | null; lastActivityAt: Date | null } | null;
  events: readonly LoyaltyEvent[];
}

/** Records the StandingChanges of several locked customers in one statement: standings updated, events inserted. */
export async function recordCustomerStandings(tx: Queryable, shopId: number, changes: readonly StandingChange[]): Promise<void> {
  const events = changes.flatMap((change) => change.events);
  const standings = changes.filter((change) => change.standing !== null);
  if (standings.length === 0 && events.length === 0) return;
  await tx.query(
    `with events as (${insertEventsStatement({ shopId: "$1", customerIds: "$6", kinds: "$7", payloads: "$8" })})
     update "Customer" c set "tierId" = s."tierId", "tierSince" = s."tierSince", "lastActivityAt" = s."lastActivityAt"
       from unnest($2::bigint[], $3::text[], $4::timestamptz[], $5::timestamptz[]) as s(id, "tierId", "tierSince", "lastActivityAt")
      where c.id = any($2::bigint[]) and c.id = s.id and c."shopId" = $1`,
    [
      shopId,
      standings.map((change) => change.customerId),
      standings.map((change) => change.standing!.tierId),
      standings.map((change) => change.standing!.tierSince),
      standings.map((change) => change.standing!.lastActivityAt),
      ...eventParameters(events),
    ],
  );
}

export async function saveBirthday(tx: Queryable, customerId: string, birthday: { month: number; day: number }): Promise<void> {
  await tx.query(`update "Customer" set "birthdayMonth" = $2, "birthdayDay" = $3 where id = $1`, [customerId, birthday.month, birthday.day]);
}

export async function saveExpiryReminder(tx: Queryable, customerId: string, at: Date): Promise<void> {
  await tx.query(`update "Customer" set "lastExpiryReminderAt" = $2 where id = $1`, [customerId, at]);
}

/** Stores the customer's referral code unless one is stored already; returns the stored one. */
export async function saveReferralCode(db: Queryable, customerId: string, code: string): Promise<string> {
  const { rows } = await db.query<{ referralCode: string }>(
    `update "Customer" set "referralCode" = coalesce("referralCode", $2) where id = $1 returning "referralCode"`,
    [customerId, code],
  );
  return rows[0].referralCode;
}

export type StandingRow = { id: string; spend12: number; spendLife: number; points12: number; pointsLife: number };

const orderStanding = (windowStart: string) => `sum("spendMinor") filter (where "paidAt" >= ${windowStart}) as spend12, sum("spendMinor") as "spendLife",
  sum("postedPoints") filter (where "paidAt" >= ${windowStart}) as points12, sum("postedPoints") as "pointsLife"`;
const actionStanding = (windowStart: string) => `sum(points) filter (where "occurredAt" >= ${windowStart}) as points12, sum(points) as "pointsLife"`;

/**
 * Where each customer stands for tiers, by customer id: spend and points earned over the rolling window and
 * lifetime. An order counts at its payment date with what it holds now (its refunds and cancellation included),
 * so a late refund lowers the window the order belongs to; actions count when they happened.
 * `customerIds` null means every customer of the shop.
 */
export async function customerStandings(db: Queryable, shopId: number, customerIds: readonly string[] | null, windowStart: Date): Promise<Map<string, TierStanding>> {
  // Two statements, not one with "ids is null or": a cached generic plan of that one reads the whole shop.
  const of = (column: string) => (customerIds ? `${column} = any($2::bigint[])` : "$2::bigint[] is null");
  const { rows } = await db.query<StandingRow>(
    `select c.id::text as id,
            coalesce(o.spend12, 0)::float8 as spend12, coalesce(o."spendLife", 0)::float8 as "spendLife",
            (coalesce(o.points12, 0) + coalesce(a.points12, 0))::float8 as points12,
            (coalesce(o."pointsLife", 0) + coalesce(a."pointsLife", 0))::float8 as "pointsLife"
       from "Customer" c
       left join (select "customerId", ${orderStanding("$3")} from "OrderPoints" where "shopId" = $1 and ${of('"customerId"')} group by "customerId") o
         on o."customerId" = c.id
       left join (
         select "customerId", ${actionStanding("$3")} from "LedgerEntry" where "shopId" = $1 and kind = 'action' and ${of('"customerId"')} group by "customerId"
       ) a on a."customerId" = c.id
      where c."shopId" = $1 and ${of("c.id")} and c."redactedAt" is null`,
    [shopId, customerIds, windowStart],
  );
  return new Map(rows.map((row) => [row.id, standingOf(row)]));
}

/** One customer's standing (the hot path after each ledger change): two index scans, no grouping. */
export async function customerStanding(db: Queryable, shopId: number, customerId: string, windowStart: Date): Promise<TierStanding> {
  const { rows } = await db.query<StandingRow>(customerStandingQuery({ shopId: "$1", customerId: "$2", windowStart: "$3" }), [shopId, customerId, windowStart]);
  return standingOf(rows[0]);
}

/** The select behind customerStanding, its inputs given as SQL expressions. */
export function customerStandingQuery(sql: { shopId: string; customerId: string; windowStart: string }): string {
  return `select coalesce(o.spend12, 0)::float8 as spend12, coalesce(o."spendLife", 0)::float8 as "spendLife",
            (coalesce(o.points12, 0) + coalesce(a.points12, 0))::float8 as points12,
            (coalesce(o."pointsLife", 0) + coalesce(a."pointsLife", 0))::float8 as "pointsLife"
       from (select ${orderStanding(sql.windowStart)} from "OrderPoints" where "customerId" = ${sql.customerId} and "shopId" = ${sql.shopId}) o,
            (select ${actionStanding(sql.windowStart)} from "LedgerEntry" where "customerId" = ${sql.customerId} and "shopId" = ${sql.shopId} and kind = 'action') a`;
}

export function standingOf(row: Omit<StandingRow, "id">): TierStanding {
  return { spendMinor: { rolling12Months: row.spend12, lifetime: row.spendLife }, pointsEarned: { rolling12Months: row.points12, lifetime: row.pointsLife } };
}

/** Customers of the shop in id order after `afterId`, a page at a time, for the daily jobs. */
export async function customerIdsPage(db: Queryable, shopId: number, afterId: string, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select id::text as id from "Customer" where "shopId" = $1 and id > $2 and "redactedAt" is null order by "Customer".id limit $3`,
    [shopId, afterId, limit],
  );
  return rows.map((row) => row.id);
}

/**
 * Customers with a birthday who have had no birthday award in the last 300 days: those the daily job asks the
 * domain about (it decides whether the day has come on the shop's calendar).
 */
export async function birthdayCandidates(db: Queryable, shopId: number, now: Date, afterId: string, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select c.id::text as id from "Customer" c
      where c."shopId" = $1 and c.id > $3 and c."birthdayMonth" is not null and c."redactedAt" is null
        and not exists (select 1 from "LedgerEntry" l where l."customerId" = c.id and l."shopId" = $1 and l.kind = 'action'
                          and l.action = 'birthday' and l."occurredAt" > $2::timestamptz - interval '300 days')
      order by c.id limit $4`,
    [shopId, now, afterId, limit],
  );
  return rows.map((row) => row.id);
}

/** Customers with points whose last activity is at or before `inactiveSince`: those expiry may concern. */
export async function expiryCandidates(db: Queryable, shopId: number, inactiveSince: Date, afterId: string, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select id::text as id from "Customer"
      where "shopId" = $1 and "lastActivityAt" <= $2 and "pointsBalance" > 0 and id > $3 and "redactedAt" is null
      order by "Customer".id limit $4`,
    [shopId, inactiveSince, afterId, limit],
  );
  return rows.map((row) => row.id);
}

export interface CustomerToSync {
  id: string;
  shopifyCustomerId: string;
  referralCode: string | null;
  tierId: string | null;
  syncedTierId: string | null;
  pointsBalance: number;
  /** Null until the customer's first sync. */
  syncedAt: Date | null;
}

/**
 * Customers whose tier or balance differs from what Shopify last received, or whose pending points have become
 * available since: the metafield and tag sync's work, in id order after `afterId`.
 */
export async function customersAwaitingSync(db: Queryable, shopId: number, now: Date, afterId: string, limit: number): Promise<CustomerToSync[]> {
  const { rows } = await db.query<CustomerToSync>(
    `select id::text as id, "shopifyCustomerId", "referralCode", "tierId", "syncedTierId", "pointsBalance", "syncedAt"
       from "Customer"
      where "shopId" = $1 and id > $3 and "shopifyCustomerId" is not null
        and ("syncedAt" is null or "pointsBalance" is distinct from "syncedPointsBalance" or "tierId" is distinct from "syncedTierId" or "syncDueAt" <= $2)
      order by "Customer".id limit $4`,
    [shopId, now, afterId, limit],
  );
  return rows;
}

/** Makes the metafield sync send the members of these tiers again on its next pass (their tier was renamed). */
export async function requestTierMembersSync(db: Queryable, shopId: number, tierIds: readonly string[], at: Date): Promise<void> {
  await db.query(`update "Customer" set "syncDueAt" = $3 where "shopId" = $1 and "tierId" = any($2::text[]) and ("syncDueAt" is null or "syncDueAt" > $3)`, [
    shopId,
    tierIds,
    at,
  ]);
}

/** Records what Shopify now has for the customer, and when their available balance will change without a new row. */
export async function markCustomerSynced(db: Queryable, customerId: string, synced: { tierId: string | null; pointsBalance: number; at: Date; dueAt: Date | null }): Promise<void> {
  await db.query(`update "Customer" set "syncedTierId" = $2, "syncedPointsBalance" = $3, "syncedAt" = $4, "syncDueAt" = $5 where id = $1`, [
    customerId,
    synced.tierId,
    synced.pointsBalance,
    synced.at,
    synced.dueAt,
  ]);
}
