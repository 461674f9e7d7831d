/**
 * Webhook intake: signed orders/paid deliveries POSTed to the real web process (Remix + Express) at a fixed
 * rate for 30 s, open loop (a slow answer does not slow the sender, as with Shopify). Prints the achieved
 * rate and the acknowledgement latency percentiles (after a warm-up of two seconds' worth). Target: ≥ 1,000/s
 * with p99 < 50 ms on this machine.
 * Environment: INTAKE_RATE (default 1000), INTAKE_SECONDS (default 30).
 */
import { ensureAppBuilt } from "../scripts/lib/build";
import { spawnAppProcess, stopProcess, waitForHttp } from "../scripts/lib/processes";
import { postDelivery } from "../scripts/lib/replay";
import { orderPayload, signedDelivery } from "../scripts/fake-shopify/webhook-samples";
import { benchDatabase, fmt, percentile } from "./lib";

const RATE = Number(process.env.INTAKE_RATE ?? 1000);
const SECONDS = Number(process.env.INTAKE_SECONDS ?? 30);
const PORT = 3310;
const SECRET = "bench-secret";
const SHOP = "bench-shop.myshopify.com";

ensureAppBuilt((line) => console.log(line));
const db = await benchDatabase("intake");
const web = spawnAppProcess("web", { DATABASE_URL: db.url, PORT: String(PORT), DEMO_MODE: "1", SHOPIFY_API_SECRET: SECRET, LOG_LEVEL: "error", DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? "100" });
const base = `http://127.0.0.1:${PORT}`;
try {
  await waitForHttp(`${base}/healthz`);
  const total = RATE * SECONDS;
  // Signed ahead of time: the sender's own CPU should go into sending.
  // Warm-up: two seconds' worth, 50 at a time, so the process's JIT and its database connections are warm (a long-
  // running production process is); one at a time would open a single connection and leave the pool cold.
  const warmUp = RATE * 2;
  const deliveries = Array.from({ length: total + warmUp }, (_, i) =>
    signedDelivery({
      topic: "orders/paid",
      shop: SHOP,
      secret: SECRET,
      eventId: `bench-${i}`,
      payload: orderPayload({ orderId: 9_000_000 + i, customerId: 1_000 + (i % 5_000), email: `c${i % 5_000}@example.com`, createdAt: new Date(), subtotalMinor: 1_000 + (i % 90_000) }),
    }),
  );
  const warming = deliveries.slice(total);
  while (warming.length > 0) await Promise.all(warming.splice(0, 50).map((delivery) => postDelivery(base, delivery)));

  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  // Every few milliseconds, send all deliveries that are due by now (timers are too coarse for one per tick).
  for (let i = 0; i < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * RATE) / 1000) + 1);
    for (; i < due; i += 1) {
      const sentAt = performance.now();
      inFlight.push(
        postDelivery(base, deliveries[i]).then(
          (response) => {
            latencies.push(performance.now() - sentAt);
            if (response.status !== 200) failures += 1;
          },
          () => {
            failures += 1;
          },
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(`intake: ${total.toLocaleString("en-US")} signed deliveries offered at ${RATE}/s for ${SECONDS} s`);
  console.log(`intake: achieved ${fmt(total / elapsed)} deliveries/s, non-200: ${failures}`);
  console.log(`intake: acknowledgement p50 ${fmt(percentile(latencies, 50))} ms, p95 ${fmt(percentile(latencies, 95))} ms, p99 ${fmt(percentile(latencies, 99))} ms, max ${fmt(latencies.at(-1) ?? NaN)} ms`);
} finally {
  await stopProcess(web);
  await db.stop();
}
