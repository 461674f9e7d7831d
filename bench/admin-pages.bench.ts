/**
 * Server time of every admin page on a shop the size of the demo: the 23,570 CDNOW customers with their 69,659
 * orders, points earned on each, redemptions, tiers and a reward catalogue, seeded straight into the loyalty
 * tables. The built app runs as in production (server.ts, demo sign-in); each page is requested as the admin
 * opens it (a document request: every loader plus the server render), warmed up, then timed.
 *   npx tsx bench/admin-pages.bench.ts
 */
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import pg from "pg";
import { ensureAppBuilt } from "../scripts/lib/build";
import { readCdnowPurchases, cdnowCustomer, cdnowOrders } from "../scripts/lib/cdnow";
import { spawnAppProcess, stopProcess, waitForHttp } from "../scripts/lib/processes";
import { startFakeAdminApi } from "../scripts/fake-shopify/admin-api";
import { fakeAdminResolvers } from "../scripts/fake-shopify/resolvers";
import { benchDatabase, fmt, percentile } from "./lib";

const DEMO_SHOP = "demo-shop.myshopify.com";
const DESKTOP_CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36";
const WARMUP = 3;
const RUNS = 15;

/** Seeds the demo shop's loyalty data from CDNOW; returns a customer with history, for the customer page. */
export async function seedAdminShop(url: string, now: Date): Promise<{ shopId: number; customerId: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows: shop } = await client.query<{ id: number }>(
    `insert into "Shop" (domain, "updatedAt") values ($1, now()) on conflict (domain) do update set domain = excluded.domain returning id`,
    [DEMO_SHOP],
  );
  const shopId = shop[0].id;
  const orders = cdnowOrders(readCdnowPurchases(), now);
  const firstOrderAt = orders[0].createdAt;
  const settings = { enabled: true, startedAt: new Date(firstOrderAt.getTime() - 86_400_000).toISOString() };
  await client.query(`insert into "LoyaltyProgram" ("shopId", settings) values ($1, $2) on conflict do nothing`, [shopId, JSON.stringify(settings)]);

  const customers = new Map<number, ReturnType<typeof cdnowCustomer>>();
  for (const order of orders) customers.set(order.customerId!, { customerId: order.customerId!, email: order.email!, firstName: order.firstName!, lastName: order.lastName! });
  const list = [...customers.values()];
  await client.query(
    `insert into "Customer" ("shopId", "shopifyCustomerId", email, "firstName", "lastName")
     select $1, unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), unnest($5::text[])`,
    [shopId, list.map((c) => String(c.customerId)), list.map((c) => c.email), list.map((c) => c.firstName), list.map((c) => c.lastName)],
  );
  const { rows: ids } = await client.query<{ id: string; shopifyCustomerId: string }>(`select id::text, "shopifyCustomerId" from "Customer" where "shopId" = $1`, [shopId]);
  const internal = new Map(ids.map((row) => [row.shopifyCustomerId, row.id]));

  const chunk = 10_000;
  for (let start = 0; start < orders.length; start += chunk) {
    const part = orders.slice(start, start + chunk);
    const customerIds = part.map((o) => internal.get(String(o.customerId))!);
    await client.query(
      `insert into "OrderPoints" ("shopId", "orderId", "customerId", state, "spendMinor", "paidAt", "postedPoints")
       select $1, unnest($2::text[]), unnest($3::bigint[]), '{}', unnest($4::bigint[]), unnest($5::timestamptz[]), unnest($6::int[])`,
      [shopId, part.map((o) => String(o.orderId)), customerIds, part.map((o) => o.subtotalMinor), part.map((o) => o.createdAt), part.map((o) => Math.floor(o.subtotalMinor / 100))],
    );
    await client.query(
      `insert into "LedgerEntry" ("shopId", "customerId", kind, points, "availableAt", "occurredAt", "idempotencyKey", "orderId")
       select $1, c, 'order_earn', p, t, t, 'order:' || o || ':paid', o
         from unnest($2::bigint[], $3::int[], $4::timestamptz[], $5::text[]) as x(c, p, t, o) where p > 0`,
      [shopId, customerIds, part.map((o) => Math.floor(o.subtotalMinor / 100)), part.map((o) => o.createdAt), part.map((o) => String(o.orderId))],
    );
  }

  // A catalogue, and one $5-off redemption for every customer who reached 500 points, halfway through their history.
  const { rows: reward } = await client.query<{ id: number }>(
    `insert into "Reward" ("shopId", definition) values
       ($1, '{"type":"fixed_amount","name":"$5 off","pointsCost":500,"amountMinor":500}'),
       ($1, '{"type":"free_shipping","name":"Free shipping","pointsCost":300}'),
       ($1, '{"type":"percentage","name":"10% off","pointsCost":800,"percent":10}')
     returning id`,
    [shopId],
  );
  await client.query(
    `with rich as (
       select c.id, (select min("occurredAt") + (max("occurredAt") - min("occurredAt")) / 2 + interval '1 day' from "LedgerEntry" l where l."customerId" = c.id) as at
         from "Customer" c where c."shopId" = $1 and c."pointsBalance" >= 500
     ), redeemed as (
       insert into "Redemption" ("shopId", "customerId", "rewardId", "rewardSnapshot", "pointsCost", status, "requestKey", code, "currencyCode", "createdAt", "issuedAt")
       select $1, id, $2, '{"type":"fixed_amount","name":"$5 off","pointsCost":500,"amountMinor":500}', 500, 'issued', 'bench:' || id, 'RE-' || id, 'USD', least(at, $3), least(at, $3) from rich
       returning id, "customerId", "createdAt"
     )
     insert into "LedgerEntry" ("shopId", "customerId", kind, points, "availableAt", "occurredAt", "idempotencyKey")
     select $1, "customerId", 'redemption', -500, "createdAt", "createdAt", 'redemption:' || id from redeemed`,
    [shopId, reward[0].id, now],
  );
  await client.query(
    `update "Customer" set "tierId" = case when "lifetimeSpendMinor" >= 100000 then 'platinum' when "lifetimeSpendMinor" >= 50000 then 'gold' when "lifetimeSpendMinor" >= 10000 then 'silver' end
      where "shopId" = $1`,
    [shopId],
  );
  // A live database has planner statistics (autovacuum gathers them); a freshly seeded one needs them now.
  await client.query("analyze");
  const { rows: busiest } = await client.query<{ id: string }>(
    `select "customerId"::text as id from "LedgerEntry" where "shopId" = $1 group by 1 order by count(*) desc limit 1`,
    [shopId],
  );
  await client.end();
  return { shopId, customerId: busiest[0].id };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function main() {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  ensureAppBuilt(say);
  const database = await benchDatabase("admin");
  const processes: ChildProcess[] = [];
  const fakeAdmin = await startFakeAdminApi(fakeAdminResolvers);
  try {
    let started = performance.now();
    const { customerId } = await seedAdminShop(database.url, new Date());
    say(`admin pages: seeded 23,570 customers / 69,659 orders with points in ${fmt((performance.now() - started) / 1000)} s`);
    const port = await freePort();
    const base = `http://localhost:${port}`;
    processes.push(spawnAppProcess("web", { DATABASE_URL: database.url, PORT: String(port), DEMO_MODE: "1", SHOPIFY_APP_URL: base, SHOPIFY_ADMIN_API_ORIGIN: fakeAdmin.origin }, { quiet: true }));
    await waitForHttp(`${base}/healthz`);
    const entry = await fetch(`${base}/`, { redirect: "manual", headers: { "user-agent": DESKTOP_CHROME_UA } });
    const query = new URL(entry.headers.get("location")!, base).search;

    const pages: [string, string][] = [
      ["Home", "/app"],
      ["Program", "/app/program"],
      ["New reward", "/app/rewards/new"],
      ["Customers", "/app/customers"],
      ["Customers, search", "/app/customers?q=smith"],
      ["Customers, by spend, page 300", "/app/customers?sort=spend&dir=desc&page=300"],
      ["Customer", `/app/customers/${customerId}`],
      ["Analytics", "/app/analytics"],
      ["Import / Export", "/app/import"],
      ["Billing", "/app/billing"],
    ];
    for (const [name, path] of pages) {
      const url = `${base}${path}${path.includes("?") ? `&${query.slice(1)}` : query}`;
      const times: number[] = [];
      let status = 0;
      for (let run = 0; run < WARMUP + RUNS; run += 1) {
        started = performance.now();
        const response = await fetch(url, { headers: { "user-agent": DESKTOP_CHROME_UA } });
        await response.arrayBuffer();
        status = response.status;
        if (run >= WARMUP) times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      say(`admin page ${name}: median ${fmt(percentile(times, 50))} ms, p95 ${fmt(percentile(times, 95))} ms (HTTP ${status}, ${RUNS} requests)`);
    }
  } finally {
    await Promise.all(processes.map((child) => stopProcess(child)));
    await fakeAdmin.close();
    await database.stop();
  }
}

if (process.argv[1]?.endsWith("admin-pages.bench.ts")) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
