/**
 * Points from order webhooks against a real PostgreSQL: earning on the configured base, claw-back on refunds and
 * cancellations, the pending period, and exactly-once under redeliveries and any arrival order.
 */
import { describe, expect, test } from "vitest";
import { order, refundPayload, useLoyaltyWorld } from "./support";

const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
const ctx = useLoyaltyWorld();

describe("earning from orders/paid", () => {
  test("1 point per dollar of the subtotal after discounts, without shipping and tax; a redelivery changes nothing", async () => {
    const shop = "earn.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW);
    const paid = order({ orderId: 1001, customerId: 501, createdAt: new Date(NOW.getTime() - DAY), subtotalMinor: 12_345, discountMinor: 1_000, shippingMinor: 700, taxMinor: 990 });
    await ctx.world.deliverAndProcess(shop, [{ topic: "orders/paid", payload: paid }, { topic: "orders/paid", payload: paid }, { topic: "orders/updated", payload: paid }], NOW);
    expect(await ctx.world.ledger(shopId, "501")).toMatchObject([{ kind: "order_earn", points: 123, idempotencyKey: "order:1001:paid", orderId: "1001" }]);
    expect(await ctx.world.customerRow(shopId, "501")).toMatchObject({ pointsBalance: 123, lifetimeSpendMinor: 12_345 });
    expect(await ctx.world.cachedSumsDrift(shopId)).toEqual([]);
  });

  test("guests, test orders and orders from before the program started earn nothing", async () => {
    const shop = "no-earn.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW, (s) => ({ ...s, startedAt: new Date(NOW.getTime() - 10 * DAY) }));
    await ctx.world.deliverAndProcess(
      shop,
      [
        { topic: "orders/paid", payload: order({ orderId: 2001, customerId: null, createdAt: NOW, subtotalMinor: 5_000 }) },
        { topic: "orders/paid", payload: { ...order({ orderId: 2002, customerId: 601, createdAt: NOW, subtotalMinor: 5_000 }), test: true } },
        { topic: "orders/paid", payload: order({ orderId: 2003, customerId: 602, createdAt: new Date(NOW.getTime() - 11 * DAY), subtotalMinor: 5_000 }) },
      ],
      NOW,
    );
    const { rows } = await ctx.db.pool.query(`select count(*)::int as n from "LedgerEntry" where "shopId" = $1`, [shopId]);
    expect(rows[0].n).toBe(0);
    expect(await ctx.world.customerRow(shopId, "601")).toBeUndefined();
    expect(await ctx.world.customerRow(shopId, "602")).toMatchObject({ pointsBalance: 0, lifetimeSpendMinor: 0 });
  });
});

describe("claw-back", () => {
  test("a partial refund takes back points in proportion, a second refund more, a cancellation the rest; each once", async () => {
    const shop = "clawback.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW);
    const createdAt = new Date(NOW.getTime() - 5 * DAY);
    const paid = order({ orderId: 3001, customerId: 701, createdAt, subtotalMinor: 20_000 });
    const firstRefund = refundPayload({ refundId: 91, orderId: 3001, subtotalMinor: 5_000, shippingMinor: 500, at: NOW });
    const secondRefund = refundPayload({ refundId: 92, orderId: 3001, subtotalMinor: 2_500, at: NOW });
    await ctx.world.deliverAndProcess(shop, [{ topic: "orders/paid", payload: paid }, { topic: "refunds/create", payload: firstRefund }, { topic: "refunds/create", payload: firstRefund }], NOW);
    expect((await ctx.world.customerRow(shopId, "701"))?.pointsBalance).toBe(150);
    await ctx.world.deliverAndProcess(shop, [{ topic: "refunds/create", payload: secondRefund }], NOW);
    expect((await ctx.world.customerRow(shopId, "701"))?.pointsBalance).toBe(125);
    const cancelled = order({ orderId: 3001, customerId: 701, createdAt, subtotalMinor: 20_000, cancelledAt: NOW });
    await ctx.world.deliverAndProcess(shop, [{ topic: "orders/cancelled", payload: cancelled }, { topic: "orders/cancelled", payload: cancelled }], NOW);
    expect(await ctx.world.ledger(shopId, "701")).toMatchObject([
      { kind: "order_earn", points: 200 },
      { kind: "order_refund", points: -50, idempotencyKey: "refund:91" },
      { kind: "order_refund", points: -25, idempotencyKey: "refund:92" },
      { kind: "order_cancel", points: -125, idempotencyKey: "order:3001:cancelled" },
    ]);
    expect(await ctx.world.customerRow(shopId, "701")).toMatchObject({ pointsBalance: 0, lifetimeSpendMinor: 0 });
    expect(await ctx.world.cachedSumsDrift(shopId)).toEqual([]);
  });

  test("a refund that arrives before its order's payment is applied when the payment arrives", async () => {
    const shop = "refund-first.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW);
    const refund = refundPayload({ refundId: 95, orderId: 3101, subtotalMinor: 4_000, at: NOW });
    await ctx.world.deliverAndProcess(shop, [{ topic: "refunds/create", payload: refund }], NOW);
    await ctx.world.deliverAndProcess(shop, [{ topic: "orders/paid", payload: order({ orderId: 3101, customerId: 711, createdAt: NOW, subtotalMinor: 10_000 }) }], NOW);
    expect(await ctx.world.ledger(shopId, "711")).toMatchObject([{ kind: "order_earn", points: 60, idempotencyKey: "order:3101:paid" }]);
    expect(await ctx.world.customerRow(shopId, "711")).toMatchObject({ pointsBalance: 60, lifetimeSpendMinor: 6_000 });
  });

  test("a claw-back of points already spent takes the balance below zero", async () => {
    const shop = "overdraw.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW);
    await ctx.world.deliverAndProcess(shop, [{ topic: "orders/paid", payload: order({ orderId: 3201, customerId: 721, createdAt: NOW, subtotalMinor: 10_000 }) }], NOW);
    const { id } = (await ctx.world.customerRow(shopId, "721"))!;
    await ctx.db.pool.query(
      `insert into "LedgerEntry" ("shopId", "customerId", kind, points, "availableAt", "occurredAt", "idempotencyKey") values ($1, $2, 'redemption', -80, $3, $3, 'spent-80')`,
      [shopId, id, NOW],
    );
    await ctx.world.deliverAndProcess(shop, [{ topic: "refunds/create", payload: refundPayload({ refundId: 96, orderId: 3201, subtotalMinor: 10_000, at: NOW }) }], NOW);
    expect((await ctx.world.customerRow(shopId, "721"))?.pointsBalance).toBe(-80);
    expect(await ctx.world.cachedSumsDrift(shopId)).toEqual([]);
  });
});

describe("pending period", () => {
  test("points become spendable pendingDays after payment; a refund meanwhile offsets them in pending", async () => {
    const shop = "pending.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW, (s) => ({ ...s, earning: { ...s.earning, pendingDays: 14 } }));
    await ctx.world.deliverAndProcess(shop, [{ topic: "orders/paid", payload: order({ orderId: 4001, customerId: 801, createdAt: NOW, subtotalMinor: 10_000 }) }], NOW);
    const { customerBalance } = await import("~/services/loyalty/balance.server");
    expect(await customerBalance({ db: ctx.db.pool, shopId, customerId: "801", now: NOW })).toEqual({ available: 0, pending: 100 });
    const later = new Date(NOW.getTime() + 2 * DAY);
    await ctx.world.deliverAndProcess(shop, [{ topic: "refunds/create", payload: refundPayload({ refundId: 97, orderId: 4001, subtotalMinor: 3_000, at: later }) }], later);
    expect(await customerBalance({ db: ctx.db.pool, shopId, customerId: "801", now: later })).toEqual({ available: 0, pending: 70 });
    expect(await customerBalance({ db: ctx.db.pool, shopId, customerId: "801", now: new Date(NOW.getTime() + 14 * DAY) })).toEqual({ available: 70, pending: 0 });
  });
});
