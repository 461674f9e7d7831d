/**
 * A synthetic shop of N customers shaped like the CDNOW customers, written straight into the loyalty and churn
 * tables with set-based SQL, for the scale benchmarks:
 *   npx tsx scripts/synthetic-shop.ts [--customers 1000000] [--shop synthetic.myshopify.com] [--years 4]
 * (DATABASE_URL, or the demo's embedded server).
 *
 * Customer n buys as CDNOW customer ((n - 1) mod 23,570) + 1 did: the same days, amounts and skew (half buy
 * once, a few buy dozens of times). CDNOW covers 546 days; over `years` (4 by default) each customer repeats its
 * model's 546-day pattern back to back, the last repetition ending yesterday and the oldest one cut at the window's
 * start. Its ledger holds what the program's default rules make of that: the signup points, points per order
 * (1 per dollar, rounded down), birthday points each year for the third of customers who gave a birthday, and
 * one redemption of 500 points for each customer who earned that many: about 10 rows per customer over 4 years.
 * Tiers follow the default rules (spend over the last 12 months).
 *
 * Names: the first name is the CDNOW model's; the last name is one of 4,800 made-up surnames (syllables), spread
 * evenly, so a surname search matches ~0.02 % of the shop as in a real customer base (CDNOW's demo names are
 * only 12 surnames, which would make every name search match a twelfth of the shop). Emails read like real ones,
 * first.last.n@ one of three example domains (a shop where every address shares most of its characters, like
 * synthetic.n@example.com, would be the worst case for a substring search).
 */
import pg from "pg";
import { BASE_MULTIPLIER_BPS, defaultProgramSettings, pointsForAmount } from "~/domain/loyalty";
import { cdnowCustomer, readCdnowPurchases } from "./lib/cdnow";
import { DEMO_PG_PORT } from "./lib/database";
import { openAppDatabase } from "./lib/postgres";
import { migrateDeploy } from "./lib/prisma-cli";

/** CDNOW's purchases span 546 days, from 1 January 1997. */
const CDNOW_DAYS = 546;
const CDNOW_START = Date.UTC(1997, 0, 1);
const DAY_MS = 86_400_000;
const SYNTHETIC_CUSTOMER_ID_BASE = 8_000_000_000;
const REDEMPTION_POINTS = 500;
/** 20 × 15 × 16 = 4,800 surnames. */
const SURNAME_STARTS = ["Al", "Ber", "Cor", "Dan", "El", "Fer", "Gar", "Hol", "Ing", "Jan", "Kor", "Lin", "Mar", "Nor", "Ost", "Par", "Ros", "Sal", "Tor", "Wil"];
const SURNAME_MIDDLES = ["a", "e", "i", "o", "u", "an", "en", "in", "on", "ar", "er", "or", "el", "il", "ol"];
/** Reserved for examples (RFC 2606): nothing is ever sent to them. */
const EMAIL_DOMAINS = ["example.com", "example.net", "example.org"];
const SURNAME_ENDS = ["berg", "son", "ski", "ova", "ez", "ini", "sen", "ton", "well", "ford", "ley", "mann", "stein", "ard", "ic", "dottir"];

export interface SyntheticShopOptions {
  customers: number;
  shop: string;
  years?: number;
  now?: Date;
  log?: (line: string) => void;
}

export interface SyntheticShop {
  shopId: number;
  customers: number;
  orders: number;
  ledgerRows: number;
  seconds: number;
}

export async function generateSyntheticShop(databaseUrl: string, options: SyntheticShopOptions): Promise<SyntheticShop> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const now = options.now ?? new Date();
  // The window spans `years` of whole days up to today (UTC midnight); the model's pattern repeats back from its
  // end (its last day is yesterday), so `cycles` repetitions cover the window and the oldest is cut at its start.
  const spanDays = Math.max(1, Math.round((options.years ?? 4) * 365));
  const cycles = Math.ceil(spanDays / CDNOW_DAYS);
  const windowEnd = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const windowStart = new Date(windowEnd.getTime() - spanDays * DAY_MS);
  const settings = defaultProgramSettings("USD");
  // One point per dollar, rounded down, is the default earning rule; SQL applies it as floor(amount / unit).
  if (pointsForAmount(12_399, settings.earning, BASE_MULTIPLIER_BPS) !== 123) throw new Error("the default earning rule is no longer 1 point per dollar, rounded down");
  const tiers = settings.tiers.levels.map((tier) => ({ id: tier.id, threshold: tier.threshold }));

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const step = async (label: string, sql: string, values: unknown[] = []) => {
    const at = performance.now();
    const result = await client.query(sql, values);
    log(`  ${label}: ${(result.rowCount ?? 0).toLocaleString("en-US")} rows in ${((performance.now() - at) / 1000).toFixed(1)} s`);
    return result;
  };
  try {
    // The rows are consistent by construction: skip the per-row triggers (balance and spend caches, foreign keys)
    // and compute the caches once at the end. Needs a superuser; otherwise the triggers run (slower, same result).
    const triggersOff = await client.query("set session_replication_role = replica").then(
      () => true,
      () => false,
    );
    const { rows: shop } = await client.query<{ id: number }>(
      `insert into "Shop" (domain, "currencyCode", "updatedAt") values ($1, 'USD', now()) on conflict (domain) do update set "updatedAt" = now() returning id`,
      [options.shop],
    );
    const shopId = shop[0].id;
    await client.query(`insert into "LoyaltyProgram" ("shopId", settings) values ($1, $2) on conflict ("shopId") do update set settings = excluded.settings, version = "LoyaltyProgram".version + 1`, [
      shopId,
      JSON.stringify({ ...settings, enabled: true, startedAt: new Date(windowStart.getTime() - DAY_MS) }),
    ]);

    // The CDNOW model customers: their purchases as day offsets, and their names.
    const purchases = readCdnowPurchases();
    const models = [...new Set(purchases.map((p) => p.customer))].sort((a, b) => a - b);
    await client.query(`create temp table model_purchase (model int, day int, amount_minor int) on commit preserve rows`);
    await client.query(`insert into model_purchase select * from unnest($1::int[], $2::int[], $3::int[])`, [
      purchases.map((p) => p.customer),
      purchases.map((p) => Math.round((p.date.getTime() - CDNOW_START) / DAY_MS)),
      purchases.map((p) => p.amountMinor),
    ]);
    await client.query(`create temp table model (model int primary key, first_name text) on commit preserve rows`);
    await client.query(`insert into model select * from unnest($1::int[], $2::text[])`, [models, models.map((m) => cdnowCustomer(m).firstName)]);
    await client.query(`analyze model_purchase; analyze model`);

    await step(
      "customers",
      `insert into "Customer" ("shopId", "shopifyCustomerId", email, "firstName", "lastName", "birthdayMonth", "birthdayDay", "createdAt")
       select $1, ($2::bigint + n)::text, lower(m.first_name || '.' || surname.name) || '.' || n || '@' || ($9::text[])[1 + n % 3], m.first_name, surname.name,
              case when n % 3 = 0 then 1 + n % 12 end, case when n % 3 = 0 then 1 + n % 28 end, $3::timestamptz
         from generate_series(1, $4::int) n
         join model m on m.model = 1 + (n - 1) % $5
         cross join lateral (select (n::bigint * 2654435761) % 4800 as s) pick
         cross join lateral (select ($6::text[])[1 + pick.s % 20] || ($7::text[])[1 + pick.s / 20 % 15] || ($8::text[])[1 + pick.s / 300 % 16] as name) surname`,
      [shopId, SYNTHETIC_CUSTOMER_ID_BASE, windowStart, options.customers, models.length, SURNAME_STARTS, SURNAME_MIDDLES, SURNAME_ENDS, EMAIL_DOMAINS],
    );
    await step(
      "orders (staging)",
      `create temp table synthetic_order on commit preserve rows as
       select c.id as customer_id, c."shopifyCustomerId" as shopify_customer_id,
              'syn-' || c.id || '-' || k || '-' || p.day || '-' || row_number() over (partition by c.id, k, p.day) as order_id,
              $2::timestamptz - (((k + 1) * $3 - p.day) * interval '1 day') + ((c.id * 7919 + p.day * 31) % 600) * interval '1 minute' + interval '9 hours' as ordered_at,
              p.amount_minor
         from "Customer" c
         join model_purchase p on p.model = 1 + ((c."shopifyCustomerId"::bigint - $4 - 1) % $5)
         cross join generate_series(0, $6::int - 1) k
        where c."shopId" = $1 and (k + 1) * $3 - p.day <= $7`,
      [shopId, windowEnd, CDNOW_DAYS, SYNTHETIC_CUSTOMER_ID_BASE, models.length, cycles, spanDays],
    );
    await step(
      "order points",
      `insert into "OrderPoints" ("shopId", "orderId", "customerId", state, "postedPoints", "spendMinor", "paidAt", "taxesIncluded")
       select $1, order_id, customer_id, '{}', amount_minor / 100, amount_minor, ordered_at, false from synthetic_order order by ordered_at`,
      [shopId],
    );
    await step(
      "order facts (churn)",
      `insert into "CustomerOrder" ("shopId", "orderId", "customerId", "orderedAt", "amountMinor", "currencyCode", "discountCodes")
       select $1, order_id, shopify_customer_id, ordered_at, amount_minor, 'USD', '{}' from synthetic_order order by ordered_at`,
      [shopId],
    );
    // The ledger is built in a staging table and appended in time order, as a live shop's ledger grows.
    await client.query(
      `create temp table synthetic_ledger (customer_id bigint, kind text, points int, at timestamptz, key text, order_id text, action text) on commit preserve rows`,
    );
    await step(
      "ledger: orders (staging)",
      `insert into synthetic_ledger select customer_id, 'order_earn', amount_minor / 100, ordered_at, 'order:' || order_id || ':paid', order_id, null
         from synthetic_order where amount_minor >= 100`,
    );
    await step(
      "ledger: signup (staging)",
      `insert into synthetic_ledger select customer_id, 'action', $1, min(ordered_at), 'action:signup:' || customer_id, null, 'signup' from synthetic_order group by customer_id`,
      [settings.actions.signup.points],
    );
    await step(
      "ledger: birthdays (staging)",
      `insert into synthetic_ledger
       select c.id, 'action', $2, b.at, 'action:birthday:' || c.id || ':' || extract(year from b.at), null, 'birthday'
         from "Customer" c
         cross join lateral (
           select make_timestamptz(y::int, c."birthdayMonth", c."birthdayDay", 8, 0, 0, 'UTC') as at
             from generate_series(extract(year from $3::timestamptz)::int, extract(year from $4::timestamptz)::int) y
         ) b
        where c."shopId" = $1 and c."birthdayMonth" is not null and b.at between $3 and $4`,
      [shopId, settings.actions.birthday.points, windowStart, now],
    );
    const { rows: reward } = await client.query<{ id: string }>(
      `insert into "Reward" ("shopId", definition) values ($1, $2) returning id::text`,
      [shopId, JSON.stringify({ type: "fixed_amount", name: "$5 off", pointsCost: REDEMPTION_POINTS, amountMinor: 500 })],
    );
    await step(
      "ledger: redemptions (staging)",
      `with earned as (
         select customer_id, sum(points) as points, min(at) + (max(at) - min(at)) / 2 as midway
           from synthetic_ledger group by 1 having sum(points) >= $3
       ), redeemed as (
         insert into "Redemption" ("shopId", "customerId", "rewardId", "rewardSnapshot", "pointsCost", status, "requestKey", code, "currencyCode", "createdAt", "issuedAt")
         select $1, customer_id, $2::bigint, $4::jsonb, $3, 'issued', 'synthetic:' || customer_id, 'SYN-' || customer_id, 'USD', midway, midway from earned
         returning id, "customerId", "createdAt"
       )
       insert into synthetic_ledger select "customerId", 'redemption', -$3, "createdAt", 'redemption:' || id, null, null from redeemed`,
      [shopId, reward[0].id, REDEMPTION_POINTS, JSON.stringify({ type: "fixed_amount", name: "$5 off", pointsCost: REDEMPTION_POINTS, amountMinor: 500 })],
    );
    await step(
      "ledger",
      `insert into "LedgerEntry" ("shopId", "customerId", kind, points, "availableAt", "occurredAt", "idempotencyKey", "orderId", action)
       select $1, customer_id, kind::"LedgerEntryKind", points, at, at, key, order_id, action from synthetic_ledger order by at`,
      [shopId],
    );
    if (triggersOff) {
      await step(
        "balances and spend",
        `update "Customer" c set "pointsBalance" = l.points, "lifetimeSpendMinor" = o.spend, "lastActivityAt" = l.last
           from (select "customerId", sum(points)::int as points, max("occurredAt") as last from "LedgerEntry" where "shopId" = $1 group by 1) l,
                (select "customerId", sum("spendMinor") as spend from "OrderPoints" where "shopId" = $1 group by 1) o
          where c.id = l."customerId" and c.id = o."customerId"`,
        [shopId],
      );
    }
    // Tiers by the default rules: spend over the last 12 months against each tier's threshold, highest first.
    await step(
      "tiers",
      `update "Customer" c set "tierId" = t.id, "tierSince" = $2::timestamptz - interval '30 days'
         from (select "customerId", sum("spendMinor") as spend from "OrderPoints" where "shopId" = $1 and "paidAt" > $2::timestamptz - interval '365 days' group by 1) s,
              lateral (select id from unnest($3::text[], $4::bigint[]) as tier(id, threshold) where s.spend >= tier.threshold order by tier.threshold desc limit 1) t
        where c.id = s."customerId"`,
      [shopId, now, tiers.map((t) => t.id), tiers.map((t) => t.threshold)],
    );
    await client.query("reset session_replication_role");
    // A live database has been vacuumed and has planner statistics (autovacuum sees to both): a freshly written one
    // needs them now (the visibility map, the trigram index's pending list merged, statistics for the planner).
    await step("vacuum analyze", "vacuum analyze");
    const { rows: counts } = await client.query<{ customers: number; orders: number; ledger: number }>(
      `select (select count(*) from "Customer" where "shopId" = $1)::int as customers,
              (select count(*) from "OrderPoints" where "shopId" = $1)::int as orders,
              (select count(*) from "LedgerEntry" where "shopId" = $1)::int as ledger`,
      [shopId],
    );
    return { shopId, customers: counts[0].customers, orders: counts[0].orders, ledgerRows: counts[0].ledger, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

async function main() {
  const customers = Number(flag("customers") ?? 1_000_000);
  const years = Number(flag("years") ?? 4);
  if (!Number.isInteger(customers) || customers < 1) throw new Error("--customers must be a positive whole number");
  if (!(years > 0)) throw new Error("--years must be positive");
  const { server, url } = await openAppDatabase({ name: "pg-demo", port: DEMO_PG_PORT, database: "retention" });
  try {
    migrateDeploy(url);
    const shop = flag("shop") ?? "synthetic.myshopify.com";
    console.log(`synthetic shop ${shop}: ${customers.toLocaleString("en-US")} customers over ${years} years`);
    const result = await generateSyntheticShop(url, { customers, shop, years, log: (line) => console.log(line) });
    console.log(
      `synthetic shop ${shop}: ${result.customers.toLocaleString("en-US")} customers, ${result.orders.toLocaleString("en-US")} orders, ${result.ledgerRows.toLocaleString("en-US")} ledger rows in ${result.seconds.toFixed(1)} s`,
    );
  } finally {
    await server.stop();
  }
}

if (process.argv[1]?.endsWith("synthetic-shop.ts")) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
