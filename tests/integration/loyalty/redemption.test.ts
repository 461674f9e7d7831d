/**
 * Redemption against a real PostgreSQL and the fake Admin API (every operation validated against Shopify's
 * schema): never overspent under 100 concurrent requests, and never half-done when Shopify refuses, fails or
 * throttles.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { order, useLoyaltyWorld } from "./support";

const NOW = new Date("2026-11-20T12:00:00Z");
const ctx = useLoyaltyWorld({ fakeAdmin: true });
let loyalty: {
  redeemReward: typeof import("~/services/loyalty/redemption.server").redeemReward;
  settleStaleRedemptions: typeof import("~/services/loyalty/redemption.server").settleStaleRedemptions;
  createReward: typeof import("~/services/loyalty/rewards.server").createReward;
  setRewardArchived: typeof import("~/services/loyalty/rewards.server").setRewardArchived;
  customerBalance: typeof import("~/services/loyalty/balance.server").customerBalance;
  createAdminClient: typeof import("~/shopify/admin/client.server").createAdminClient;
};

beforeAll(async () => {
  loyalty = {
    ...(await import("~/services/loyalty/redemption.server")),
    ...(await import("~/services/loyalty/rewards.server")),
    ...(await import("~/services/loyalty/balance.server")),
    ...(await import("~/shopify/admin/client.server")),
  };
});

const admin = () => loyalty.createAdminClient({ shop: "x.myshopify.com", accessToken: "offline-token" }, { origin: ctx.fake.origin, maxAttempts: 3, timeoutMs: 300, sleep: async () => {} });

/** A shop whose customer `customerId` has `points` spendable points (from a paid order), and a reward. */
async function shopWithPoints(shop: string, customerId: number, points: number, reward: Parameters<typeof loyalty.createReward>[0]["reward"]) {
  const shopId = await ctx.world.shop(shop, NOW);
  await ctx.world.deliverAndProcess(shop, [{ topic: "orders/paid", payload: order({ orderId: customerId * 10, customerId, createdAt: NOW, subtotalMinor: points * 100 }) }], NOW);
  const created = await loyalty.createReward({ db: ctx.db.pool, shopId, reward });
  if (!created.ok) throw new Error("reward refused");
  return { shopId, rewardId: created.reward.id };
}

async function redemptionRows(shopId: number) {
  const { rows } = await ctx.db.pool.query(`select status, code, "pointsCost" from "Redemption" where "shopId" = $1 order by id`, [shopId]);
  return rows;
}

describe("never overspend", () => {
  test("100 concurrent redemptions by one customer take exactly what the balance covers, never below zero", async () => {
    const { shopId, rewardId } = await shopWithPoints("concurrent.myshopify.com", 9001, 1_000, { type: "fixed_amount", name: "$5 off", amountMinor: 500, pointsCost: 30 });
    // Each request reads its own clock, a few milliseconds apart, as separate requests and processes do.
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => loyalty.redeemReward({ db: ctx.db, admin: admin(), shopId, customerId: "9001", rewardId, now: new Date(NOW.getTime() + 100 - i) })),
    );
    const issued = results.filter((r) => r.ok);
    expect(issued).toHaveLength(33);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(Array(67).fill("insufficient_points"));
    expect(await loyalty.customerBalance({ db: ctx.db.pool, shopId, customerId: "9001", now: NOW })).toEqual({ available: 10, pending: 0 });
    expect((await ctx.world.customerRow(shopId, "9001"))?.pointsBalance).toBe(10);
    const codes = issued.map((r) => r.ok && r.redemption.code);
    expect(new Set(codes).size).toBe(33);
    for (const code of codes) expect(ctx.fake.state.discountCodes.get(code)).toMatchObject({ customerIds: ["gid://shopify/Customer/9001"], usageLimit: 1 });
    expect(await ctx.world.cachedSumsDrift(shopId)).toEqual([]);
  });
});

describe("Shopify failures leave nothing half-done", () => {
  test("a refusal (userErrors) reverses the redemption: points back, no code, and a retry of the request changes nothing", async () => {
    const { shopId, rewardId } = await shopWithPoints("refused.myshopify.com", 9002, 500, { type: "percentage", name: "10% off", percent: 10, pointsCost: 200 });
    ctx.fake.injectFault("DiscountCodeBasicCreate", { userErrors: [{ field: ["basicCodeDiscount", "endsAt"], message: "Ends at needs to be after starts_at" }] });
    const first = await loyalty.redeemReward({ db: ctx.db, admin: admin(), shopId, customerId: "9002", rewardId, now: NOW, requestKey: "req-1" });
    expect(first).toMatchObject({ ok: false, reason: "shopify_refused" });
    const again = await loyalty.redeemReward({ db: ctx.db, admin: admin(), shopId, customerId: "9002", rewardId, now: NOW, requestKey: "req-1" });
    expect(again).toMatchObject({ ok: false, reason: "shopify_refused" });
    expect(await loyalty.customerBalance({ db: ctx.db.pool, shopId, customerId: "9002", now: NOW })).toEqual({ available: 500, pending: 0 });
    expect((await ctx.world.ledger(shopId, "9002")).map((row) => [row.kind, row.points])).toEqual([["order_earn", 500], ["redemption", -200], ["redemption_reversal", 200]]);
    expect(await redemptionRows(shopId)).toMatchObject([{ status: "reversed" }]);
  });

  test("Shopify down through every retry reverses; throttling once is retried and issues", async () => {
    const { shopId, rewardId } = await shopWithPoints("unavailable.myshopify.com", 9003, 500, { type: "free_shipping", name: "Free shipping", pointsCost: 100 });
    ctx.fake.injectFault("DiscountCodeFreeShippingCreate", "server_error", 3);
    expect(await loyalty.redeemReward({ db: ctx.db, admin: admin(), shopId, customerId: "9003", rewardId, now: NOW })).toMatchObject({ ok: false, reason: "shopify_refused" });
    ctx.fake.injectFault("DiscountCodeFreeShippingCreate", "hang", 3);
    expect(await loyalty.redeemReward({ db: ctx.db, admin: admin(), shopId, customerId: "9003", rewardId, now: NOW })).toMatchObject({ ok: false, reason: "shopify_refused" });
    ctx.fake.injectFault("DiscountCodeFreeShippingCreate", "throttled", 1);
    const issued = await loyalty.redeemReward({ db: ctx.db, admin: admin(), shopId, customerId: "9003", rewardId, now: NOW, requestKey: "req-ok" });
    expect(issued).toMatchObject({ ok: true, redemption: { kind: "free_shipping", pointsCost: 100, balance: 400 } });
    const retried = await loyalty.redeemReward({ db: ctx.db, admin: admin(), shopId, customerId: "9003", rewardId, now: NOW, requestKey: "req-ok" });
    expect(retried.ok && issued.ok && retried.redemption.code).toBe(issued.ok && issued.redemption.code);
    expect(await loyalty.customerBalance({ db: ctx.db.pool, shopId, customerId: "9003", now: NOW })).toEqual({ available: 400, pending: 0 });
    expect((await redemptionRows(shopId)).map((row) => row.status)).toEqual(["reversed", "reversed", "issued"]);
  });

  test("a code another discount already has is drawn again; the customer gets one working code", async () => {
    const { shopId, rewardId } = await shopWithPoints("taken.myshopify.com", 9004, 500, { type: "fixed_amount", name: "$10 off", amountMinor: 1_000, pointsCost: 100, minimumOrderMinor: 5_000 });
    let draw = 0;
    const randomBytes = (size: number) => new Uint8Array(size).fill(draw++ === 0 ? 1 : 2);
    ctx.fake.state.discountCodes.set("RE-3333-3333", { id: "gid://shopify/DiscountCodeNode/999", code: "RE-3333-3333", title: "Merchant's own code", customerIds: [], value: null, usageLimit: null, endsAt: null });
    const result = await loyalty.redeemReward({ db: ctx.db, admin: admin(), shopId, customerId: "9004", rewardId, now: NOW, randomBytes });
    expect(result).toMatchObject({ ok: true, redemption: { code: "RE-4444-4444" } });
    expect(await redemptionRows(shopId)).toMatchObject([{ status: "issued", code: "RE-4444-4444" }]);
    expect(ctx.fake.calls.filter((c) => c.operationName === "DiscountCodeBasicCreate").at(-1)?.variables).toMatchObject({
      basicCodeDiscount: { code: "RE-4444-4444", minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "50.00" } }, customerGets: { value: { discountAmount: { amount: "10.00" } } } },
    });
  });

  test("store credit is credited to the customer's account", async () => {
    const { shopId, rewardId } = await shopWithPoints("credit.myshopify.com", 9005, 800, { type: "store_credit", name: "$7 credit", amountMinor: 700, pointsCost: 700, expiresAfterDays: null });
    const result = await loyalty.redeemReward({ db: ctx.db, admin: admin(), shopId, customerId: "9005", rewardId, now: NOW });
    expect(result).toMatchObject({ ok: true, redemption: { code: null, creditedMinor: 700, currencyCode: "USD", balance: 100 } });
    expect(ctx.fake.state.storeCredit.get("gid://shopify/Customer/9005")).toMatchObject([{ amount: "7.00", currencyCode: "USD", expiresAt: null }]);
  });

  test("a redemption left pending by a process that died is settled: issued if Shopify has its code, reversed if not", async () => {
    const { shopId, rewardId } = await shopWithPoints("crashed.myshopify.com", 9006, 500, { type: "percentage", name: "5% off", percent: 5, pointsCost: 100 });
    // The first dies after Shopify created the code, the second before calling Shopify.
    const dying = (fail: boolean) => {
      const client = admin();
      return (async (document: string, variables?: Record<string, unknown>) => {
        const answer = fail ? undefined : await client(document, variables);
        throw Object.assign(new Error("process died"), { answer });
      }) as ReturnType<typeof admin>;
    };
    await expect(loyalty.redeemReward({ db: ctx.db, admin: dying(false), shopId, customerId: "9006", rewardId, now: NOW })).rejects.toThrow("process died");
    await expect(loyalty.redeemReward({ db: ctx.db, admin: dying(true), shopId, customerId: "9006", rewardId, now: NOW })).rejects.toThrow("process died");
    expect((await redemptionRows(shopId)).map((row) => row.status)).toEqual(["pending", "pending"]);
    expect(await loyalty.customerBalance({ db: ctx.db.pool, shopId, customerId: "9006", now: NOW })).toEqual({ available: 300, pending: 0 });

    const later = new Date(NOW.getTime() + 3_600_000);
    expect(await loyalty.settleStaleRedemptions({ db: ctx.db, adminFor: async () => admin(), now: later })).toEqual({ issued: 1, reversed: 1 });
    expect((await redemptionRows(shopId)).map((row) => row.status)).toEqual(["issued", "reversed"]);
    expect(await loyalty.customerBalance({ db: ctx.db.pool, shopId, customerId: "9006", now: later })).toEqual({ available: 400, pending: 0 });
  });
});

describe("what may be redeemed", () => {
  test("an archived reward is refused and its issued codes stay; a tier-restricted reward needs the tier", async () => {
    const { shopId, rewardId } = await shopWithPoints("catalogue.myshopify.com", 9007, 600, { type: "fixed_amount", name: "$5 off", amountMinor: 500, pointsCost: 100 });
    const first = await loyalty.redeemReward({ db: ctx.db, admin: admin(), shopId, customerId: "9007", rewardId, now: NOW });
    expect(first.ok).toBe(true);
    await loyalty.setRewardArchived({ db: ctx.db.pool, shopId, rewardId, archived: true });
    expect(await loyalty.redeemReward({ db: ctx.db, admin: admin(), shopId, customerId: "9007", rewardId, now: NOW })).toMatchObject({ ok: false, reason: "reward_archived" });
    expect(first.ok && ctx.fake.state.discountCodes.has(first.redemption.code)).toBe(true);

    const platinumOnly = await loyalty.createReward({ db: ctx.db.pool, shopId, reward: { type: "fixed_amount", name: "VIP $20", amountMinor: 2_000, pointsCost: 100, minimumTierId: "platinum" } });
    if (!platinumOnly.ok) throw new Error("reward refused");
    // $600 spent: Gold, not Platinum.
    expect(await loyalty.redeemReward({ db: ctx.db, admin: admin(), shopId, customerId: "9007", rewardId: platinumOnly.reward.id, now: NOW })).toMatchObject({ ok: false, reason: "tier_restricted" });
    expect(await loyalty.redeemReward({ db: ctx.db, admin: admin(), shopId, customerId: "9007", rewardId: "999999", now: NOW })).toMatchObject({ ok: false, reason: "reward_unavailable" });
    expect(await loyalty.redeemReward({ db: ctx.db, admin: admin(), shopId, customerId: "404", rewardId, now: NOW })).toMatchObject({ ok: false, reason: "not_a_customer" });
  });
});
