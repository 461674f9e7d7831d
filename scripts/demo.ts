/**
 * `npm run demo`: the whole product on this machine with no Shopify and no internet.
 * Starts PostgreSQL (embedded unless DATABASE_URL is set), applies the migrations, starts a fake Shopify Admin
 * API, the web process and a worker, seeds the demo shop by replaying the real CDNOW purchase history as
 * signed orders/paid webhooks through POST /webhooks, and prints the admin URL.
 */
import { SingleBar } from "cli-progress";
import pg from "pg";
import { ensureAppBuilt } from "./lib/build";
import { cdnowOrders, readCdnowPurchases, type CdnowPurchase } from "./lib/cdnow";
import { DEMO_PG_PORT } from "./lib/database";
import { openAppDatabase } from "./lib/postgres";
import { migrateDeploy } from "./lib/prisma-cli";
import { spawnAppProcess, stopProcess, waitForHttp } from "./lib/processes";
import { replay } from "./lib/replay";
import { runFirstChurnRefit } from "./lib/churn-demo";
import { startFakeAdminApi } from "./fake-shopify/admin-api";
import { fakeAdminResolvers } from "./fake-shopify/resolvers";
import { seedDemoSubscriptions } from "./fake-shopify/subscription-resolvers";
import { startDemoShopStorefront } from "./demo-storefront/demo-shop";
import { orderPayload, refundPayload, type OrderSpec } from "./fake-shopify/webhook-samples";
import { openDatabase } from "~/data/db.server";
import { shopIdFor } from "~/data/shops.server";
import { submitFeedback } from "~/services/churn/feedback.server";
import { createReward, listRewards } from "~/services/loyalty/rewards.server";
import { updateProgramSettings } from "~/services/loyalty/program.server";

const DEMO_SHOP = "demo-shop.myshopify.com";
const port = Number(process.env.PORT ?? 3000);
const secret = process.env.SHOPIFY_API_SECRET ?? "demo-api-secret";
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  say("Retention Engine demo");
  const { server: postgres, url } = await openAppDatabase({ name: "pg-demo", port: DEMO_PG_PORT, database: "retention" });
  say(`database: ${process.env.DATABASE_URL ? "DATABASE_URL" : `embedded PostgreSQL on 127.0.0.1:${DEMO_PG_PORT} (.data/pg-demo)`}`);
  migrateDeploy(url);
  ensureAppBuilt(say);

  const fakeAdmin = await startFakeAdminApi(fakeAdminResolvers);
  const env = { DATABASE_URL: url, PORT: String(port), DEMO_MODE: "1", SHOPIFY_API_SECRET: secret, SHOPIFY_ADMIN_API_ORIGIN: fakeAdmin.origin };
  const web = spawnAppProcess("web", env);
  const worker = spawnAppProcess("worker", env);
  const base = `http://localhost:${port}`;
  const shutdown = async () => {
    await Promise.all([stopProcess(web), stopProcess(worker)]);
    await fakeAdmin.close();
    await postgres.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  await waitForHttp(`${base}/healthz`);
  await fetch(`${base}/`, { redirect: "manual" }); // installs the demo shop (offline session, shop row)

  const purchases = demoPurchases();
  await setUpProgram(url, purchases);
  await seed(url, base, purchases);
  await reverseTwoOrders(url, base, purchases);
  // churn radar: one scoring pass now rather than at 03:00 (scripts/lib/churn-demo.ts).
  await runFirstChurnRefit(url, DEMO_SHOP, say);
  await seedFeedback(url, purchases);

  // The shop's storefront, as shoppers see it (theme app extension, signed App Proxy requests).
  const storefront = await startDemoShopStorefront({ shop: DEMO_SHOP, port: port + 2, appUrl: base, secret, purchases, fakeAdmin });

  // cancel-save: subscription contracts for the example customers (scripts/fake-shopify/subscription-resolvers.ts).
  const subscriptions = await seedDemoSubscriptions({ state: fakeAdmin.state, databaseUrl: url, baseUrl: base, shop: DEMO_SHOP, secret, customerEmails: storefront.loginExamples, now: new Date() });

  say(`\nReady. Open the admin: ${base}/`);
  say(`Open the shop's storefront: ${storefront.origin}/ (log in as a seeded customer, e.g. ${storefront.loginExamples[0]})`);
  say(`Cancel a subscription as a subscriber (${subscriptions} seeded): log in, then open ${storefront.origin}/apps/rewards/subscriptions`);
  say("Press Ctrl+C to stop.");
}

/** CDNOW's whole history; DEMO_CUSTOMERS=N keeps the first N customers' (a quicker look, and the demo's test). */
function demoPurchases(): CdnowPurchase[] {
  const all = readCdnowPurchases();
  const limit = process.env.DEMO_CUSTOMERS ? Number(process.env.DEMO_CUSTOMERS) : null;
  if (limit === null) return all;
  if (!Number.isInteger(limit) || limit < 1) throw new Error("DEMO_CUSTOMERS must be a positive whole number");
  return all.filter((purchase) => purchase.customer <= limit);
}

/**
 * What the merchant does first in the admin: switch the program on (as of the day before the replayed
 * history begins, as if it had run all along) and offer rewards. Only on the first start.
 */
async function setUpProgram(url: string, purchases: CdnowPurchase[]) {
  const db = new pg.Pool({ connectionString: url, max: 2 });
  const shopId = await shopIdFor(db, DEMO_SHOP);
  const { rows } = await db.query(`select 1 from "LoyaltyProgram" where "shopId" = $1`, [shopId]);
  if (rows.length === 0) {
    const firstOrderAt = cdnowOrders(purchases, new Date())[0].createdAt;
    const startedAt = new Date(firstOrderAt.getTime() - 86_400_000);
    const saved = await updateProgramSettings({ db, shopId, change: (current) => ({ ...current, enabled: true, startedAt }), now: new Date() });
    if (!saved.ok) throw new Error(`the demo program's settings were refused: ${saved.issues[0]?.message}`);
    say(`loyalty program switched on as of ${startedAt.toISOString().slice(0, 10)} (1 point per $1, Silver / Gold / Platinum tiers)`);
  }
  if ((await listRewards({ db, shopId, includeArchived: true })).length === 0) {
    for (const reward of [
      { type: "fixed_amount", name: "$5 off", pointsCost: 500, amountMinor: 500 },
      { type: "free_shipping", name: "Free shipping", pointsCost: 300 },
      { type: "percentage", name: "10% off", pointsCost: 800, percent: 10, minimumOrderMinor: 3_000 },
      { type: "store_credit", name: "$10 store credit", pointsCost: 1_000, amountMinor: 1_000 },
    ] as const) {
      const created = await createReward({ db, shopId, reward });
      if (!created.ok) throw new Error(`the demo reward ${reward.name} was refused: ${created.issues[0]?.message}`);
    }
    say("rewards offered: $5 off (500 points), free shipping (300), 10% off orders over $30 (800), $10 store credit (1,000)");
  }
  await db.end();
}

async function seed(url: string, base: string, purchases: CdnowPurchase[]) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const count = async (status?: string) =>
    Number(
      (
        await db.query(
          `select count(*) from "WebhookInbox" i join "Shop" s on s.id = i."shopId" where s.domain = $1 and i.topic = 'orders/paid' and i."dedupeKey" like '%cdnow-%' ${status ? "and i.status = $2" : ""}`,
          status ? [DEMO_SHOP, status] : [DEMO_SHOP],
        )
      ).rows[0].count,
    );
  const already = await count();
  if (already < purchases.length) {
    const customers = new Set(purchases.map((p) => p.customer)).size;
    say(`seeding the demo shop: replaying CDNOW's ${purchases.length.toLocaleString("en-US")} purchases by ${customers.toLocaleString("en-US")} customers as signed orders/paid webhooks`);
    const orders = cdnowOrders(purchases, new Date());
    const bar = new SingleBar({ format: "  webhooks sent  [{bar}] {percentage}% | {value}/{total} | {eta}s left", hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 });
    bar.start(orders.length, 0);
    const started = Date.now();
    const result = await replay({
      baseUrl: base,
      shop: DEMO_SHOP,
      secret,
      items: orders.map((order) => ({ topic: "orders/paid", payload: orderPayload(order), eventId: `cdnow-${order.orderId}` })),
      onProgress: (done) => bar.update(done),
    });
    bar.stop();
    say(`  ${result.accepted.toLocaleString("en-US")} accepted in ${((Date.now() - started) / 1000).toFixed(1)} s${result.refused.length ? `, ${result.refused.length} refused: ${result.refused[0].message}` : ""}`);
  }
  const total = purchases.length;
  const processing = new SingleBar({ format: "  processed      [{bar}] {percentage}% | {value}/{total}", hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 });
  processing.start(total, await count("processed"));
  for (;;) {
    const processed = await count("processed");
    const failed = await count("failed");
    processing.update(processed + failed);
    if (processed + failed >= total) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  processing.stop();
  await db.end();
}

// The answers of the demo's post-purchase surveys: mostly promoters and satisfied, some detractors with a reason.
const NPS_ANSWERS: [number, string | null][] = [
  [10, "Great selection, and the CDs arrive fast."], [9, null], [9, null], [10, null], [8, null], [7, "Fine, a bit pricey."],
  [10, null], [9, "Found rare imports here."], [6, "Delivery took almost two weeks."], [3, "The case arrived cracked and nobody answered my e-mail."],
  [9, null], [10, null], [8, null], [5, "Prices went up since last year."], [9, null], [10, null], [7, null], [2, "Wrong album shipped twice."],
];
const CSAT_ANSWERS: [number, string | null][] = [[5, null], [4, null], [5, "Easy checkout."], [3, null], [4, null], [5, null], [2, "Late delivery."], [4, null], [5, null], [1, "Never arrived."]];

/**
 * NPS and CSAT answers from the customers of the newest orders, as the storefront's survey page would record them
 * (each earns the program's survey points), so the Feedback page has scores and detractors to follow up. Once.
 */
async function seedFeedback(url: string, purchases: CdnowPurchase[]) {
  const database = openDatabase(url, { max: 4 });
  try {
    const shopId = await shopIdFor(database.pool, DEMO_SHOP);
    const { rows } = await database.pool.query(`select 1 from "FeedbackResponse" where "shopId" = $1 limit 1`, [shopId]);
    if (rows.length > 0) return;
    const surveyed: OrderSpec[] = [];
    for (const order of cdnowOrders(purchases, new Date()).reverse()) {
      if (order.customerId !== null && !surveyed.some((o) => o.customerId === order.customerId)) surveyed.push(order);
      if (surveyed.length === 90) break;
    }
    const now = new Date();
    const answers = surveyed.map((order, i) => {
      const [kind, [score, comment]] = i % 3 === 2 ? (["csat", CSAT_ANSWERS[i % CSAT_ANSWERS.length]] as const) : (["nps", NPS_ANSWERS[i % NPS_ANSWERS.length]] as const);
      return { order, kind, score, comment };
    });
    for (const { order, kind, score, comment } of answers) {
      await submitFeedback({ database, shopId, customerId: String(order.customerId), kind, orderId: String(order.orderId), score, comment, now });
    }
    say(`feedback: ${answers.length} survey answers from recent buyers (NPS and CSAT), detractors flagged to contact`);
  } finally {
    await database.close();
  }
}

/**
 * A refund and a cancellation, sent as signed webhooks like Shopify's, on two of the newest CDNOW orders: the
 * admin's customer page shows the points they earned and what was taken back (same event ids on a re-run:
 * Shopify's redeliveries, taken once).
 */
async function reverseTwoOrders(url: string, base: string, purchases: CdnowPurchase[]) {
  const orders = cdnowOrders(purchases, new Date());
  const picked: OrderSpec[] = [];
  for (const order of [...orders].reverse()) {
    if (order.subtotalMinor >= 4_000 && !picked.some((p) => p.customerId === order.customerId)) picked.push(order);
    if (picked.length === 2) break;
  }
  const [refunded, cancelled] = picked;
  const now = new Date();
  const result = await replay({
    baseUrl: base,
    shop: DEMO_SHOP,
    secret,
    items: [
      { topic: "refunds/create", payload: refundPayload({ refundId: refunded.orderId, orderId: refunded.orderId, subtotalMinor: Math.round(refunded.subtotalMinor / 2), at: now }), eventId: `demo-refund-${refunded.orderId}` },
      { topic: "orders/cancelled", payload: orderPayload({ ...cancelled, cancelledAt: now }), eventId: `demo-cancel-${cancelled.orderId}` },
    ],
  });
  if (result.refused.length) throw new Error(`the demo refund or cancellation was refused: ${result.refused[0].message}`);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const pendingReversals = async () =>
    Number(
      (
        await db.query(`select count(*) from "WebhookInbox" i join "Shop" s on s.id = i."shopId" where s.domain = $1 and i."dedupeKey" = any($2) and i.status = 'received'`, [
          DEMO_SHOP,
          [`refunds/create|event:demo-refund-${refunded.orderId}`, `orders/cancelled|event:demo-cancel-${cancelled.orderId}`],
        ])
      ).rows[0].count,
    );
  while ((await pendingReversals()) > 0) await new Promise((r) => setTimeout(r, 200));
  for (const [order, what] of [
    [refunded, "half refunded"],
    [cancelled, "cancelled"],
  ] as const) {
    const { rows } = await db.query(
      `select c.email, c."pointsBalance", l.kind, l.points from "LedgerEntry" l join "Customer" c on c.id = l."customerId" join "Shop" s on s.id = l."shopId"
        where s.domain = $1 and l."orderId" = $2 order by l.id`,
      [DEMO_SHOP, String(order.orderId)],
    );
    const entries = rows.map((row) => `${row.kind} ${row.points > 0 ? "+" : ""}${row.points}`).join(", ");
    say(`  order #${order.orderId} of ${order.email} ${what}: ${entries || "no points"}; balance now ${rows[0]?.pointsBalance ?? 0}`);
  }
  await db.end();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
