/**
 * VIP tiers and expiry against a real PostgreSQL: up at once, down only when old orders have left the rolling
 * window and the retention period has ended (the daily job), and inactivity expiry with its reminder first.
 */
import { describe, expect, test } from "vitest";
import { order, useLoyaltyWorld } from "./support";

const DAY = 86_400_000;
const T0 = new Date("2026-11-20T12:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const ctx = useLoyaltyWorld();

async function events(shopId: number, kind: string) {
  const { rows } = await ctx.db.pool.query(`select payload from "LoyaltyEvent" where "shopId" = $1 and kind = $2 order by id`, [shopId, kind]);
  return rows.map((row) => row.payload);
}

describe("tiers", () => {
  test("a customer moves up as orders arrive; the earning multiplier applies from the next order", async () => {
    const shop = "tiers-up.myshopify.com";
    const shopId = await ctx.world.shop(shop, T0);
    const paid = (orderId: number, subtotalMinor: number) => ({ topic: "orders/paid", payload: order({ orderId, customerId: 42, createdAt: T0, subtotalMinor }) });
    await ctx.world.deliverAndProcess(shop, [paid(1, 15_000)], T0);
    expect(await ctx.world.customerRow(shopId, "42")).toMatchObject({ tierId: "silver" });
    await ctx.world.deliverAndProcess(shop, [paid(2, 40_000)], T0);
    expect(await ctx.world.customerRow(shopId, "42")).toMatchObject({ tierId: "gold", pointsBalance: 550 });
    // Gold earns 1.25×.
    await ctx.world.deliverAndProcess(shop, [paid(3, 10_000)], T0);
    expect(await ctx.world.customerRow(shopId, "42")).toMatchObject({ tierId: "gold", pointsBalance: 675 });
    expect(await events(shopId, "tier_changed")).toEqual([
      { tier: "Silver", previousTier: null, direction: "up" },
      { tier: "Gold", previousTier: "Silver", direction: "up" },
    ]);
  });

  test("down only after old orders leave the 12-month window and the retention period has passed", async () => {
    const shop = "tiers-down.myshopify.com";
    const shopId = await ctx.world.shop(shop, at(-400));
    const { recomputeShopTiers } = await import("~/services/loyalty/tiers.server");
    // $600 spent 300 days ago: Gold then (processed then).
    const paidAt = at(-300);
    await ctx.world.deliverAndProcess(shop, [{ topic: "orders/paid", payload: order({ orderId: 10, customerId: 43, createdAt: paidAt, subtotalMinor: 60_000 }) }], paidAt);
    expect(await ctx.world.customerRow(shopId, "43")).toMatchObject({ tierId: "gold" });
    // Still inside the window today: the daily pass renews the tier.
    expect(await recomputeShopTiers({ db: ctx.db, shopId, now: T0 })).toMatchObject({ movedUp: 0, movedDown: 0 });
    expect((await ctx.world.customerRow(shopId, "43"))?.tierSince).toEqual(T0);
    // 70 days on the order has left the window, but Gold was last earned 70 days ago (< 90 days' retention).
    expect(await recomputeShopTiers({ db: ctx.db, shopId, now: at(70) })).toMatchObject({ movedDown: 0 });
    expect(await ctx.world.customerRow(shopId, "43")).toMatchObject({ tierId: "gold" });
    expect(await recomputeShopTiers({ db: ctx.db, shopId, now: at(91) })).toMatchObject({ movedDown: 1 });
    expect(await ctx.world.customerRow(shopId, "43")).toMatchObject({ tierId: null });
    expect((await events(shopId, "tier_changed")).at(-1)).toEqual({ tier: null, previousTier: "Gold", direction: "down" });
  });

  test("the preview counts who the new rules would move, before saving", async () => {
    const shop = "tiers-preview.myshopify.com";
    const shopId = await ctx.world.shop(shop, T0);
    const spends = [5_000, 20_000, 60_000, 150_000];
    await ctx.world.deliverAndProcess(shop, spends.map((subtotalMinor, i) => ({ topic: "orders/paid", payload: order({ orderId: 100 + i, customerId: 200 + i, createdAt: T0, subtotalMinor }) })), T0);
    const { previewTierRules } = await import("~/services/loyalty/tiers.server");
    const { getProgramSettings } = await import("~/services/loyalty/program.server");
    const current = (await getProgramSettings({ db: ctx.db.pool, shopId })).settings.tiers;
    const raised = { ...current, levels: current.levels.map((tier) => ({ ...tier, threshold: tier.threshold * 3 })) };
    const result = await previewTierRules({ db: ctx.db.pool, shopId, rules: raised, now: T0 });
    expect(result).toMatchObject({ ok: true, preview: { movingUp: 0, movingDown: 3, unchanged: 1 } });
    const invalid = await previewTierRules({ db: ctx.db.pool, shopId, rules: { ...current, levels: [current.levels[1], current.levels[0]] }, now: T0 });
    expect(invalid.ok).toBe(false);
  });
});

describe("expiry", () => {
  test("after the inactivity period: a reminder first, the whole balance expires only after the full notice, once", async () => {
    const shop = "expiry.myshopify.com";
    const shopId = await ctx.world.shop(shop, at(-400), (s) => ({ ...s, expiry: { enabled: true, afterInactiveDays: 180, reminderDaysBefore: 30 } }));
    const { runExpiry } = await import("~/services/loyalty/expiry.server");
    await ctx.world.deliverAndProcess(shop, [{ topic: "orders/paid", payload: order({ orderId: 50, customerId: 44, createdAt: T0, subtotalMinor: 12_300 }) }], T0);
    expect(await runExpiry({ db: ctx.db, shopId, now: at(149) })).toEqual({ reminded: 0, expired: 0, points: 0 });
    expect(await runExpiry({ db: ctx.db, shopId, now: at(150) })).toEqual({ reminded: 1, expired: 0, points: 0 });
    expect(await runExpiry({ db: ctx.db, shopId, now: at(151) })).toEqual({ reminded: 0, expired: 0, points: 0 });
    expect(await events(shopId, "points_expiring")).toEqual([{ points: 123, expiresAt: at(180).toISOString() }]);
    expect(await runExpiry({ db: ctx.db, shopId, now: at(180) })).toEqual({ reminded: 0, expired: 1, points: 123 });
    expect(await runExpiry({ db: ctx.db, shopId, now: at(181) })).toEqual({ reminded: 0, expired: 0, points: 0 });
    expect((await ctx.world.ledger(shopId, "44")).map((row) => [row.kind, row.points])).toEqual([["order_earn", 123], ["expiry", -123]]);
  });

  test("activity restarts the clock", async () => {
    const shop = "expiry-active.myshopify.com";
    const shopId = await ctx.world.shop(shop, at(-400), (s) => ({ ...s, expiry: { enabled: true, afterInactiveDays: 180, reminderDaysBefore: 0 } }));
    const { runExpiry } = await import("~/services/loyalty/expiry.server");
    await ctx.world.deliverAndProcess(shop, [{ topic: "orders/paid", payload: order({ orderId: 60, customerId: 45, createdAt: T0, subtotalMinor: 5_000 }) }], T0);
    await ctx.world.deliverAndProcess(shop, [{ topic: "orders/paid", payload: order({ orderId: 61, customerId: 45, createdAt: at(100), subtotalMinor: 5_000 }) }], at(100));
    expect(await runExpiry({ db: ctx.db, shopId, now: at(200) })).toEqual({ reminded: 0, expired: 0, points: 0 });
    expect(await runExpiry({ db: ctx.db, shopId, now: at(280) })).toEqual({ reminded: 0, expired: 1, points: 100 });
  });
});
