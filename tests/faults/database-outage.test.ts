/**
 * PostgreSQL crashes (immediate shutdown) in the middle of a stream of webhooks and comes back: the real web
 * process never answers 200 without a durable record, refuses with 503 while the database is away (so Shopify
 * delivers again), and every delivery ends up recorded once and processed by the real worker.
 */
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { orderPayload, signedDelivery, type Delivery } from "../../scripts/fake-shopify/webhook-samples";
import { databaseUrlFor, ensureDatabase } from "../../scripts/lib/database";
import { migrateDeploy } from "../../scripts/lib/prisma-cli";
import { AppCluster, deliverAll, FAULT_SECRET, startRestartablePostgres, until, type AppProcess, type RestartablePostgres } from "./support/cluster";

const SHOP = "outage.myshopify.com";
const DELIVERIES = 1_000;
const RATE_PER_SECOND = 250;

let postgres: RestartablePostgres;
let cluster: AppCluster;
let pool: pg.Pool;
let web: AppProcess;
let worker: AppProcess;

beforeAll(async () => {
  postgres = await startRestartablePostgres(`pg-fault-outage-${process.pid}`);
  await ensureDatabase(postgres.adminUrl, "retention");
  const url = databaseUrlFor(postgres.adminUrl, "retention");
  migrateDeploy(url);
  pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on("error", () => undefined); // the crash drops idle connections too
  cluster = AppCluster.forDatabase(url);
  web = await cluster.startWeb();
  worker = cluster.startWorker();
}, 300_000);
afterAll(async () => {
  await cluster?.stop();
  await pool?.end();
  await postgres?.stop();
});

async function statusOf(url: string): Promise<number> {
  return fetch(url).then(
    (response) => response.status,
    () => 0,
  );
}

async function recordedEventIds(): Promise<Set<string>> {
  const { rows } = await pool.query<{ eventId: string }>(`select "eventId" from "WebhookInbox"`);
  return new Set(rows.map((row) => row.eventId));
}

function orderDeliveries(prefix: string, count: number, firstOrderId: number) {
  return Array.from({ length: count }, (_, i) =>
    signedDelivery({
      topic: "orders/paid",
      shop: SHOP,
      secret: FAULT_SECRET,
      eventId: `${prefix}-${i}`,
      payload: orderPayload({ orderId: firstOrderId + i, customerId: 100 + (i % 300), createdAt: new Date("2026-10-01T00:00:00Z"), subtotalMinor: 1_000 + i }),
    }),
  );
}

/**
 * Streams the deliveries once each (no redelivery) at a steady rate; a third of the way in, PostgreSQL crashes
 * and stays away for two seconds. Returns each delivery's answer (0: none) and /healthz's during the outage.
 */
async function streamThroughCrash(deliveries: Delivery[]): Promise<{ statuses: number[]; healthDuringOutage: number }> {
  let answered = 0;
  let crashNow: () => void = () => undefined;
  const outage = new Promise<void>((resolve) => (crashNow = resolve)).then(async () => {
    // Crash while the worker has rows in hand: a backlog means its last fetch was a full batch.
    await until(async () => (await pool.query(`select 1 from "WebhookInbox" where status = 'received' offset 20`)).rowCount! > 0, async () => "no backlog to crash into", 30_000);
    await postgres.crash();
    const health = await statusOf(`${web.base}/healthz`);
    await new Promise((r) => setTimeout(r, 2_000));
    await postgres.start();
    return health;
  });
  const outcomes = await deliverAll(deliveries, () => [web.base], {
    concurrency: 8,
    maxAttempts: 1,
    ratePerSecond: RATE_PER_SECOND,
    onAnswer: () => {
      if ((answered += 1) === Math.floor(deliveries.length / 3)) crashNow();
    },
  });
  return { statuses: outcomes.map((outcome) => outcome.status), healthDuringOutage: await outage };
}

test("a database crash mid-stream: 503 while it is down, no 200 without a durable record, everything processed once it is back", { timeout: 300_000 }, async () => {
  const deliveries = orderDeliveries("outage", DELIVERIES, 5_000_000);
  const { statuses, healthDuringOutage } = await streamThroughCrash(deliveries);

  // Refused (503) or unanswered (0) while the database was away; never a 500 or a 4xx for a valid delivery.
  expect(statuses.filter((status) => ![200, 503, 0].includes(status))).toEqual([]);
  expect(statuses.filter((status) => status !== 200).length).toBeGreaterThan(0);
  expect(healthDuringOutage).not.toBe(200);

  // Every 200 was a durable commit: it survived the crash.
  const recorded = await recordedEventIds();
  const acknowledged = deliveries.filter((_, i) => statuses[i] === 200).map((delivery) => delivery.headers["x-shopify-event-id"]);
  expect(acknowledged.length).toBeGreaterThan(0);
  expect(acknowledged.filter((eventId) => !recorded.has(eventId))).toEqual([]);

  // Shopify delivers the others again; some had committed before the crash cut their answer off.
  const refused = deliveries.filter((_, i) => statuses[i] !== 200);
  const redelivered = await deliverAll(refused, () => [web.base], { concurrency: 8 });
  expect(redelivered.map((outcome) => outcome.status).filter((status) => status !== 200)).toEqual([]);
  expect(await statusOf(`${web.base}/healthz`)).toBe(200);

  const counts = async () => (await pool.query<{ status: string; n: number }>(`select status, count(*)::int as n from "WebhookInbox" group by status`)).rows;
  await until(
    async () => {
      const rows = await counts();
      return rows.length === 1 && rows[0].status === "processed" && rows[0].n === DELIVERIES;
    },
    async () => `inbox ${JSON.stringify(await counts())}; worker output: ${worker.output()}`,
    240_000,
  );
  const { rows } = await pool.query<{ n: number; events: number }>(`select count(*)::int as n, count(distinct "eventId")::int as events from "WebhookInbox"`);
  expect(rows[0]).toEqual({ n: DELIVERIES, events: DELIVERIES });
});

// A connection dropping while a transaction holds it used to emit an 'error' event nobody listened to, so a
// database restart killed every web and worker process (above, the cluster's supervisor restarts them).
// Every pooled client now has a listener (app/data/db.server.ts) and the worker waits for its database at start.
test("the web process and the worker stay up through a database crash and resume by themselves", { timeout: 120_000 }, async () => {
  const exitsBefore = cluster.unexpectedExits.length;
  const { statuses } = await streamThroughCrash(orderDeliveries("outage-stay-up", 600, 6_000_000));
  const exits = cluster.unexpectedExits.slice(exitsBefore);
  // What killed each process: its error and the first frames.
  expect(exits.map((exit) => `${exit.kind}: ${exit.output.split("\n").filter((line) => /^\w*Error\b|^\s+at /.test(line)).slice(0, 4).join(" | ")}`)).toEqual([]);
  expect(statuses.filter((status) => status === 0)).toEqual([]);
});
