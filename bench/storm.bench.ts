/**
 * Webhook storm: signed orders/paid deliveries at 10× a shop's sustained rate for 60 s, open loop (Shopify does not
 * slow down when we do), against a real web process and worker processes with the real handlers (loyalty ledger,
 * churn order facts). Prints the acknowledgement percentiles (Shopify gives up after 5 s), the peak backlog of
 * inbox rows not yet processed and the peak lag (age of the oldest of them), and how long the backlog takes to
 * drain once the storm stops. Writes bench/results/storm.json. Never fails on time.
 *   STORM_BASE_RATE (default 100/s)  STORM_FACTOR (10)  STORM_SECONDS (60)  STORM_WORKERS (2)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import pg from "pg";
import { ensureAppBuilt } from "../scripts/lib/build";
import { spawnAppProcess, stopProcess, waitForHttp } from "../scripts/lib/processes";
import { postDelivery } from "../scripts/lib/replay";
import { orderPayload, signedDelivery } from "../scripts/fake-shopify/webhook-samples";
import { benchDatabase, fmt, percentile } from "./lib";

const BASE_RATE = Number(process.env.STORM_BASE_RATE ?? 100);
const FACTOR = Number(process.env.STORM_FACTOR ?? 10);
const SECONDS = Number(process.env.STORM_SECONDS ?? 60);
const WORKERS = Number(process.env.STORM_WORKERS ?? 2);
const RATE = BASE_RATE * FACTOR;
const PORT = 3320;
const SECRET = "storm-secret";
const SHOP = "storm-shop.myshopify.com";
const SHOPIFY_TIMEOUT_MS = 5_000;
const WARMUP = 200;

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  ensureAppBuilt(say);
  const db = await benchDatabase("storm");
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const env = { DATABASE_URL: db.url, PORT: String(PORT), DEMO_MODE: "1", SHOPIFY_API_SECRET: SECRET, LOG_LEVEL: "error" };
  const web = spawnAppProcess("web", { ...env, DATABASE_POOL_SIZE: "60" }, { quiet: true });
  const workers = Array.from({ length: WORKERS }, () => spawnAppProcess("worker", env, { quiet: true }));
  const base = `http://127.0.0.1:${PORT}`;
  say(`storm: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(" / ")} at start; 1 web process, ${WORKERS} worker(s)`);
  try {
    await waitForHttp(`${base}/healthz`, 120_000);
    const { rows: shop } = await pool.query<{ id: number }>(`insert into "Shop" (domain, "updatedAt") values ($1, now()) returning id`, [SHOP]);
    // The program on, so each order earns points: the worker does the full loyalty work per delivery.
    await pool.query(`insert into "LoyaltyProgram" ("shopId", settings) values ($1, $2)`, [shop[0].id, JSON.stringify({ enabled: true, startedAt: "2020-01-01T00:00:00Z" })]);

    const total = RATE * SECONDS;
    const loadAtStart = loadavg()[0];
    say(`storm: ${total.toLocaleString("en-US")} signed orders/paid at ${RATE}/s (${FACTOR}× ${BASE_RATE}/s) for ${SECONDS} s`);
    // Signed ahead of time, so the sender's own CPU goes into sending.
    const deliveries = Array.from({ length: total + WARMUP }, (_, i) =>
      signedDelivery({
        topic: "orders/paid",
        shop: SHOP,
        secret: SECRET,
        eventId: `storm-${i}`,
        payload: orderPayload({ orderId: 40_000_000 + i, customerId: 3_000_000 + (i % 20_000), email: `storm${i % 20_000}@example.com`, createdAt: new Date(), subtotalMinor: 1_000 + ((i * 7919) % 50_000) }),
      }),
    );

    // Warm-up, as Shopify's traffic finds a running app: connections open, code compiled; then wait for the workers.
    for (const delivery of deliveries.slice(total)) await postDelivery(base, delivery);

    // Backlog: accepted deliveries not yet processed; lag: how long the oldest of them has waited.
    const backlog = async () => {
      const { rows } = await pool.query<{ n: string; lag: number | null }>(
        `select count(*) as n, extract(epoch from localtimestamp - min("receivedAt"))::float8 as lag from "WebhookInbox" where status = 'received'`,
      );
      return { count: Number(rows[0].n), lagSeconds: rows[0].lag ?? 0 };
    };
    while ((await backlog()).count > 0) await new Promise((r) => setTimeout(r, 200));
    let peakBacklog = 0;
    let peakLagSeconds = 0;
    let sampling = true;
    const observe = (sample: { count: number; lagSeconds: number }) => {
      peakBacklog = Math.max(peakBacklog, sample.count);
      peakLagSeconds = Math.max(peakLagSeconds, sample.lagSeconds);
      return sample;
    };
    const sampler = (async () => {
      while (sampling) {
        observe(await backlog());
        await new Promise((r) => setTimeout(r, 1_000));
      }
    })();

    const latencies: number[] = [];
    let refused = 0;
    const inFlight: Promise<void>[] = [];
    const started = performance.now();
    for (let i = 0; i < total; ) {
      const due = Math.min(total, Math.floor(((performance.now() - started) * RATE) / 1000) + 1);
      for (; i < due; i += 1) {
        const sentAt = performance.now();
        inFlight.push(
          postDelivery(base, deliveries[i]).then(
            (answer) => {
              latencies.push(performance.now() - sentAt);
              if (answer.status !== 200) refused += 1;
            },
            () => {
              refused += 1;
            },
          ),
        );
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    const sent = performance.now();
    await Promise.all(inFlight);
    const stormEnded = performance.now();
    const sendSeconds = (sent - started) / 1000;
    latencies.sort((a, b) => a - b);
    const overLimit = latencies.filter((ms) => ms > SHOPIFY_TIMEOUT_MS).length;
    say(`storm: sent ${fmt(total / sendSeconds)} deliveries/s over ${fmt(sendSeconds)} s; last answer ${fmt((stormEnded - sent) / 1000)} s after the last send; answers other than 200: ${refused}`);
    const ack = { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN };
    say(`storm: acknowledgement p50 ${fmt(ack.p50)} ms, p95 ${fmt(ack.p95)} ms, p99 ${fmt(ack.p99)} ms, max ${fmt(ack.max)} ms; over Shopify's 5 s: ${overLimit}`);

    while (observe(await backlog()).count > 0) await new Promise((r) => setTimeout(r, 500));
    const drainSeconds = (performance.now() - stormEnded) / 1000;
    sampling = false;
    await sampler;
    const throughput = total / ((performance.now() - started) / 1000);
    say(`storm: peak backlog ${peakBacklog.toLocaleString("en-US")} deliveries (${fmt(peakBacklog / RATE)} s of storm), peak lag ${fmt(peakLagSeconds)} s; drained ${fmt(drainSeconds)} s after the last answer`);
    say(`storm: processing throughput ${fmt(throughput)} deliveries/s over storm and drain`);
    const { rows: failed } = await pool.query<{ n: string }>(`select count(*) as n from "WebhookInbox" where status = 'failed'`);
    const { rows: processed } = await pool.query<{ n: string }>(`select count(*) as n from "WebhookInbox" where status = 'processed'`);
    const loadAtEnd = loadavg()[0];
    say(`storm: rows processed ${Number(processed[0].n).toLocaleString("en-US")} (of ${(total + WARMUP).toLocaleString("en-US")} with the warm-up), failed ${failed[0].n}; 1-minute load average ${fmt(loadAtStart)} at start, ${fmt(loadAtEnd)} at end`);
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(
      "bench/results/storm.json",
      `${JSON.stringify(
        {
          measuredAt: new Date().toISOString(),
          cores: cpus().length,
          loadAverage: { start: loadAtStart, end: loadAtEnd },
          baseRate: BASE_RATE,
          factor: FACTOR,
          seconds: SECONDS,
          workers: WORKERS,
          deliveries: total,
          sentPerSecond: total / sendSeconds,
          refused,
          ackMs: ack,
          overShopifyLimit: overLimit,
          peakBacklog,
          peakLagSeconds,
          drainSeconds,
          throughputPerSecond: throughput,
          failed: Number(failed[0].n),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await Promise.all([web, ...workers].map((child) => stopProcess(child)));
    await pool.end();
    await db.stop();
  }
}

await main();
