/**
 * Customers from webhooks (sign-up award, late updates ignored), actions and referrals, and Shopify's privacy
 * requests: redaction leaves no personal field, a data request yields the customer's data, shop/redact deletes
 * the shop's data and nothing of another shop.
 */
import { describe, expect, test } from "vitest";
import { order, refundPayload, samplePayload, useLoyaltyWorld } from "./support";

const NOW = new Date("2026-11-20T12:00:00Z");
const ctx = useLoyaltyWorld({ fakeAdmin: true });

async function admin() {
  const { createAdminClient } = await import("~/shopify/admin/client.server");
  return createAdminClient({ shop: "x.myshopify.com", accessToken: "token" }, { origin: ctx.fake.origin, sleep: async () => {} });
}

function customerPayload(id: number, fields: Record<string, unknown> = {}) {
  return {
    ...samplePayload("customers/create"),
    id,
    admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    email: `person${id}@example.com`,
    first_name: "Ada",
    last_name: "Lovelace",
    phone: "+44 20 7946 0000",
    addresses: [{ address1: "12 Analytical Row", city: "London", zip: "N1 1AA", country_code: "GB" }],
    ...fields,
  };
}

describe("customers", () => {
  test("customers/create records the customer and awards sign-up points once; an older customers/update is ignored", async () => {
    const shop = "signup.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW);
    const created = customerPayload(301, { updated_at: "2026-11-20T10:00:00Z" });
    await ctx.world.deliverAndProcess(shop, [{ topic: "customers/create", payload: created }, { topic: "customers/create", payload: created }], NOW);
    expect(await ctx.world.ledger(shopId, "301")).toMatchObject([{ kind: "action", points: 100, idempotencyKey: expect.stringMatching(/^signup:\d+$/) }]);
    await ctx.world.deliverAndProcess(shop, [
      { topic: "customers/update", payload: customerPayload(301, { email: "newer@example.com", updated_at: "2026-11-20T11:00:00Z" }) },
      { topic: "customers/update", payload: customerPayload(301, { email: "older@example.com", updated_at: "2026-11-20T10:30:00Z" }) },
    ], NOW);
    const { rows } = await ctx.db.pool.query(`select email, "firstName" from "Customer" where "shopId" = $1`, [shopId]);
    expect(rows).toEqual([{ email: "newer@example.com", firstName: "Ada" }]);
  });

  test("actions: each review awards once, up to the cap; a switched-off action awards nothing", async () => {
    const shop = "actions.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW, (s) => ({ ...s, actions: { ...s.actions, review: { enabled: true, points: 50, capPerCustomer: 2 } } }));
    const { awardAction } = await import("~/services/loyalty/actions.server");
    const review = (reviewId: string) => awardAction({ db: ctx.db, shopId, customerId: "302", occurrence: { action: "review", reviewId }, now: NOW });
    expect(await review("r1")).toEqual({ ok: true, points: 50, balance: 50 });
    expect(await review("r1")).toEqual({ ok: false, reason: "already_awarded" });
    expect(await review("r2")).toEqual({ ok: true, points: 50, balance: 100 });
    expect(await review("r3")).toEqual({ ok: false, reason: "cap_reached" });
    expect(await awardAction({ db: ctx.db, shopId, customerId: "302", occurrence: { action: "social_follow", network: "instagram" }, now: NOW })).toEqual({ ok: false, reason: "action_disabled" });
  });

  test("birthday: awarded once on or after the day in the shop's time zone, with the tier's bonus", async () => {
    const shop = "birthday.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW);
    const { setBirthday, awardDueBirthdays } = await import("~/services/loyalty/actions.server");
    expect(await setBirthday({ db: ctx.db, shopId, customerId: "303", birthday: { month: 2, day: 30 } })).toMatchObject({ ok: false });
    expect(await setBirthday({ db: ctx.db, shopId, customerId: "303", birthday: { month: 11, day: 21 } })).toMatchObject({ ok: true });
    expect(await awardDueBirthdays({ db: ctx.db, shopId, now: NOW })).toEqual({ awarded: 0 });
    expect(await awardDueBirthdays({ db: ctx.db, shopId, now: new Date("2026-11-21T00:30:00Z") })).toEqual({ awarded: 1 });
    expect(await awardDueBirthdays({ db: ctx.db, shopId, now: new Date("2026-11-25T00:00:00Z") })).toEqual({ awarded: 0 });
    expect(await ctx.world.ledger(shopId, "303")).toMatchObject([{ kind: "action", points: 100, idempotencyKey: expect.stringMatching(/^birthday:\d+:2026$/) }]);
  });

  test("referral: the friend gets a code at once, the referrer points on the friend's first paid order only; self-referral refused", async () => {
    const shop = "referral.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW);
    await ctx.world.deliverAndProcess(shop, [
      { topic: "customers/create", payload: customerPayload(401) },
      { topic: "customers/create", payload: customerPayload(402, { email: "friend@example.com", addresses: [{ address1: "1 Other St", city: "Leeds", zip: "LS1", country_code: "GB" }] }) },
      { topic: "customers/create", payload: customerPayload(403, { email: "Person401+alt@example.com" }) },
    ], NOW);
    const { registerReferral, ensureReferralCode } = await import("~/services/loyalty/referrals.server");
    const { findCustomerByShopifyId } = await import("~/data/loyalty/customers.server");
    const code = await ensureReferralCode(ctx.db.pool, (await findCustomerByShopifyId(ctx.db.pool, shopId, "401"))!);
    expect(await registerReferral({ db: ctx.db, admin: await admin(), shopId, friendCustomerId: "401", code, now: NOW })).toEqual({ ok: false, reason: "self_referral" });
    expect(await registerReferral({ db: ctx.db, admin: await admin(), shopId, friendCustomerId: "403", code, now: NOW })).toEqual({ ok: false, reason: "same_email" });
    const referred = await registerReferral({ db: ctx.db, admin: await admin(), shopId, friendCustomerId: "402", code: code.toLowerCase(), now: NOW });
    expect(referred).toMatchObject({ ok: true, friendDiscountCode: expect.stringMatching(/^RE-/) });
    expect(await registerReferral({ db: ctx.db, admin: await admin(), shopId, friendCustomerId: "402", code, now: NOW })).toEqual(referred);
    expect(ctx.fake.state.discountCodes.get(referred.ok && referred.friendDiscountCode)).toMatchObject({ customerIds: ["gid://shopify/Customer/402"], value: { percentage: 0.1 } });

    const paid = (orderId: number) => ({ topic: "orders/paid", payload: order({ orderId, customerId: 402, createdAt: NOW, subtotalMinor: 3_000 }) });
    await ctx.world.deliverAndProcess(shop, [paid(4021), paid(4021), paid(4022)], NOW);
    expect((await ctx.world.ledger(shopId, "401")).map((row) => [row.kind, row.points])).toEqual([["action", 100], ["action", 500]]);
  });

  test("referrals switched off: the storefront offers a friend nothing, and a friend's code gets no discount", async () => {
    const shop = "referral-off.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW, (s) => ({ ...s, referral: { friendDiscount: { ...s.referral.friendDiscount, value: { type: "fixed_amount", amountMinor: 1_500 } } } }));
    await ctx.world.deliverAndProcess(shop, [{ topic: "customers/create", payload: customerPayload(601) }, { topic: "customers/create", payload: customerPayload(602, { email: "friend602@example.com" }) }], NOW);
    const { registerReferral, ensureReferralCode } = await import("~/services/loyalty/referrals.server");
    const { loadStorefrontProgram } = await import("~/services/loyalty/storefront.server");
    const { findCustomerByShopifyId } = await import("~/data/loyalty/customers.server");
    const code = await ensureReferralCode(ctx.db.pool, (await findCustomerByShopifyId(ctx.db.pool, shopId, "601"))!);
    const offer = async () => {
      const program = await loadStorefrontProgram({ db: ctx.db, shopDomain: shop, customerId: null, now: NOW });
      return program.ok ? program.body.program.referral : "refused";
    };
    expect(await offer()).toEqual({ friendDiscount: { type: "fixed_amount", amountMinor: 1_500, minimumOrderMinor: 0 } });

    await ctx.world.program(shopId, (s) => ({ ...s, actions: { ...s.actions, referral: { ...s.actions.referral, enabled: false } } }), NOW);
    const calls = ctx.fake.calls.length;
    expect(await offer()).toBeNull();
    expect(await registerReferral({ db: ctx.db, admin: await admin(), shopId, friendCustomerId: "602", code, now: NOW })).toEqual({ ok: false, reason: "program_off" });
    expect(ctx.fake.calls.length).toBe(calls);
  });
});

describe("privacy", () => {
  test("customers/redact leaves no personal field anywhere; the ledger keeps its amounts", async () => {
    const shop = "redact.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW);
    await ctx.world.deliverAndProcess(shop, [
      { topic: "customers/create", payload: customerPayload(501) },
      { topic: "orders/paid", payload: order({ orderId: 5010, customerId: 501, createdAt: NOW, subtotalMinor: 10_000 }) },
      { topic: "customers/data_request", payload: { ...samplePayload("customers/data_request"), customer: { id: 501, email: "person501@example.com", phone: null }, data_request: { id: 77 } } },
    ], NOW);
    const { setBirthday } = await import("~/services/loyalty/actions.server");
    await setBirthday({ db: ctx.db, shopId, customerId: "501", birthday: { month: 3, day: 14 } });
    const { id } = (await ctx.world.customerRow(shopId, "501"))!;
    const personal = ["person501@example.com", "Ada", "Lovelace", "7946", "Analytical", "501"];
    const everything = async () => {
      const { rows } = await ctx.db.pool.query(
        `select 'Customer' as t, row_to_json(c)::text as row from "Customer" c where "shopId" = $1
         union all select 'LedgerEntry', row_to_json(l)::text from "LedgerEntry" l where "shopId" = $1
         union all select 'OrderPoints', row_to_json(o)::text from "OrderPoints" o where "shopId" = $1
         union all select 'LoyaltyEvent', row_to_json(e)::text from "LoyaltyEvent" e where "shopId" = $1
         union all select 'CustomerDataExport', row_to_json(x)::text from "CustomerDataExport" x where "shopId" = $1`,
        [shopId],
      );
      return rows as { t: string; row: string }[];
    };
    expect((await everything()).some(({ row }) => row.includes("person501@example.com"))).toBe(true);

    await ctx.world.deliverAndProcess(shop, [{ topic: "customers/redact", payload: { ...samplePayload("customers/redact"), customer: { id: 501, email: "person501@example.com", phone: null } } }], NOW);
    const leaks = (await everything()).filter(({ row }) =>
      personal.some((value) => (value === "501" ? new RegExp(`"(shopifyCustomerId|customerId)":"?501"?`).test(row) : row.includes(value))),
    );
    expect(leaks).toEqual([]);
    const { rows } = await ctx.db.pool.query(
      `select "shopifyCustomerId", email, "firstName", "lastName", phone, addresses, "birthdayMonth", "birthdayDay", "referralCode", "redactedAt" is not null as redacted
         from "Customer" where id = $1`,
      [id],
    );
    expect(rows).toEqual([{ shopifyCustomerId: null, email: null, firstName: null, lastName: null, phone: null, addresses: null, birthdayMonth: null, birthdayDay: null, referralCode: null, redacted: true }]);
    const { rows: ledger } = await ctx.db.pool.query(`select kind, points from "LedgerEntry" where "customerId" = $1 order by id`, [id]);
    expect(ledger).toEqual([{ kind: "action", points: 100 }, { kind: "order_earn", points: 100 }]);
  });

  test("customers/data_request stores the customer's data as a document for the merchant", async () => {
    const shop = "data-request.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW);
    await ctx.world.deliverAndProcess(shop, [
      { topic: "customers/create", payload: customerPayload(601) },
      { topic: "orders/paid", payload: order({ orderId: 6010, customerId: 601, createdAt: NOW, subtotalMinor: 25_000 }) },
      { topic: "refunds/create", payload: refundPayload({ refundId: 6011, orderId: 6010, subtotalMinor: 5_000, at: NOW }) },
      { topic: "customers/data_request", payload: { ...samplePayload("customers/data_request"), customer: { id: 601, email: "person601@example.com", phone: null }, data_request: { id: 9999 } } },
    ], NOW);
    const { dataExportsFor } = await import("~/data/loyalty/privacy.server");
    const [exported] = await dataExportsFor(ctx.db.pool, shopId);
    expect(exported).toMatchObject({
      requestId: "9999",
      shopifyCustomerId: "601",
      document: {
        shopifyCustomerId: "601",
        loyalty: {
          customer: { email: "person601@example.com", firstName: "Ada", lastName: "Lovelace", tierId: "silver", pointsBalance: 300 },
          ledger: [{ kind: "action", points: 100 }, { kind: "order_earn", points: 250 }, { kind: "order_refund", points: -50 }],
          orders: [{ orderId: "6010", postedPoints: 200, spendMinor: "20000" }],
        },
      },
    });
  });

  test("shop/redact deletes everything of the shop, including redemptions, and nothing of another shop", async () => {
    const shop = "leaving.myshopify.com";
    const shopId = await ctx.world.shop(shop, NOW);
    const otherId = await ctx.world.shop("staying.myshopify.com", NOW);
    await ctx.world.deliverAndProcess(shop, [{ topic: "orders/paid", payload: order({ orderId: 7010, customerId: 701, createdAt: NOW, subtotalMinor: 50_000 }) }], NOW);
    await ctx.world.deliverAndProcess("staying.myshopify.com", [{ topic: "orders/paid", payload: order({ orderId: 7010, customerId: 701, createdAt: NOW, subtotalMinor: 50_000 }) }], NOW);
    const { createReward } = await import("~/services/loyalty/rewards.server");
    const { redeemReward } = await import("~/services/loyalty/redemption.server");
    const reward = await createReward({ db: ctx.db.pool, shopId, reward: { type: "fixed_amount", name: "$5", amountMinor: 500, pointsCost: 100 } });
    if (!reward.ok) throw new Error("reward refused");
    expect((await redeemReward({ db: ctx.db, admin: await admin(), shopId, customerId: "701", rewardId: reward.reward.id, now: NOW })).ok).toBe(true);

    await ctx.world.deliverAndProcess(shop, [{ topic: "shop/redact", payload: { ...samplePayload("shop/redact"), shop_domain: shop } }], NOW);
    const count = async (id: number) => {
      const { rows } = await ctx.db.pool.query(
        `select (select count(*) from "Customer" where "shopId" = $1) + (select count(*) from "LedgerEntry" where "shopId" = $1)
              + (select count(*) from "OrderPoints" where "shopId" = $1) + (select count(*) from "Redemption" where "shopId" = $1)
              + (select count(*) from "Reward" where "shopId" = $1) + (select count(*) from "LoyaltyProgram" where "shopId" = $1)
              + (select count(*) from "WebhookInbox" where "shopId" = $1) + (select count(*) from "CustomerOrder" where "shopId" = $1) as n`,
        [id],
      );
      return Number(rows[0].n);
    };
    expect(await count(shopId)).toBe(0);
    expect(await count(otherId)).toBeGreaterThan(0);
    expect(await ctx.world.customerRow(otherId, "701")).toMatchObject({ pointsBalance: 500 });
    // A later install finds the shop under the same id.
    const { shopIdFor } = await import("~/data/shops.server");
    expect(await shopIdFor(ctx.db.pool, shop)).toBe(shopId);
  });
});
