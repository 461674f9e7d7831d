/**
 * The storefront widget's balance read: signed App Proxy `GET /proxy/program` requests for logged-in customers
 * of a seeded shop, sent to the real web process (Remix + Express) at a fixed rate for 30 s, open loop (a slow
 * answer does not slow the sender, as with shoppers). Each request is signed when sent, as Shopify does, for
 * one of the shop's customers from one of many addresses. Prints the achieved rate and latency percentiles.
 * The shop is seeded the way production fills it: program switched on, rewards, and each customer's paid
 * orders delivered as signed webhooks and turned into points by a worker process.
 * Target: p99 < 20 ms at 500 requests/s. Environment: PROXY_RATE (default 500), PROXY_SECONDS (default 30).
 */
import pg from "pg";
import { Agent } from "undici";
import { openDatabase } from "~/data/db.server";
import { shopIdFor } from "~/data/shops.server";
import { updateProgramSettings } from "~/services/loyalty/program.server";
import { createReward } from "~/services/loyalty/rewards.server";
import { signAppProxyQuery } from "~/shopify/app-proxy.server";
import { orderPayload } from "../scripts/fake-shopify/webhook-samples";
import { ensureAppBuilt } from "../scripts/lib/build";
import { spawnAppProcess, stopProcess, waitForHttp } from "../scripts/lib/processes";
import { replay } from "../scripts/lib/replay";
import { benchDatabase, fmt, percentile } from "./lib";

const RATE = Number(process.env.PROXY_RATE ?? 500);
const SECONDS = Number(process.env.PROXY_SECONDS ?? 30);
const CUSTOMERS = 2_000;
const ORDERS_PER_CUSTOMER = 3;
const PORT = 3320;
const SECRET = "bench-secret";
const SHOP = "bench-shop.myshopify.com";

ensureAppBuilt((line) => console.log(line));
const db = await benchDatabase("proxy");
const appEnv = { DATABASE_URL: db.url, PORT: String(PORT), DEMO_MODE: "1", SHOPIFY_API_SECRET: SECRET, LOG_LEVEL: "error" };
const web = spawnAppProcess("web", appEnv);
const worker = spawnAppProcess("worker", appEnv);
const base = `http://127.0.0.1:${PORT}`;
const agent = new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 30_000 });

const customerIds = Array.from({ length: CUSTOMERS }, (_, i) => String(8_000_000_000 + i));

async function seedShop(): Promise<void> {
  const database = openDatabase(db.url, { max: 2 });
  const now = new Date();
  const shopId = await shopIdFor(database.pool, SHOP);
  const started = await updateProgramSettings({ db: database.pool, shopId, change: (s) => ({ ...s, enabled: true, startedAt: new Date(now.getTime() - 400 * 86_400_000) }), now });
  if (!started.ok) throw new Error("could not switch the program on");
  for (const [name, pointsCost] of [["$5 off", 500], ["$10 off", 1_000], ["$25 off", 2_500]] as const) {
    await createReward({ db: database.pool, shopId, reward: { type: "fixed_amount", name, amountMinor: pointsCost, pointsCost } });
  }
  await database.close();
  const items = customerIds.flatMap((customerId, c) =>
    Array.from({ length: ORDERS_PER_CUSTOMER }, (_, k) => {
      const orderId = 9_000_000 + c * ORDERS_PER_CUSTOMER + k;
      const createdAt = new Date(now.getTime() - (k + 1) * 30 * 86_400_000);
      const payload = orderPayload({ orderId, customerId: Number(customerId), email: `bench.${c}@example.com`, createdAt, subtotalMinor: 2_000 + ((c * 7919 + k * 104_729) % 48_000) });
      return { topic: "orders/paid", payload, eventId: `bench-order-${orderId}` };
    }),
  );
  const result = await replay({ baseUrl: base, shop: SHOP, secret: SECRET, items });
  if (result.refused.length > 0) throw new Error(`orders refused: ${result.refused[0].status} ${result.refused[0].message}`);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  for (;;) {
    const { rows } = await client.query(`select count(*) filter (where status = 'received')::int as waiting, count(*) filter (where status = 'failed')::int as failed from "WebhookInbox"`);
    if (rows[0].failed > 0) throw new Error(`${rows[0].failed} orders failed in the worker`);
    if (rows[0].waiting === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await client.end();
  console.log(`proxy: seeded ${CUSTOMERS.toLocaleString("en-US")} customers with ${items.length.toLocaleString("en-US")} paid orders (webhooks → worker → ledger)`);
}

async function readBalance(i: number): Promise<{ status: number; hasCustomer: boolean }> {
  const customerId = customerIds[i % customerIds.length];
  const query = signAppProxyQuery({ shop: SHOP, logged_in_customer_id: customerId, path_prefix: "/apps/rewards" }, SECRET, new Date());
  // undici's own request API: fetch's WHATWG streams cost the sender more CPU than the server spends answering.
  const response = await agent.request({
    origin: base,
    path: `/proxy/program?${query}`,
    method: "GET",
    headers: { accept: "application/json", "x-forwarded-for": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
  });
  const body = (await response.body.json().catch(() => ({}))) as { customer?: { balance?: number } | null };
  return { status: response.statusCode, hasCustomer: typeof body.customer?.balance === "number" };
}

try {
  await waitForHttp(`${base}/healthz`);
  await seedShop();
  for (let i = 0; i < 200; i += 1) await readBalance(i); // warm-up

  const total = RATE * SECONDS;
  const latencies: number[] = [];
  const statuses = new Map<string, number>();
  const count = (outcome: string) => void statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const sentAt = performance.now();
    inFlight.push(
      readBalance(i).then(
        ({ status, hasCustomer }) => {
          latencies.push(performance.now() - sentAt);
          count(status === 200 && !hasCustomer ? "200 without a balance" : String(status));
        },
        (error: Error) => count(error.message),
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(`proxy: ${total.toLocaleString("en-US")} signed balance reads (GET /proxy/program, ${CUSTOMERS.toLocaleString("en-US")} customers) offered at ${RATE}/s for ${SECONDS} s`);
  console.log(`proxy: achieved ${fmt(total / elapsed)} reads/s; answers: ${[...statuses].map(([outcome, n]) => `${outcome} × ${n.toLocaleString("en-US")}`).join(", ")}`);
  console.log(`proxy: latency p50 ${fmt(percentile(latencies, 50))} ms, p95 ${fmt(percentile(latencies, 95))} ms, p99 ${fmt(percentile(latencies, 99))} ms, max ${fmt(latencies.at(-1) ?? NaN)} ms`);
} finally {
  await Promise.all([stopProcess(web), stopProcess(worker)]);
  await agent.close();
  await db.stop();
}
