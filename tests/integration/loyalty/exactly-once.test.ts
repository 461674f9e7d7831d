/**
 * 10,000 deliveries of orders/paid, orders/updated, orders/cancelled and refunds/create — 30 % of them
 * duplicates (redeliveries of a recorded event, and the same facts under a new event id), all shuffled and
 * processed by eight concurrent workers, 50 rows at a time as the worker takes them (set-based batches, then one
 * by one what a batch leaves) — give exactly the balances of a straight computation over the orders.
 */
import { expect, test } from "vitest";
import { order, refundPayload, useLoyaltyWorld, type Delivery } from "./support";

const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
const SHOP = "exactly-once.myshopify.com";
const ctx = useLoyaltyWorld();

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

interface PlannedOrder {
  orderId: number;
  customerId: number;
  createdAt: Date;
  subtotalMinor: number;
  refunds: { refundId: number; subtotalMinor: number }[];
  cancelled: boolean;
}

test("10,000 shuffled deliveries with 30 % duplicates give exactly the straight computation's balances", async () => {
  const rand = random(20261120);
  const pick = (n: number) => Math.floor(rand() * n);
  const orders: PlannedOrder[] = [];
  let refundId = 1;
  for (let i = 0; i < 4_300; i += 1) {
    const subtotalMinor = 500 + pick(40_000);
    const refunds = rand() < 0.3 ? Array.from({ length: 1 + pick(2) }, () => ({ refundId: refundId++, subtotalMinor: 100 + pick(subtotalMinor / 2) })) : [];
    orders.push({ orderId: 10_000 + i, customerId: 1 + pick(500), createdAt: new Date(NOW.getTime() - pick(300) * DAY), subtotalMinor, refunds, cancelled: rand() < 0.1 });
  }

  // Every fact once: the payment, each refund (refunds/create), the cancellation; and an orders/updated for
  // a quarter of the refunded orders, carrying the payment and the refunds again.
  const deliveries: Delivery[] = [];
  for (const planned of orders) {
    const spec = { orderId: planned.orderId, customerId: planned.customerId, createdAt: planned.createdAt, subtotalMinor: planned.subtotalMinor };
    const refunds = planned.refunds.map((r) => refundPayload({ refundId: r.refundId, orderId: planned.orderId, subtotalMinor: r.subtotalMinor, at: NOW }));
    deliveries.push({ topic: "orders/paid", payload: order(spec) });
    for (const refund of refunds) deliveries.push({ topic: "refunds/create", payload: refund });
    if (planned.refunds.length > 0 && rand() < 0.25) deliveries.push({ topic: "orders/updated", payload: { ...order({ ...spec, financialStatus: "partially_refunded" }), refunds } });
    if (planned.cancelled) deliveries.push({ topic: "orders/cancelled", payload: order({ ...spec, cancelledAt: NOW }) });
  }
  const firstDeliveries = deliveries.length;
  const withEventIds = deliveries.map((delivery, i) => ({ ...delivery, eventId: `event-${i}` }));
  const all: Delivery[] = [...withEventIds];
  while (all.length < 10_000) {
    const original = withEventIds[pick(withEventIds.length)];
    // Half are Shopify's redeliveries (same event id); half say the same thing as a new event.
    all.push(rand() < 0.5 ? original : { ...original, eventId: `again-${all.length}` });
  }
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = pick(i + 1);
    [all[i], all[j]] = [all[j], all[i]];
  }
  expect(all).toHaveLength(10_000);
  expect(firstDeliveries / all.length).toBeGreaterThan(0.69);
  expect(firstDeliveries / all.length).toBeLessThan(0.71);

  const shopId = await ctx.world.shop(SHOP, NOW, (s) => ({
    ...s,
    // Tier multipliers would make an award depend on the customer's tier when it arrives; 1× everywhere keeps
    // the straight computation independent of the arrival order that this test shuffles.
    tiers: { ...s.tiers, levels: s.tiers.levels.map((tier) => ({ ...tier, perks: { ...tier.perks, multiplierBps: 10_000 } })) },
  }));
  const ids = await ctx.world.deliverMany(SHOP, all);
  const batched = await ctx.world.process(ids, NOW, 8, 50);
  expect(batched).toBeGreaterThan(1_000);

  // The straight computation: 1 point per whole dollar; a refund takes back its share of the order's points,
  // rounded half up; a cancelled order holds nothing.
  const expected = new Map<string, number>();
  for (const planned of orders) {
    const points = Math.floor(planned.subtotalMinor / 100);
    const refunded = Math.min(planned.subtotalMinor, planned.refunds.reduce((sum, r) => sum + r.subtotalMinor, 0));
    const held = planned.cancelled ? 0 : points - Math.floor((2 * points * refunded + planned.subtotalMinor) / (2 * planned.subtotalMinor));
    expected.set(String(planned.customerId), (expected.get(String(planned.customerId)) ?? 0) + held);
  }
  const { rows } = await ctx.db.pool.query<{ customer: string; balance: number }>(
    `select c."shopifyCustomerId" as customer, coalesce(sum(l.points), 0)::int as balance
       from "Customer" c left join "LedgerEntry" l on l."customerId" = c.id where c."shopId" = $1 group by 1`,
    [shopId],
  );
  expect(new Map(rows.map((row) => [row.customer, row.balance]))).toEqual(expected);
  expect(await ctx.world.cachedSumsDrift(shopId)).toEqual([]);
  const { rows: statuses } = await ctx.db.pool.query(`select status, count(*)::int as n from "WebhookInbox" where "shopId" = $1 group by 1`, [shopId]);
  expect(statuses).toEqual([{ status: "processed", n: ids.filter((id) => id !== null).length }]);
}, 600_000);
