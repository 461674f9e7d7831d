/**
 * The nightly churn refit of one shop against a real PostgreSQL, stage by stage: the CDNOW shop (23,570 customers,
 * 69,659 orders, as the demo seeds it) and a synthetic shop of 200,000 customers drawn from the CDNOW fit.
 * Shopify sync is left out (it is paced by Shopify's rate limits, not by us). Prints figures; never fails on time.
 */
import gammaRandom from "@stdlib/random-base-gamma";
import { openDatabase } from "~/data/db.server";
import { shopIdFor } from "~/data/shops.server";
import { runChurnRefit } from "~/services/churn/refit.server";
import { CDNOW_NOW, cdnowReplayOrders, insertOrderFacts, type OrderFactRow } from "../scripts/lib/churn-facts";
import { benchDatabase, fmt } from "./lib";

const DAY = 86_400_000;

/** Customers buying as BG/NBD says (CDNOW's fit, in days) over 546 days: Poisson purchases until a geometric drop-out. */
function syntheticOrders(customers: number, seed: number): OrderFactRow[] {
  let state = seed;
  const uniform = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return (state + 0.5) / 2_147_483_648;
  };
  const gamma = gammaRandom.factory({ seed });
  const [r, alpha, a, b] = [0.243, 4.414 * 7, 0.793, 2.426];
  const orders: OrderFactRow[] = [];
  const start = CDNOW_NOW.getTime() - 546 * DAY;
  for (let c = 0; c < customers; c += 1) {
    const rate = gamma(r, 1 / alpha);
    const p = gamma(a, 1) / (gamma(a, 1) + gamma(b, 1));
    let day = Math.floor(uniform() * 84);
    for (;;) {
      orders.push({ orderId: `s${c}-${day}`, customerId: String(1_000_000 + c), orderedAt: new Date(start + day * DAY + 36_000_000), amountMinor: 1_000 + Math.floor(uniform() * 6_000) });
      if (uniform() < p) break;
      day += Math.ceil(-Math.log(uniform()) / rate);
      if (day >= 546) break;
    }
  }
  return orders;
}

async function main() {
  const bench = await benchDatabase("churn_radar");
  const database = openDatabase(bench.url);
  try {
    for (const [name, orders] of [
      ["CDNOW shop", cdnowReplayOrders()],
      ["synthetic shop", syntheticOrders(200_000, 7)],
    ] as const) {
      const shopId = await shopIdFor(database.pool, `${name.replace(/\W/g, "-")}.myshopify.com`);
      await insertOrderFacts(database.pool, shopId, orders);
      await database.pool.query(`analyze "CustomerOrder"`);
      const { rows } = await database.pool.query<{ id: number }>(`insert into "ChurnRun" ("shopId", trigger) values ($1, 'manual') returning id`, [shopId]);
      const started = performance.now();
      await runChurnRefit({ database, shopId, runId: rows[0].id, clock: () => CDNOW_NOW, admin: null });
      const total = performance.now() - started;
      const run = await database.prisma.churnRun.findUniqueOrThrow({ where: { id: rows[0].id } });
      const t = run.timings as Record<string, number>;
      console.log(
        `churn radar refit, ${name}: ${run.customers!.toLocaleString("en-US")} customers, ${orders.length.toLocaleString("en-US")} orders: ` +
          `read + fit ${fmt(t.readAndFitMs / 1000)} s, score + store ${fmt(t.scoreMs / 1000)} s, metrics ${fmt(t.metricsMs / 1000)} s, total ${fmt(total / 1000)} s`,
      );
    }
  } finally {
    await database.close();
    await bench.stop();
  }
}

await main();
