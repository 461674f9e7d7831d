/**
 * The worker's set-based batches (orders/paid) end every row exactly as processing it alone would: two shops with
 * the same program get the same deliveries, one processed row by row, the other 40 rows at a time, and every
 * customer's ledger, balance, spend, tier, last activity, Flow events and churn order facts come out the same.
 * Tier multipliers are on, customers pay several times (some within one batch), guests and test orders come
 * between, payments are redelivered under new event ids, and refunds, cancellations and updates follow.
 */
import { expect, test } from "vitest";
import { order, refundPayload, useLoyaltyWorld, type Delivery } from "./support";

const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
const ctx = useLoyaltyWorld();

function deliveries(): Delivery[] {
  const paid: Delivery[] = [];
  const later: Delivery[] = [];
  let orderId = 50_000;
  for (let round = 0; round < 4; round += 1) {
    for (let customer = 1; customer <= 60; customer += 1) {
      if ((customer + round) % 3 === 0) continue;
      orderId += 1;
      // Big orders early on lift a customer into a tier whose multiplier their later orders earn with.
      const spec = { orderId, customerId: customer, createdAt: new Date(NOW.getTime() - (40 - round * 10) * DAY), subtotalMinor: 2_000 + ((customer * 7_919 + round * 104_729) % 90_000) };
      paid.push({ topic: "orders/paid", payload: order(spec), eventId: `paid-${orderId}` });
      if (customer % 11 === 0) paid.push({ topic: "orders/paid", payload: order(spec), eventId: `paid-again-${orderId}` });
      if (customer % 7 === 0 && round === 1) later.push({ topic: "refunds/create", payload: refundPayload({ refundId: orderId, orderId, subtotalMinor: 1_000, at: NOW }), eventId: `refund-${orderId}` });
      if (customer % 13 === 0 && round === 2) later.push({ topic: "orders/cancelled", payload: order({ ...spec, cancelledAt: NOW }), eventId: `cancel-${orderId}` });
    }
    orderId += 1;
    paid.push({ topic: "orders/paid", payload: { ...order({ orderId, customerId: 0, createdAt: NOW, subtotalMinor: 5_000 }), customer: null }, eventId: `guest-${orderId}` });
    orderId += 1;
    paid.push({ topic: "orders/paid", payload: { ...order({ orderId, customerId: 5, createdAt: NOW, subtotalMinor: 5_000 }), test: true }, eventId: `test-${orderId}` });
  }
  // A payment redelivered under a new event id after its order was recorded goes to the one-by-one path.
  later.push({ ...paid[3], eventId: "paid-much-later" });
  return [...paid, ...later];
}

async function outcome(shopId: number) {
  const query = async (sql: string) => (await ctx.db.pool.query(sql, [shopId])).rows;
  return {
    customers: await query(
      `select "shopifyCustomerId", "pointsBalance", "lifetimeSpendMinor"::float8 as spend, "tierId", "tierSince", "lastActivityAt", email, "firstName", "lastName"
         from "Customer" where "shopId" = $1 order by "shopifyCustomerId"`,
    ),
    ledger: await query(
      `select c."shopifyCustomerId", l.kind, l.points, l."availableAt", l."occurredAt", l."idempotencyKey", l."orderId"
         from "LedgerEntry" l join "Customer" c on c.id = l."customerId" where l."shopId" = $1 order by c."shopifyCustomerId", l.id`,
    ),
    orders: await query(`select "orderId", state, "postedPoints", "spendMinor"::float8 as spend, "paidAt", "taxesIncluded" from "OrderPoints" where "shopId" = $1 order by "orderId"`),
    events: await query(
      `select c."shopifyCustomerId", e.kind, e.payload from "LoyaltyEvent" e join "Customer" c on c.id = e."customerId" where e."shopId" = $1 order by c."shopifyCustomerId", e.id`,
    ),
    orderFacts: await query(`select "orderId", "customerId", "orderedAt", "amountMinor", "discountMinor", "discountCodes", "cancelledAt" from "CustomerOrder" where "shopId" = $1 order by "orderId"`),
    inbox: await query(`select status, count(*)::int as n from "WebhookInbox" where "shopId" = $1 group by 1`),
  };
}

test("a shop processed 40 rows at a time ends exactly like one processed row by row", async () => {
  const one = await ctx.world.shop("one-by-one.myshopify.com", NOW);
  const batched = await ctx.world.shop("batched.myshopify.com", NOW);
  const { rows: tiers } = await ctx.db.pool.query(`select settings->'tiers' as tiers from "LoyaltyProgram" where "shopId" = $1`, [one]);
  expect(tiers[0].tiers.levels.some((tier: { perks: { multiplierBps: number } }) => tier.perks.multiplierBps > 10_000)).toBe(true);

  const planned = deliveries();
  const oneIds: (string | null)[] = [];
  for (const delivery of planned) oneIds.push(await ctx.world.deliver("one-by-one.myshopify.com", delivery));
  const batchedIds: (string | null)[] = [];
  for (const delivery of planned) batchedIds.push(await ctx.world.deliver("batched.myshopify.com", delivery));

  expect(await ctx.world.process(oneIds, NOW)).toBe(0);
  const takenByBatches = await ctx.world.process(batchedIds, NOW, 1, 40);
  // Most payments go set-based; a customer's second payment in a batch, the refunds and the rest one by one.
  expect(takenByBatches).toBeGreaterThan(100);
  expect(takenByBatches).toBeLessThan(batchedIds.filter((id) => id !== null).length);

  const expected = await outcome(one);
  expect(expected.ledger.length).toBeGreaterThan(150);
  expect(expected.customers.filter((customer) => customer.tierId !== null).length).toBeGreaterThan(10);
  expect(expected.events.some((event) => event.kind === "tier_changed")).toBe(true);
  expect(await outcome(batched)).toEqual(expected);
  expect(await ctx.world.cachedSumsDrift(batched)).toEqual([]);
}, 120_000);
