/**
 * Reading the program through the shopper-facing routes against a real PostgreSQL: the guest's answer (cacheable),
 * the logged-in customer's (never cached), the same JSON for the extensions, and nothing of another shop's.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createReward } from "~/services/loyalty/rewards.server";
import { useAppEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { LoyaltyWorld, order } from "../loyalty/support";
import { customerGid, errorOf, extensionRequest, proxyRequest, sessionToken, signedProxyQuery } from "./support";

type Handler = (args: { request: Request; params: object; context: object }) => Promise<Response>;
const SHOP_A = "program-a.myshopify.com";
const SHOP_B = "program-b.myshopify.com";

let db: TestDatabase;
let proxyProgram: Handler;
let extensionProgram: Handler;

async function openShop(shop: string, reward: string, customer: { id: number; name: string; spentMinor: number }) {
  const world = await LoyaltyWorld.start(db);
  const now = new Date();
  const shopId = await world.shop(shop, now);
  await createReward({ db: db.pool, shopId, reward: { type: "fixed_amount", name: reward, amountMinor: 500, pointsCost: 500 } });
  await world.deliverAndProcess(shop, [{ topic: "orders/paid", payload: order({ orderId: customer.id, customerId: customer.id, name: customer.name, createdAt: new Date(now.getTime() - 86_400_000), subtotalMinor: customer.spentMinor }) }], now);
  await world.stop();
}

const call = (handler: Handler, request: Request) => handler({ request, params: {}, context: {} });
const viaProxy = (shop: string, customerId: string | null, query?: Record<string, string>) =>
  call(proxyProgram, proxyRequest("program", { shop, customerId, query }));

beforeAll(async () => {
  db = await createTestDatabase();
  useAppEnv(db.url);
  await openShop(SHOP_A, "$5 off in A", { id: 501, name: "Ann", spentMinor: 12_340 });
  await openShop(SHOP_B, "$5 off in B", { id: 901, name: "Boris", spentMinor: 500_000 });
  proxyProgram = ((await import("~/routes/proxy.program")) as { loader: Handler }).loader;
  extensionProgram = ((await import("~/routes/api.extension.program")) as { loader: Handler }).loader;
});
afterAll(async () => {
  const { getDatabase } = await import("~/data/database.server");
  await getDatabase().close();
  await db.drop();
});

describe("the storefront widget's program (App Proxy)", () => {
  test("a guest gets the program without a customer, cacheable for a minute", async () => {
    const response = await viaProxy(SHOP_A, null);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    expect(response.headers.get("vary")).toContain("Cookie");
    const body = await response.json();
    expect(body.customer).toBeNull();
    expect(body.program).toMatchObject({ enabled: true, currencyCode: "USD", earnRate: { points: 1, perMinor: 100 } });
    expect(body.program.rewards.map((r: { title: string }) => r.title)).toEqual(["$5 off in A"]);
  });

  test("the logged-in customer gets their balance, tier, progress, referral link and history, never cached", async () => {
    const response = await viaProxy(SHOP_A, "501");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const { customer } = await response.json();
    // $123.40 spent: Silver (from $100), $376.60 short of Gold (from $500).
    expect(customer).toMatchObject({
      firstName: "Ann",
      balance: 123,
      pending: 0,
      tier: { id: "silver", name: "Silver" },
      nextTier: { name: "Gold", remaining: 37_660, progress: 0.2468 },
      referralUrl: expect.stringMatching(/^https:\/\/program-a\.myshopify\.com\/\?ref=[2-9A-Z]{12}$/),
    });
    expect(customer.history).toEqual([expect.objectContaining({ points: 123, kind: "earn" })]);
  });

  test("texts follow the storefront's language the widget passes, over the shopper's browser language", async () => {
    const request = proxyRequest("program", { shop: SHOP_A, customerId: null, query: { locale: "pl" } });
    request.headers.set("accept-language", "fi-FI,fi;q=0.9");
    const body = await (await call(proxyProgram, request)).json();
    expect(body.locale).toBe("pl");
    expect(body.program.waysToEarn[0].title).toBe("Złóż zamówienie");
  });

  test("without the widget's language, the browser's is used, and one the program lacks falls back to English", async () => {
    const finnish = proxyRequest("program", { shop: SHOP_A, customerId: null });
    finnish.headers.set("accept-language", "fi-FI,fi;q=0.9,en;q=0.5");
    expect(await (await call(proxyProgram, finnish)).json()).toMatchObject({ locale: "fi" });
    const german = await (await viaProxy(SHOP_A, null, { locale: "de" })).json();
    expect(german.locale).toBe("en");
    expect(german.program.waysToEarn[0].title).toBe("Place an order");
  });

  test("a shop that does not use the app gets 404 and no program", async () => {
    expect(await errorOf(await viaProxy("never-installed.myshopify.com", null))).toMatchObject({ status: 404, code: "unknown_shop", keys: ["error"] });
  });
});

describe("tenant isolation", () => {
  test("shop A's signed request naming shop B's customer shows nothing of B's", async () => {
    const body = await (await viaProxy(SHOP_A, "901")).json();
    expect(JSON.stringify(body)).not.toContain("Boris");
    expect(JSON.stringify(body)).not.toContain("$5 off in B");
    expect(body.customer).toMatchObject({ balance: 0, pending: 0, history: [], rewardsIssued: [] });
  });

  test("a session token for shop A naming shop B's customer shows nothing of B's either", async () => {
    const token = await sessionToken({ shop: SHOP_A, sub: customerGid("901") });
    const body = await (await call(extensionProgram, extensionRequest("program", token))).json();
    expect(JSON.stringify(body)).not.toContain("Boris");
    expect(body.customer).toMatchObject({ balance: 0, history: [] });
  });
});

describe("the extensions' program (session token)", () => {
  test("is the same JSON the storefront widget gets for that customer, never cached, with CORS headers", async () => {
    const token = await sessionToken({ shop: SHOP_B, sub: customerGid("901") });
    const response = await call(extensionProgram, extensionRequest("program", token));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const fromToken = await response.json();
    const fromProxy = await (await viaProxy(SHOP_B, "901")).json();
    expect(fromToken).toEqual(fromProxy);
    expect(fromToken.customer).toMatchObject({ firstName: "Boris", balance: expect.any(Number) });
    expect(fromToken.customer.balance).toBeGreaterThan(0);
  });
});

describe("signature vectors on the program read", () => {
  test("valid and reordered parameters are answered; a tampered customer id, a stale or a missing signature get 401 and no data", async () => {
    const signed = signedProxyQuery({ shop: SHOP_A, customerId: "501" });
    const reordered = new URLSearchParams([...signed].reverse());
    expect((await call(proxyProgram, proxyRequest("program", { shop: SHOP_A, customerId: "501" }, reordered))).status).toBe(200);

    const tampered = new URLSearchParams(signed);
    tampered.set("logged_in_customer_id", "901");
    const stale = signedProxyQuery({ shop: SHOP_A, customerId: "501", now: new Date(Date.now() - 120_000) });
    const missing = new URLSearchParams(signed);
    missing.delete("signature");
    for (const query of [tampered, stale, missing]) {
      const response = await call(proxyProgram, proxyRequest("program", { shop: SHOP_A, customerId: "501" }, query));
      expect(await errorOf(response)).toMatchObject({ status: 401, code: "invalid_signature", keys: ["error"] });
    }
  });
});
