/**
 * The order facts the churn radar counts (CustomerOrder, CustomerOrderRefund) and the set-based reads the models
 * and metrics start from. An order counts as a purchase unless it was cancelled or refunded in full; a partial
 * refund lowers its amount. Days are UTC calendar days, as in the domain's summarizeTransactions.
 */
import type pg from "pg";

type Queryable = pg.Pool | pg.PoolClient;

export interface OrderFact {
  orderId: string;
  customerId: string;
  orderedAt: Date;
  amountMinor: number;
  currencyCode: string;
  discountMinor: number;
  discountCodes: string[];
  cancelledAt: Date | null;
}

/**
 * Idempotent and order-independent: the first delivery of an order writes its facts; a later one (paid after
 * cancelled, a redelivery) can only add the cancellation, never undo it.
 */
export async function recordOrderFact(tx: Queryable, shopId: number, fact: OrderFact): Promise<void> {
  await recordOrderFacts(tx, shopId, [fact]);
}

/** recordOrderFact for several orders (each once) in one statement. */
export async function recordOrderFacts(tx: Queryable, shopId: number, facts: readonly OrderFact[]): Promise<void> {
  if (facts.length === 0) return;
  await tx.query(
    `insert into "CustomerOrder" ("shopId", "orderId", "customerId", "orderedAt", "amountMinor", "currencyCode", "discountMinor", "discountCodes", "cancelledAt")
     select $1, f."orderId", f."customerId", f."orderedAt", f."amountMinor", f."currencyCode", f."discountMinor",
            array(select jsonb_array_elements_text(f."discountCodes"::jsonb)), f."cancelledAt"
       from unnest($2::text[], $3::text[], $4::timestamptz[], $5::int[], $6::text[], $7::int[], $8::text[], $9::timestamptz[])
            with ordinality as f("orderId", "customerId", "orderedAt", "amountMinor", "currencyCode", "discountMinor", "discountCodes", "cancelledAt", position)
      order by f.position
     on conflict ("shopId", "orderId") do update set "cancelledAt" = coalesce("CustomerOrder"."cancelledAt", excluded."cancelledAt")`,
    [
      shopId,
      facts.map((f) => f.orderId),
      facts.map((f) => f.customerId),
      facts.map((f) => f.orderedAt),
      facts.map((f) => f.amountMinor),
      facts.map((f) => f.currencyCode),
      facts.map((f) => f.discountMinor),
      facts.map((f) => JSON.stringify(f.discountCodes)),
      facts.map((f) => f.cancelledAt),
    ],
  );
}

export interface RefundFact {
  refundId: string;
  orderId: string;
  amountMinor: number;
  refundedAt: Date;
}

export async function recordRefundFact(tx: Queryable, shopId: number, fact: RefundFact): Promise<void> {
  await tx.query(
    `insert into "CustomerOrderRefund" ("shopId", "refundId", "orderId", "amountMinor", "refundedAt")
     values ($1, $2, $3, $4, $5) on conflict ("shopId", "refundId") do nothing`,
    [shopId, fact.refundId, fact.orderId, fact.amountMinor, fact.refundedAt],
  );
}

/**
 * The purchases of shop $1 ordered before $2: customer, time, amount net of refunds. The one definition of
 * "an order that counts", shared by every read below.
 */
const COUNTED_ORDERS = `
  select o."customerId", o."orderId", o."orderedAt", o."discountMinor", o."discountCodes",
         floor(extract(epoch from o."orderedAt") / 86400)::int as day,
         o."amountMinor" - coalesce(r.refunded, 0) as "amountMinor"
    from "CustomerOrder" o
    left join (select "orderId", sum("amountMinor")::int as refunded from "CustomerOrderRefund" where "shopId" = $1 group by "orderId") r
      on r."orderId" = o."orderId"
   where o."shopId" = $1 and o."orderedAt" < $2 and o."cancelledAt" is null
     and (r.refunded is null or r.refunded = 0 or r.refunded < o."amountMinor")`;

const MS_PER_DAY = 86_400_000;

/** The first instant after `date`'s UTC day: the exclusive bound of a day-inclusive observation end. */
export function endOfUtcDay(date: Date): Date {
  return new Date((Math.floor(date.getTime() / MS_PER_DAY) + 1) * MS_PER_DAY);
}

export interface CustomerPurchaseSummary {
  customerId: string;
  /** Repeat purchase days (orders of one UTC day are one purchase). */
  frequency: number;
  /** Days from the first to the last purchase day. */
  recencyDays: number;
  /** Days from the first purchase day to the observation end's day. */
  ageDays: number;
  /** Mean spend of the repeat purchase days, minor units (0 without repeat purchases). */
  monetaryMinor: number;
  orders: number;
  spentMinor: number;
  firstOrderAt: Date;
  lastOrderAt: Date;
}

/** Per customer with purchases up to `observationEnd`'s day (inclusive): the models' history and RFM inputs. */
export async function customerPurchaseSummaries(db: Queryable, shopId: number, observationEnd: Date): Promise<CustomerPurchaseSummary[]> {
  const end = endOfUtcDay(observationEnd);
  const { rows } = await db.query<CustomerPurchaseSummary>(
    `with counted as (${COUNTED_ORDERS}),
     days as (
       select "customerId", day, sum("amountMinor") as spend, count(*) as orders, min("orderedAt") as first_at, max("orderedAt") as last_at
         from counted group by "customerId", day
     ),
     marked as (select *, day = min(day) over (partition by "customerId") as is_first from days)
     select "customerId",
            count(*)::int - 1 as frequency,
            (max(day) - min(day))::int as "recencyDays",
            ($3::int - min(day))::int as "ageDays",
            coalesce(round((sum(spend) filter (where not is_first))::numeric / nullif(count(*) - 1, 0)), 0)::int as "monetaryMinor",
            sum(orders)::int as orders,
            sum(spend)::int as "spentMinor",
            min(first_at) as "firstOrderAt",
            max(last_at) as "lastOrderAt"
       from marked group by "customerId" order by "customerId"`,
    [shopId, end, end.getTime() / MS_PER_DAY - 1],
  );
  return rows;
}

export interface CountedOrder {
  customerId: string;
  orderedAt: Date;
  amountMinor: number;
}

/** Purchases in [from, to), oldest first. */
export async function countedOrders(db: Queryable, shopId: number, { from, to }: { from: Date; to: Date }): Promise<CountedOrder[]> {
  const { rows } = await db.query<CountedOrder>(
    `select "customerId", "orderedAt", "amountMinor" from (${COUNTED_ORDERS}) counted where "orderedAt" >= $3 order by "orderedAt"`,
    [shopId, to, from],
  );
  return rows;
}

/** Each (customer, month with a purchase) once, as the month's first instant (UTC): all a cohort table needs. */
export async function customerPurchaseMonths(db: Queryable, shopId: number, before: Date): Promise<{ customerId: string; orderedAt: Date }[]> {
  const { rows } = await db.query<{ customerId: string; orderedAt: Date }>(
    `select distinct "customerId", date_trunc('month', "orderedAt", 'UTC') as "orderedAt" from (${COUNTED_ORDERS}) counted`,
    [shopId, before],
  );
  return rows;
}

/**
 * Each customer's purchase days (UTC day numbers, ascending) up to `before`: enough to say who was active, new or
 * lost at any date, and to rebuild the BG/NBD history as it was then.
 */
export async function purchaseDaysByCustomer(db: Queryable, shopId: number, before: Date): Promise<{ customerId: string; days: number[] }[]> {
  const { rows } = await db.query<{ customerId: string; days: number[] }>(
    `select "customerId", array_agg(distinct day order by day) as days from (${COUNTED_ORDERS}) counted group by "customerId"`,
    [shopId, before],
  );
  return rows;
}

/**
 * Customers whose first purchase fell on one of `monthDays` ("MM-DD", UTC) of a year before `year`, with that
 * year. (A caller passes "02-29" with "02-28" in common years, so leap-day customers are not skipped.)
 */
export async function firstPurchaseAnniversaries(
  db: Queryable,
  shopId: number,
  { monthDays, year, before }: { monthDays: string[]; year: number; before: Date },
): Promise<{ customerId: string; firstYear: number }[]> {
  const { rows } = await db.query<{ customerId: string; firstYear: number }>(
    `with firsts as (select "customerId", min("orderedAt") at time zone 'UTC' as first_at from (${COUNTED_ORDERS}) counted group by "customerId")
     select "customerId", extract(year from first_at)::int as "firstYear" from firsts
      where to_char(first_at, 'MM-DD') = any($3::text[]) and extract(year from first_at) < $4
      order by "customerId"`,
    [shopId, before, monthDays, year],
  );
  return rows;
}

export interface CampaignGroupOutcome {
  group: "treated" | "holdout";
  customers: number;
  /** Members with a purchase in the window. */
  repurchased: number;
  /** Discounts on the window's purchases that used the member's own campaign code. */
  codeDiscountMinor: number;
}

/** A win-back campaign's groups and who bought again after `from` and before `to`. */
export async function campaignGroupOutcomes(db: Queryable, shopId: number, campaignId: number, { from, to }: { from: Date; to: Date }): Promise<CampaignGroupOutcome[]> {
  const { rows } = await db.query<CampaignGroupOutcome>(
    `with window_orders as (select "customerId", "discountMinor", "discountCodes" from (${COUNTED_ORDERS}) counted where "orderedAt" > $3),
     members as (select "customerId", "group", "discountCode" from "WinBackMember" where "shopId" = $1 and "campaignId" = $4),
     bought as (select distinct "customerId" from window_orders),
     code_discounts as (
       select m."customerId", sum(w."discountMinor") as discount
         from members m join window_orders w on w."customerId" = m."customerId" and m."discountCode" = any(w."discountCodes")
        group by m."customerId"
     )
     select m."group"::text as "group", count(*)::int as customers, count(b."customerId")::int as repurchased, coalesce(sum(d.discount), 0)::int as "codeDiscountMinor"
       from members m left join bought b using ("customerId") left join code_discounts d using ("customerId")
      group by m."group" order by m."group"`,
    [shopId, to, from, campaignId],
  );
  return rows;
}
