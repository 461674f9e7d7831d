/**
 * A 10,000-order replay through two web processes and two workers while web and worker processes are
 * SIGKILLed at random moments and started again: every delivery is eventually accepted, every event is recorded
 * and processed exactly once, and the final balances equal a straight computation with the loyalty rules.
 */
import fc from "fast-check";
import { expect, test } from "vitest";
import { shopIdFor } from "~/data/shops.server";
import { applyCancel, applyOrderPaid, BASE_MULTIPLIER_BPS, decideOrderEarning, NEW_ORDER_POINTS, targetPointsForOrder, type ProgramSettings } from "~/domain/loyalty";
import { updateProgramSettings } from "~/services/loyalty/program.server";
import { orderPayload, signedDelivery, type Delivery } from "../../scripts/fake-shopify/webhook-samples";
import { deliverAll, FAULT_SECRET, until, type AppProcess } from "./support/cluster";
import { expectEveryEventProcessedOnce } from "./support/inbox";
import { useAppCluster } from "./support/use-cluster";

const SHOP = "sigkill.myshopify.com";
const ORDERS = 10_000;
const CUSTOMERS = 1_000;
const NOW = new Date("2026-11-20T12:00:00Z");
const PROGRAM_START = new Date("2025-11-01T00:00:00Z");

const app = useAppCluster({ webs: 2, workers: 2 });

interface PlannedOrder {
  orderId: number;
  customerId: number;
  createdAt: Date;
  subtotalMinor: number;
  cancelled: boolean;
}

/**
 * The program the replay runs under. One multiplier for every tier: with tier multipliers an order's points
 * would depend on the customer's tier when it happens to be processed, which the kills reorder.
 */
function replayProgram(settings: ProgramSettings): ProgramSettings {
  return { ...settings, enabled: true, startedAt: PROGRAM_START, tiers: { ...settings.tiers, levels: settings.tiers.levels.map((tier) => ({ ...tier, perks: { ...tier.perks, multiplierBps: BASE_MULTIPLIER_BPS } })) } };
}

/** Each customer's balance computed straight from the orders with the domain's rules, no ledger involved. */
function straightBalances(orders: PlannedOrder[], program: ProgramSettings): Map<string, number> {
  const balances = new Map<string, number>();
  for (const order of orders) {
    const money = { currencyCode: "USD", subtotalMinor: order.subtotalMinor, discountsMinor: 0, shippingMinor: 0, taxMinor: 0, taxesIncluded: false };
    const decision = decideOrderEarning(
      { orderId: String(order.orderId), customerId: String(order.customerId), createdAt: order.createdAt, paidAt: order.createdAt, money },
      program,
      { shopCurrencyCode: "USD", multiplierBps: BASE_MULTIPLIER_BPS },
    );
    const paid = decision.earns ? applyOrderPaid(NEW_ORDER_POINTS, decision) : NEW_ORDER_POINTS;
    const points = targetPointsForOrder(order.cancelled ? applyCancel(paid) : paid);
    balances.set(String(order.customerId), (balances.get(String(order.customerId)) ?? 0) + points);
  }
  return balances;
}

/**
 * Starts a killed process again. A web process slow to serve (a loaded machine, or the app being rebuilt by
 * another test run) is started again by the cluster until it does; it is waited for longer than the cluster waits.
 */
async function restart(victim: AppProcess): Promise<void> {
  try {
    await app.cluster.restart(victim);
  } catch {
    const serving = () => fetch(`${victim.base}/healthz`).then((r) => r.ok, () => false);
    await until(serving, async () => `${victim.base} is not serving again: ${victim.output()}`, 300_000);
  }
}

test("SIGKILLs of web and worker processes during a 10,000-order replay lose nothing and double nothing", { timeout: 1_200_000 }, async () => {
  const seed = Number(process.env.FAULT_SEED ?? Date.now() % 100_000);
  const [plan] = fc.sample(
    fc.record({
      // Uniform, not fast-check's usual bias towards small values: customers and cancellations spread evenly.
      orders: fc.array(fc.noBias(fc.record({ customer: fc.nat(CUSTOMERS - 1), subtotalMinor: fc.integer({ min: 100, max: 60_000 }), daysAgo: fc.nat(380), cancelled: fc.nat(99).map((n) => n < 5) })), { minLength: ORDERS, maxLength: ORDERS }),
      // A kill every two to five seconds: each restart costs the machine seconds of CPU, which slows the replay.
      kills: fc.array(fc.noBias(fc.record({ after: fc.integer({ min: 2_000, max: 5_000 }), which: fc.nat(1), downFor: fc.integer({ min: 50, max: 800 }) })), { minLength: 500, maxLength: 500 }),
    }),
    { seed, numRuns: 1 },
  );
  const orders: PlannedOrder[] = plan.orders.map((o, i) => ({ orderId: 20_000_000 + i, customerId: 900_000 + o.customer, createdAt: new Date(NOW.getTime() - o.daysAgo * 86_400_000), subtotalMinor: o.subtotalMinor, cancelled: o.cancelled }));

  const shopId = await shopIdFor(app.db.pool, SHOP);
  const configured = await updateProgramSettings({ db: app.db.pool, shopId, change: replayProgram, now: NOW });
  if (!configured.ok) throw new Error(JSON.stringify(configured.issues));

  const deliveries: Delivery[] = [];
  for (const order of orders) {
    const spec = { orderId: order.orderId, customerId: order.customerId, email: `c${order.customerId}@example.com`, createdAt: order.createdAt, subtotalMinor: order.subtotalMinor };
    deliveries.push(signedDelivery({ topic: "orders/paid", shop: SHOP, payload: orderPayload(spec), secret: FAULT_SECRET, eventId: `paid-${order.orderId}` }));
    if (order.cancelled) deliveries.push(signedDelivery({ topic: "orders/cancelled", shop: SHOP, payload: orderPayload({ ...spec, cancelledAt: NOW }), secret: FAULT_SECRET, eventId: `cancelled-${order.orderId}` }));
  }

  // The chaos: until the replay is over, every so often one process is SIGKILLed, stays dead a moment, and is
  // started again; one at a time, so Shopify's retries always have a web process to reach. Webs and workers take
  // turns (which one of the two, and when, is random), so both kinds are killed however short the replay.
  let replaying = true;
  const killed: Record<"web" | "worker", number> = { web: 0, worker: 0 };
  const chaos = (async () => {
    for (const [i, kill] of plan.kills.entries()) {
      await new Promise((r) => setTimeout(r, kill.after));
      if (!replaying) return;
      const victim: AppProcess = (i % 2 === 0 ? app.cluster.webs : app.cluster.workers)[kill.which];
      await app.cluster.kill(victim);
      killed[victim.kind] += 1;
      await new Promise((r) => setTimeout(r, kill.downFor));
      await restart(victim);
    }
  })();
  const outcomes = await deliverAll(deliveries, () => app.cluster.webs.filter((web) => app.cluster.isRunning(web)).map((web) => web.base), { concurrency: 16, maxAttempts: 200 });
  replaying = false;
  await chaos;

  // Processes that died by themselves (restarted by the cluster, as a supervisor would) are named in any failure.
  const context = `seed ${seed}, killed ${JSON.stringify(killed)}, exited by themselves ${JSON.stringify(app.cluster.unexpectedExits)}`;
  expect(killed.web, context).toBeGreaterThan(0);
  expect(killed.worker, context).toBeGreaterThan(0);
  // A killed web process drops its connections (0) and a restarting one may refuse (503); nothing else.
  expect(outcomes.flatMap((o) => o.answers).filter((status) => ![200, 503, 0].includes(status)), context).toEqual([]);
  expect(outcomes.filter((o) => o.status !== 200).length, context).toBe(0);

  // Generous: on a loaded machine the workers may still be catching up with the last restarts' backlog.
  await until(
    async () => (await app.db.pool.query(`select 1 from "WebhookInbox" where status <> 'processed' limit 1`)).rowCount === 0,
    async () => `${context}: ${JSON.stringify((await app.db.pool.query(`select status, attempts, "lastError", count(*) from "WebhookInbox" group by 1, 2, 3`)).rows)}`,
    300_000,
  );
  await expectEveryEventProcessedOnce(app.db.pool, deliveries, deliveries.length);

  const expected = straightBalances(orders, replayProgram(configured.program.settings));
  const { rows } = await app.db.pool.query<{ customer: string; balance: number }>(
    `select c."shopifyCustomerId" as customer, coalesce(sum(l.points), 0)::int as balance
       from "Customer" c left join "LedgerEntry" l on l."customerId" = c.id where c."shopId" = $1 group by 1`,
    [shopId],
  );
  expect(new Map(rows.map((row) => [row.customer, row.balance])), context).toEqual(expected);
});
