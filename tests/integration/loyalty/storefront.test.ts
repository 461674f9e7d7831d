/** The shopper-facing use cases in the storefront JSON contract (/proxy and /api/extension endpoints). */
import { beforeAll, describe, expect, test } from "vitest";
import { order, useLoyaltyWorld } from "./support";

const NOW = new Date("2026-11-20T12:00:00Z");
const SHOP = "storefront.myshopify.com";
const ctx = useLoyaltyWorld({ fakeAdmin: true });
let shopId: number;
let rewardId: string;

beforeAll(async () => {
  shopId = await ctx.world.shop(SHOP, NOW, (s) => ({ ...s, texts: { ...s.texts, pl: { ...s.texts.pl, rewardsTitle: "Nasze nagrody" } } }));
  const { createReward } = await import("~/services/loyalty/rewards.server");
  const created = await createReward({ db: ctx.db.pool, shopId, reward: { type: "fixed_amount", name: "$5 off", amountMinor: 500, pointsCost: 500 } });
  const archived = await createReward({ db: ctx.db.pool, shopId, reward: { type: "percentage", name: "Old 10%", percent: 10, pointsCost: 100, archived: true } });
  if (!created.ok || !archived.ok) throw new Error("reward refused");
  rewardId = created.reward.id;
  await ctx.world.deliverAndProcess(SHOP, [{ topic: "orders/paid", payload: order({ orderId: 1, customerId: 77, name: "Ann", createdAt: NOW, subtotalMinor: 61_234 }) }], NOW);
});

describe("program", () => {
  test("a guest gets the program: earn rate, ways to earn, offered rewards, tiers; no customer", async () => {
    const { loadStorefrontProgram } = await import("~/services/loyalty/storefront.server");
    const result = await loadStorefrontProgram({ db: ctx.db, shopDomain: SHOP, customerId: null, locale: "en-US", now: NOW });
    expect(result).toEqual({
      ok: true,
      body: {
        locale: "en",
        texts: {},
        program: {
          enabled: true,
          pointsName: "points",
          currencyCode: "USD",
          earnRate: { points: 1, perMinor: 100 },
          waysToEarn: [
            { key: "order", title: "Place an order", points: 1, description: "Points for every purchase" },
            { key: "signup", title: "Create an account", points: 100, description: "Once, when you join" },
            { key: "birthday", title: "Birthday", points: 100, description: "Every year on your birthday" },
            { key: "referral", title: "Refer a friend", points: 500, description: "When their first order is paid" },
          ],
          rewards: [{ id: rewardId, title: "$5 off", kind: "fixed_amount", pointsCost: 500, minimumOrderMinor: 0, tier: null }],
          tiers: [
            { id: "silver", name: "Silver", threshold: 10_000, thresholdKind: "spend", perks: [] },
            { id: "gold", name: "Gold", threshold: 50_000, thresholdKind: "spend", perks: ["1.25× points", "Early access", "+100 birthday points"] },
            { id: "platinum", name: "Platinum", threshold: 100_000, thresholdKind: "spend", perks: ["1.5× points", "Free shipping", "Early access", "+250 birthday points"] },
          ],
          // What a friend who follows a referral link is offered (the program's default).
          referral: { friendDiscount: { type: "percentage", percent: 10, minimumOrderMinor: 0 } },
        },
        customer: null,
      },
    });
  });

  test("a logged-in customer also gets balance, tier, progress, referral link and history; the merchant's texts in their language", async () => {
    const { loadStorefrontProgram } = await import("~/services/loyalty/storefront.server");
    const result = await loadStorefrontProgram({ db: ctx.db, shopDomain: SHOP, customerId: "77", locale: "pl", now: NOW });
    if (!result.ok) throw new Error(result.message);
    expect(result.body.texts).toEqual({ rewards: "Nasze nagrody" });
    expect(result.body.program.waysToEarn[0].title).toBe("Złóż zamówienie");
    expect(result.body.customer).toEqual({
      firstName: "Ann",
      balance: 612,
      pending: 0,
      tier: { id: "gold", name: "Gold" },
      nextTier: { name: "Platinum", remaining: 38_766, progress: 0.61234 },
      referralUrl: expect.stringMatching(/^https:\/\/storefront\.myshopify\.com\/\?ref=[2-9A-Z]{12}$/),
      history: [{ at: NOW.toISOString(), points: 612, kind: "earn", description: "Order 1" }],
      rewardsIssued: [],
    });
  });

  test("an unknown shop is refused", async () => {
    const { loadStorefrontProgram } = await import("~/services/loyalty/storefront.server");
    expect(await loadStorefrontProgram({ db: ctx.db, shopDomain: "nobody.myshopify.com", customerId: null, now: NOW })).toMatchObject({ ok: false, status: 404, code: "unknown_shop" });
  });
});

describe("redeem", () => {
  test("answers with the code and the new balance, then refuses what the balance no longer covers", async () => {
    const { redeemForStorefront, loadStorefrontProgram } = await import("~/services/loyalty/storefront.server");
    const { createAdminClient } = await import("~/shopify/admin/client.server");
    const admin = createAdminClient({ shop: SHOP, accessToken: "token" }, { origin: ctx.fake.origin });
    const first = await redeemForStorefront({ db: ctx.db, admin, shopDomain: SHOP, customerId: "77", rewardId, now: NOW });
    expect(first).toEqual({ ok: true, body: { code: expect.stringMatching(/^RE-[2-9A-Z]{4}-[2-9A-Z]{4}$/), title: "$5 off", balance: 112, kind: "fixed_amount" } });
    expect(await redeemForStorefront({ db: ctx.db, admin, shopDomain: SHOP, customerId: "77", rewardId, now: NOW })).toMatchObject({ ok: false, status: 409, code: "insufficient_points" });
    const after = await loadStorefrontProgram({ db: ctx.db, shopDomain: SHOP, customerId: "77", now: NOW });
    expect(after.ok && after.body.customer?.rewardsIssued).toEqual([{ code: first.ok && first.body.code, title: "$5 off", at: NOW.toISOString() }]);
    expect(after.ok && after.body.customer?.history[0]).toEqual({ at: NOW.toISOString(), points: -500, kind: "redeem", description: "Reward redeemed" });
  });
});
