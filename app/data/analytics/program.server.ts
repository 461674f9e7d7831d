/**
 * The program's numbers for Home and Analytics, in SQL over the ledger, customers and orders. Each query reads
 * one shop; sums of points are integers, money is integer minor units.
 */
import type { Database } from "../db.server";

/** Ledger kinds by what they mean for the program's accounts. */
const ISSUED_KINDS = ["order_earn", "action", "adjustment", "import"];
const CLAWBACK_KINDS = ["order_refund", "order_cancel"];

export interface PointsFlow {
  /** Points given: orders, actions, positive adjustments and imports. */
  issued: number;
  /** Points spent on rewards, net of redemptions Shopify refused. */
  redeemed: number;
  /** Points taken back by refunds, cancellations and negative adjustments. */
  reversed: number;
  expired: number;
  rewardsRedeemed: number;
  customersEarning: number;
}

export async function pointsFlow(database: Database, shopId: number, since: Date, until: Date): Promise<PointsFlow> {
  const { rows } = await database.pool.query(
    `select
        coalesce(sum(points) filter (where kind::text = any($4) and points > 0), 0)::float8 as issued,
        coalesce(-sum(points) filter (where kind in ('redemption', 'redemption_reversal')), 0)::float8 as redeemed,
        coalesce(-sum(points) filter (where kind::text = any($5) or (kind::text = any($4) and points < 0)), 0)::float8 as reversed,
        coalesce(-sum(points) filter (where kind = 'expiry'), 0)::float8 as expired,
        count(*) filter (where kind = 'redemption')::float8 - count(*) filter (where kind = 'redemption_reversal')::float8 as "rewardsRedeemed",
        count(distinct "customerId") filter (where kind::text = any($4) and points > 0)::float8 as "customersEarning"
       from "LedgerEntry"
      where "shopId" = $1 and "occurredAt" >= $2 and "occurredAt" < $3`,
    [shopId, since, until, ISSUED_KINDS, CLAWBACK_KINDS],
  );
  return rows[0] as PointsFlow;
}

export interface MonthlyPoints {
  month: string;
  issued: number;
  redeemed: number;
}

/** Points issued and redeemed per calendar month (UTC), the last `months` months up to `now`, empty months included. */
export async function pointsByMonth(database: Database, shopId: number, months: number, now: Date): Promise<MonthlyPoints[]> {
  const { rows } = await database.pool.query(
    `with months as (
        select generate_series(date_trunc('month', $2::timestamptz at time zone 'UTC') - make_interval(months => $3 - 1),
                               date_trunc('month', $2::timestamptz at time zone 'UTC'), interval '1 month') as month
     ), flows as (
        select date_trunc('month', "occurredAt" at time zone 'UTC') as month,
               sum(points) filter (where kind::text = any($4) and points > 0) as issued,
               -sum(points) filter (where kind in ('redemption', 'redemption_reversal')) as redeemed
          from "LedgerEntry"
         where "shopId" = $1 and "occurredAt" >= (date_trunc('month', $2::timestamptz at time zone 'UTC') - make_interval(months => $3 - 1)) at time zone 'UTC'
         group by 1
     )
     select to_char(m.month, 'YYYY-MM') as month, coalesce(f.issued, 0)::float8 as issued, coalesce(f.redeemed, 0)::float8 as redeemed
       from months m left join flows f on f.month = m.month
      order by m.month`,
    [shopId, now, months, ISSUED_KINDS],
  );
  return rows as MonthlyPoints[];
}

/** Points customers hold now (the liability): positive balances only, since a negative one is not owed. */
export async function outstandingPoints(database: Database, shopId: number): Promise<{ points: number; customers: number }> {
  const { rows } = await database.pool.query(
    `select coalesce(sum("pointsBalance"), 0)::float8 as points, count(*)::float8 as customers
       from "Customer" where "shopId" = $1 and "pointsBalance" > 0`,
    [shopId],
  );
  return rows[0] as { points: number; customers: number };
}

export interface GroupBehaviour {
  customers: number;
  repeatCustomers: number;
  orders: number;
  orderValueMinor: number;
}

/**
 * Members (customers with any points activity) against customers who bought without taking part: how many came
 * back for a second order and what an order is worth. Orders are the program's order records (paid orders of
 * known customers), valued at their earning base; cancelled orders are left out.
 */
export async function membersAgainstNonMembers(database: Database, shopId: number): Promise<{ members: GroupBehaviour; nonMembers: GroupBehaviour }> {
  const { rows } = await database.pool.query(
    `with buyers as (
        select o."customerId", count(*) as orders, sum(o."spendMinor") as value
          from "OrderPoints" o
         where o."shopId" = $1 and o."customerId" is not null and o."paidAt" is not null and o."spendMinor" > 0
         group by o."customerId"
     ), grouped as (
        select b.*, exists (select 1 from "LedgerEntry" l where l."customerId" = b."customerId" and l.kind <> 'import' limit 1) as member
          from buyers b
     )
     select member, count(*)::float8 as customers, count(*) filter (where orders >= 2)::float8 as "repeatCustomers",
            coalesce(sum(orders), 0)::float8 as orders, coalesce(sum(value), 0)::float8 as "orderValueMinor"
       from grouped group by member`,
    [shopId],
  );
  const empty: GroupBehaviour = { customers: 0, repeatCustomers: 0, orders: 0, orderValueMinor: 0 };
  const pick = (member: boolean) => {
    const row = rows.find((r) => r.member === member);
    return row ? { customers: row.customers, repeatCustomers: row.repeatCustomers, orders: row.orders, orderValueMinor: row.orderValueMinor } : empty;
  };
  return { members: pick(true), nonMembers: pick(false) };
}

export async function tierDistribution(database: Database, shopId: number): Promise<{ tierId: string | null; customers: number }[]> {
  const { rows } = await database.pool.query(
    `select "tierId", count(*)::float8 as customers from "Customer" where "shopId" = $1 and "redactedAt" is null group by "tierId"`,
    [shopId],
  );
  return rows as { tierId: string | null; customers: number }[];
}

/** Whether the shop has ever given points (the onboarding's last step). */
export async function hasAwardedPoints(database: Database, shopId: number): Promise<boolean> {
  const { rows } = await database.pool.query(`select exists (select 1 from "LedgerEntry" where "shopId" = $1 and points > 0) as awarded`, [shopId]);
  return rows[0].awarded as boolean;
}
