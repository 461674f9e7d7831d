/**
 * The loyalty ledger's speed on this machine with its own embedded PostgreSQL:
 * 1. paid orders end to end through the real worker: pg-boss job → inbox row → the registered orders/paid
 *    handlers (order points, ledger row, cached balance, tier, Flow outbox; the churn radar's order facts beside)
 *    → row marked processed. Target ≥ 2,000 orders/s.
 * 2. one customer's balance (the storefront's read) with 1,000,000 ledger rows in the shop. Target p99 < 5 ms.
 * Environment: LEDGER_ORDERS (default 30,000), LEDGER_CUSTOMERS (default 10,000), WORKER_CONCURRENCY (default 8).
 */
import { randomUUID } from "node:crypto";
import { benchDatabase, fmt, percentile } from "./lib";

const ORDERS = Number(process.env.LEDGER_ORDERS ?? 30_000);
const CUSTOMERS = Number(process.env.LEDGER_CUSTOMERS ?? 10_000);
const CONCURRENCY = Number(process.env.WORKER_CONCURRENCY ?? 8);
const SHOP = "ledger-bench.myshopify.com";
const SECRET = "bench-secret";

const db = await benchDatabase("ledger");
Object.assign(process.env, { DATABASE_URL: db.url, DEMO_MODE: "1", SHOPIFY_API_SECRET: SECRET, LOG_LEVEL: "error" });
const { openDatabase } = await import("~/data/db.server");
const { startQueue } = await import("~/jobs/queue.server");
const { topicBatchHandlers, topicHandlers } = await import("~/jobs/registry.server");
const { startWorker } = await import("~/jobs/worker.server");
const { shopIdFor } = await import("~/data/shops.server");
const { updateProgramSettings } = await import("~/services/loyalty/program.server");
const { customerBalance } = await import("~/services/loyalty/balance.server");
const { InboxWriter } = await import("~/shopify/webhooks/inbox-writer.server");
const { receiveWebhook } = await import("~/shopify/webhooks/intake.server");
const { orderPayload, signedDelivery } = await import("../scripts/fake-shopify/webhook-samples");

const database = openDatabase(db.url, { max: 40 });
const queue = await startQueue(database.pool, { maxAttempts: 8, expireSeconds: 60, maintenanceSeconds: 30 });
const count = async (sql: string, params: unknown[] = []) => Number((await database.pool.query(sql, params)).rows[0].n);

try {
  const now = new Date();
  const shopId = await shopIdFor(database.pool, SHOP);
  await updateProgramSettings({ db: database.pool, shopId, change: (s) => ({ ...s, enabled: true, startedAt: new Date(now.getTime() - 400 * 86_400_000) }), now });

  // 1. Deliveries recorded by intake (as the web process does) before the worker starts, then drained.
  const inbox = new InboxWriter(database.pool, queue);
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < ORDERS; i += 1) {
    const customer = 1 + (i % CUSTOMERS);
    const payload = orderPayload({ orderId: 1_000_000 + i, customerId: customer, email: `c${customer}@example.com`, firstName: "Bench", lastName: `C${customer}`, createdAt: now, subtotalMinor: 1_000 + ((i * 7919) % 60_000) });
    const signed = signedDelivery({ topic: "orders/paid", shop: SHOP, payload, secret: SECRET, eventId: randomUUID() });
    pending.push(receiveWebhook({ inbox, secret: SECRET }, new Headers(signed.headers), Buffer.from(signed.body)));
    if (pending.length >= 500) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  const processed = () => count(`select count(*) as n from "WebhookInbox" where status = 'processed'`);

  const started = performance.now();
  await startWorker(database, queue, topicHandlers, { concurrency: CONCURRENCY, maxAttempts: 8, batchHandlers: topicBatchHandlers });
  while ((await processed()) < ORDERS) await new Promise((r) => setTimeout(r, 50));
  const seconds = (performance.now() - started) / 1000;
  await queue.stop({ graceful: true, wait: true });
  const ledgerRows = await count(`select count(*) as n from "LedgerEntry" where "shopId" = $1 and kind = 'order_earn'`, [shopId]);
  const tiered = await count(`select count(*) as n from "Customer" where "shopId" = $1 and "tierId" is not null`, [shopId]);
  console.log(`ledger: ${ORDERS.toLocaleString("en-US")} paid orders (${CUSTOMERS.toLocaleString("en-US")} customers) end to end through the worker (concurrency ${CONCURRENCY}): ${fmt(seconds)} s, ${fmt(ORDERS / seconds, 0)} orders/s`);
  console.log(`ledger:   ${ledgerRows.toLocaleString("en-US")} ledger rows, ${tiered.toLocaleString("en-US")} customers in a tier`);

  // 2. A million ledger rows in the shop (written in bulk, triggers off; the cached balances recomputed after).
  const readers = 25_000;
  const rowsPerCustomer = 40;
  const client = await database.pool.connect();
  try {
    await client.query("set session_replication_role = replica");
    await client.query(
      `insert into "Customer" ("shopId", "shopifyCustomerId", email) select $1, 'read-' || g, 'r' || g || '@example.com' from generate_series(1, $2) g`,
      [shopId, readers],
    );
    await client.query(
      `insert into "LedgerEntry" ("shopId", "customerId", kind, points, "availableAt", "occurredAt", "idempotencyKey")
       select $1, c.id, 'import', 1 + (g * 37 + c.id) % 200, now() - (g || ' days')::interval + interval '10 days', now() - (g || ' days')::interval,
              'bench:' || c.id || ':' || g
         from "Customer" c, generate_series(1, $2) g
        where c."shopId" = $1 and c."shopifyCustomerId" like 'read-%'`,
      [shopId, rowsPerCustomer],
    );
    await client.query("set session_replication_role = origin");
    await client.query(
      `update "Customer" c set "pointsBalance" = s.sum from (select "customerId", sum(points) as sum from "LedgerEntry" where "shopId" = $1 group by 1) s
        where s."customerId" = c.id`,
      [shopId],
    );
    await client.query(`analyze "LedgerEntry"`);
    await client.query(`analyze "Customer"`);
  } finally {
    client.release();
  }
  const total = await count(`select count(*) as n from "LedgerEntry" where "shopId" = $1`, [shopId]);
  const latencies: number[] = [];
  for (let i = 0; i < 3_000; i += 1) {
    const customerId = `read-${1 + ((i * 7_919) % readers)}`;
    const t = performance.now();
    await customerBalance({ db: database.pool, shopId, customerId, now });
    if (i >= 500) latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  console.log(
    `ledger: balance read with ${total.toLocaleString("en-US")} ledger rows in the shop (${rowsPerCustomer} per customer): p50 ${fmt(percentile(latencies, 50), 2)} ms, p99 ${fmt(percentile(latencies, 99), 2)} ms`,
  );
} finally {
  await queue.stop({ graceful: false, wait: true }).catch(() => undefined);
  await database.close();
  await db.stop();
}
