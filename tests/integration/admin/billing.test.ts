/** Plans through the Billing API: against the fake Admin API (schema-validated) and a real PostgreSQL. */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startFakeAdminApi, type FakeAdminApi } from "../../../scripts/fake-shopify/admin-api";
import { fakeAdminResolvers } from "../../../scripts/fake-shopify/resolvers";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { createAdminClient, type AdminClient } from "~/shopify/admin/client.server";
import { billingOverview, confirmPlanChange, startPlanChange } from "~/services/admin/billing.server";
import { billingPeriodStart, orderAllowance, PLANS } from "~/services/admin/plans";

const NOW = new Date("2026-11-20T12:00:00Z");
const RETURN_URL = "http://localhost:3999/app/billing";

let database: TestDatabase;
let fake: FakeAdminApi;
let admin: AdminClient;
let shopId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeAdminApi(fakeAdminResolvers);
  admin = createAdminClient({ shop: "billing-shop.myshopify.com", accessToken: "token" }, { origin: fake.origin, maxAttempts: 1 });
});

afterAll(async () => {
  await fake?.close();
  await database?.drop();
});

beforeEach(async () => {
  const shop = await database.prisma.shop.create({ data: { domain: `shop-${Math.random().toString(36).slice(2)}.myshopify.com`, installedAt: new Date("2026-10-01T00:00:00Z") } });
  shopId = shop.id;
});

const start = (planKey: "free" | "growth" | "pro") => startPlanChange({ admin, database, shopId, planKey, returnUrl: RETURN_URL, test: true, now: NOW });
const chargeIdOf = (url: string) => new URL(url).searchParams.get("charge_id")!;

describe("choosing a paid plan", () => {
  test("asks Shopify for a 30-day charge with the plan's price and trial, then activates it on return", async () => {
    const started = await start("growth");
    expect(started.kind).toBe("approve_in_shopify");
    const url = started.kind === "approve_in_shopify" ? started.confirmationUrl : "";
    expect(fake.calls.at(-1)).toMatchObject({
      operationName: "AppSubscriptionCreate",
      variables: {
        name: "Retention Engine Growth",
        trialDays: 14,
        test: true,
        returnUrl: RETURN_URL,
        lineItems: [{ plan: { appRecurringPricingDetails: { price: { amount: "29.00", currencyCode: "USD" }, interval: "EVERY_30_DAYS" } } }],
      },
    });
    expect((await billingOverview(database, shopId, NOW)).plan.key).toBe("free");
    expect((await billingOverview(database, shopId, NOW)).pendingPlan).toBe("growth");

    const confirmed = await confirmPlanChange({ admin, database, shopId, chargeId: chargeIdOf(url), now: NOW });
    expect(confirmed).toMatchObject({ kind: "activated", plan: { key: "growth" } });
    const overview = await billingOverview(database, shopId, NOW);
    expect(overview.plan.key).toBe("growth");
    expect(overview.trialEndsAt).toEqual(new Date("2026-12-04T12:00:00Z"));
    expect(overview.pendingPlan).toBeNull();
  });

  test("returning twice with the same charge changes nothing the second time", async () => {
    const started = await start("pro");
    const chargeId = chargeIdOf(started.kind === "approve_in_shopify" ? started.confirmationUrl : "");
    await confirmPlanChange({ admin, database, shopId, chargeId, now: NOW });
    const later = new Date(NOW.getTime() + 86_400_000);
    expect(await confirmPlanChange({ admin, database, shopId, chargeId, now: later })).toMatchObject({ kind: "activated", plan: { key: "pro" } });
    const record = await database.prisma.shopPlan.findUniqueOrThrow({ where: { shopId } });
    expect(record.startedAt).toEqual(NOW);
  });

  test("a charge id that is not this shop's pending charge changes nothing", async () => {
    await start("growth");
    expect(await confirmPlanChange({ admin, database, shopId, chargeId: "999", now: NOW })).toEqual({ kind: "unknown_charge" });
    expect((await billingOverview(database, shopId, NOW)).plan.key).toBe("free");
  });

  test("a charge Shopify reports as declined leaves the plan as it was", async () => {
    const started = await start("growth");
    const chargeId = chargeIdOf(started.kind === "approve_in_shopify" ? started.confirmationUrl : "");
    fake.state.subscriptions.get(`gid://shopify/AppSubscription/${chargeId}`).status = "DECLINED";
    expect(await confirmPlanChange({ admin, database, shopId, chargeId, now: NOW })).toEqual({ kind: "not_approved", status: "DECLINED" });
    expect((await billingOverview(database, shopId, NOW)).plan.key).toBe("free");
  });

  test("Shopify's userErrors are an error, and no pending change is recorded", async () => {
    fake.injectFault("AppSubscriptionCreate", { userErrors: [{ field: ["returnUrl"], message: "Return url is invalid" }] });
    await expect(start("growth")).rejects.toThrow("Return url is invalid");
    expect((await billingOverview(database, shopId, NOW)).pendingPlan).toBeNull();
  });
});

describe("back to Free, and trials", () => {
  test("Free cancels the subscription; a later paid plan gets no second trial", async () => {
    const first = await start("growth");
    await confirmPlanChange({ admin, database, shopId, chargeId: chargeIdOf(first.kind === "approve_in_shopify" ? first.confirmationUrl : ""), now: NOW });
    expect(await start("free")).toEqual({ kind: "changed" });
    expect(fake.calls.at(-1)?.operationName).toBe("AppSubscriptionCancel");
    expect((await billingOverview(database, shopId, NOW)).plan.key).toBe("free");

    await start("pro");
    expect(fake.calls.at(-1)).toMatchObject({ operationName: "AppSubscriptionCreate", variables: { trialDays: 0 } });
  });

  test("choosing the current plan does nothing", async () => {
    const calls = fake.calls.length;
    expect(await start("free")).toEqual({ kind: "unchanged" });
    expect(fake.calls.length).toBe(calls);
  });
});

describe("the Free plan's order volume", () => {
  test("counts the orders paid in the current 30-day period", async () => {
    const insert = (orderId: string, paidAt: Date | null) =>
      database.pool.query(`insert into "OrderPoints" ("shopId", "orderId", state, "paidAt") values ($1, $2, '{}', $3)`, [shopId, orderId, paidAt]);
    await insert("a", new Date("2026-11-15T00:00:00Z"));
    await insert("b", new Date("2026-11-16T00:00:00Z"));
    await insert("c", null); // a refund that arrived before its order's payment
    await insert("d", new Date("2026-10-20T00:00:00Z")); // previous period
    const overview = await billingOverview(database, shopId, NOW);
    expect(overview.periodStart).toEqual(new Date("2026-10-31T00:00:00Z"));
    expect(overview.allowance).toEqual({ used: 2, limit: 200, remaining: 198, overLimit: false });
  });
});

describe("plan rules", () => {
  test.each([
    ["2026-10-01T00:00:00Z", "2026-10-01T00:00:00Z", "2026-10-01T00:00:00Z"],
    ["2026-10-01T00:00:00Z", "2026-10-30T23:59:59Z", "2026-10-01T00:00:00Z"],
    ["2026-10-01T00:00:00Z", "2026-10-31T00:00:00Z", "2026-10-31T00:00:00Z"],
    ["2026-10-01T00:00:00Z", "2027-01-15T00:00:00Z", "2026-12-30T00:00:00Z"],
  ])("a plan started %s is, at %s, in the period from %s", (started, now, expected) => {
    expect(billingPeriodStart(new Date(started), new Date(now))).toEqual(new Date(expected));
  });

  test.each([
    ["free", 0, { used: 0, limit: 200, remaining: 200, overLimit: false }],
    ["free", 199, { used: 199, limit: 200, remaining: 1, overLimit: false }],
    ["free", 200, { used: 200, limit: 200, remaining: 0, overLimit: true }],
    ["free", 250, { used: 250, limit: 200, remaining: 0, overLimit: true }],
    ["pro", 1_000_000, { used: 1_000_000, limit: null, remaining: null, overLimit: false }],
  ] as const)("%s with %i orders", (plan, used, expected) => {
    expect(orderAllowance(PLANS[plan], used)).toEqual(expected);
  });
});
