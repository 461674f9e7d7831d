/**
 * Per-customer caps under concurrent requests against real PostgreSQL: 50 simultaneous awards of a capped action
 * (review, social follow, survey, sign-up, birthday) for one customer award exactly the cap, and a referrer whose
 * 20 friends' first orders are processed at once by parallel workers is paid exactly the referral cap. The cached
 * balance always equals the ledger.
 */
import { describe, expect, test } from "vitest";
import { order, samplePayload, useLoyaltyWorld } from "../integration/loyalty/support";

const NOW = new Date("2026-11-20T12:00:00Z");
const SIMULTANEOUS = 50;
const ctx = useLoyaltyWorld({ fakeAdmin: true });

async function ledgerKeys(shopId: number, shopifyCustomerId: string, action: string): Promise<string[]> {
  const rows = await ctx.world.ledger(shopId, shopifyCustomerId);
  return rows.filter((row) => row.kind === "action" && row.idempotencyKey.startsWith(`${action}:`)).map((row) => row.idempotencyKey);
}

describe(`${SIMULTANEOUS} simultaneous awards of a capped action for one customer`, () => {
  test.each([
    ["review", 3, (i: number) => ({ action: "review" as const, reviewId: `r${i}` })],
    ["social_follow", 2, (i: number) => ({ action: "social_follow" as const, network: `network-${i}` })],
    ["survey", 4, (i: number) => ({ action: "survey" as const, surveyId: `s${i}` })],
  ] as const)("%s capped at %i: exactly the cap is awarded, the rest refused as cap_reached", async (action, cap, occurrence) => {
    const shop = `cap-${action.replace("_", "-")}.myshopify.com`;
    const shopId = await ctx.world.shop(shop, NOW, (s) => ({ ...s, actions: { ...s.actions, [action]: { enabled: true, points: 40, capPerCustomer: cap } } }));
    const { awardAction } = await import("~/services/loyalty/actions.server");
    // Distinct occurrences (each would be awarded on its own), all for the same customer, all at once.
    const results = await Promise.all(Array.from({ length: SIMULTANEOUS }, (_, i) => awardAction({ db: ctx.db, shopId, customerId: "9001", occurrence: occurrence(i), now: NOW })));
    expect(results.filter((r) => r.ok)).toHaveLength(cap);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(Array(SIMULTANEOUS - cap).fill("cap_reached"));
    expect(await ledgerKeys(shopId, "9001", action)).toHaveLength(cap);
    expect((await ctx.world.customerRow(shopId, "9001"))?.pointsBalance).toBe(40 * cap);
    expect(await ctx.world.cachedSumsDrift(shopId)).toEqual([]);
  });

  test("the same review sent 50 times at once (a retried request) is awarded once", async () => {
    const shopId = await ctx.world.shop("cap-same-review.myshopify.com", NOW, (s) => ({ ...s, actions: { ...s.actions, review: { enabled: true, points: 40, capPerCustomer: 10 } } }));
    const { awardAction } = await import("~/services/loyalty/actions.server");
    const results = await Promise.all(Array.from({ length: SIMULTANEOUS }, () => awardAction({ db: ctx.db, shopId, customerId: "9002", occurrence: { action: "review", reviewId: "same" }, now: NOW })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await ledgerKeys(shopId, "9002", "review")).toHaveLength(1);
    expect(await ctx.world.cachedSumsDrift(shopId)).toEqual([]);
  });

  test("sign-up, from 50 simultaneous customers/create deliveries processed by 10 workers at once: awarded once", async () => {
    const shop = "cap-signup.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW, (s) => ({ ...s, actions: { ...s.actions, signup: { enabled: true, points: 100, capPerCustomer: 1 } } }));
    const created = { ...samplePayload("customers/create"), id: 9003, admin_graphql_api_id: "gid://shopify/Customer/9003", email: "signup9003@example.com" };
    // Fresh event ids: each is a new inbox row reaching the handler (not a deduplicated redelivery).
    const ids = await ctx.world.deliverMany(shop, Array.from({ length: SIMULTANEOUS }, () => ({ topic: "customers/create", payload: created })), 25);
    await ctx.world.process(ids, NOW, 10);
    expect(await ledgerKeys(shopId, "9003", "signup")).toHaveLength(1);
    expect((await ctx.world.customerRow(shopId, "9003"))?.pointsBalance).toBe(100);
  });

  test("birthday: 10 birthday passes running at once award each due customer once", async () => {
    const shopId = await ctx.world.shop("cap-birthday.myshopify.com", NOW);
    const { setBirthday, awardDueBirthdays } = await import("~/services/loyalty/actions.server");
    for (const customerId of ["9004", "9005", "9006"]) expect(await setBirthday({ db: ctx.db, shopId, customerId, birthday: { month: 11, day: 19 } })).toMatchObject({ ok: true });
    const passes = await Promise.all(Array.from({ length: 10 }, () => awardDueBirthdays({ db: ctx.db, shopId, now: NOW })));
    expect(passes.reduce((sum, pass) => sum + pass.awarded, 0)).toBe(3);
    for (const customerId of ["9004", "9005", "9006"]) expect(await ledgerKeys(shopId, customerId, "birthday")).toHaveLength(1);
    expect(await ctx.world.cachedSumsDrift(shopId)).toEqual([]);
  });
});

describe("the referral cap", () => {
  test("20 referred friends' first orders processed by 10 workers at once: the referrer is paid exactly the cap (3)", async () => {
    const shop = "cap-referral.myshopify.com";
    const CAP = 3;
    const FRIENDS = 20;
    const shopId = await ctx.world.shop(shop, NOW, (s) => ({ ...s, actions: { ...s.actions, referral: { enabled: true, points: 500, capPerCustomer: CAP } } }));
    const customer = (id: number) => ({
      ...samplePayload("customers/create"),
      id,
      admin_graphql_api_id: `gid://shopify/Customer/${id}`,
      email: `person${id}@example.com`,
      first_name: `First${id}`,
      last_name: `Last${id}`,
      phone: null,
      addresses: [{ address1: `${id} Distinct Road`, city: "Leeds", zip: `LS${id}`, country_code: "GB" }],
    });
    const friendIds = Array.from({ length: FRIENDS }, (_, i) => 9_100 + i);
    await ctx.world.deliverAndProcess(shop, [9_000, ...friendIds].map((id) => ({ topic: "customers/create", payload: customer(id) })), NOW);
    const { registerReferral, ensureReferralCode } = await import("~/services/loyalty/referrals.server");
    const { findCustomerByShopifyId } = await import("~/data/loyalty/customers.server");
    const { createAdminClient } = await import("~/shopify/admin/client.server");
    const admin = createAdminClient({ shop, accessToken: "token" }, { origin: ctx.fake.origin, sleep: async () => {} });
    const code = await ensureReferralCode(ctx.db.pool, (await findCustomerByShopifyId(ctx.db.pool, shopId, "9000"))!);
    // The friends claim the code at once too: each gets their own discount, one referral row each.
    const claims = await Promise.all(friendIds.map((id) => registerReferral({ db: ctx.db, admin, shopId, friendCustomerId: String(id), code, now: NOW })));
    expect(claims.filter((claim) => claim.ok)).toHaveLength(FRIENDS);
    const signupPoints = (await ctx.world.customerRow(shopId, "9000"))!.pointsBalance;

    const firstOrders = friendIds.map((id) => ({ topic: "orders/paid", payload: order({ orderId: id * 10, customerId: id, createdAt: NOW, subtotalMinor: 5_000 }) }));
    const ids = await ctx.world.deliverMany(shop, firstOrders, 20);
    await ctx.world.process(ids, NOW, 10);

    expect(await ledgerKeys(shopId, "9000", "referral")).toHaveLength(CAP);
    expect((await ctx.world.customerRow(shopId, "9000"))!.pointsBalance - signupPoints).toBe(500 * CAP);
    const { rows } = await ctx.db.pool.query<{ status: string; refusal: string | null; n: number }>(
      `select status, refusal, count(*)::int as n from "Referral" where "shopId" = $1 group by 1, 2 order by 1`,
      [shopId],
    );
    expect(rows).toEqual([
      { status: "completed", refusal: null, n: CAP },
      { status: "refused", refusal: expect.stringMatching(/cap/), n: FRIENDS - CAP },
    ]);
    expect(await ctx.world.cachedSumsDrift(shopId)).toEqual([]);
  });
});
