/**
 * Redeeming through the shopper-facing routes against a real PostgreSQL and the fake Admin API: the storefront
 * widget (App Proxy) and the extensions (session token) spend the signed customer's points and get the code;
 * nobody can spend another customer's or another shop's points.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createReward } from "~/services/loyalty/rewards.server";
import { startFakeAdminApi, type FakeAdminApi } from "../../../scripts/fake-shopify/admin-api";
import { fakeAdminResolvers } from "../../../scripts/fake-shopify/resolvers";
import { useAppEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { LoyaltyWorld, order } from "../loyalty/support";
import { customerGid, errorOf, extensionRequest, proxyRequest, sessionToken } from "./support";

type Handler = (args: { request: Request; params: object; context: object }) => Promise<Response>;
const SHOP_A = "redeem-a.myshopify.com";
const SHOP_B = "redeem-b.myshopify.com";
const DAY = 86_400_000;

let db: TestDatabase;
let fake: FakeAdminApi;
let world: LoyaltyWorld;
let proxyRedeem: Handler;
let extensionRedeem: Handler;
const rewards: Record<string, string> = {};

async function openShop(shop: string, customers: { id: number; spentMinor: number }[]) {
  const now = new Date();
  const shopId = await world.shop(shop, now);
  await db.prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "installed", accessToken: `token-${shop}` } });
  const created = await createReward({ db: db.pool, shopId, reward: { type: "fixed_amount", name: "$5 off", amountMinor: 500, pointsCost: 500 } });
  if (!created.ok) throw new Error("reward not created");
  rewards[shop] = created.reward.id;
  await world.deliverAndProcess(
    shop,
    customers.map((c, i) => ({ topic: "orders/paid", payload: order({ orderId: c.id * 10 + i, customerId: c.id, createdAt: new Date(now.getTime() - DAY), subtotalMinor: c.spentMinor }) })),
    now,
  );
  return shopId;
}

const redeemBody = (shop: string) => JSON.stringify({ rewardId: rewards[shop] });
const call = (handler: Handler, request: Request) => handler({ request, params: {}, context: {} });

async function balanceOf(shop: string, customerId: string): Promise<number> {
  const { rows } = await db.pool.query(`select c."pointsBalance" from "Customer" c join "Shop" s on s.id = c."shopId" where s.domain = $1 and c."shopifyCustomerId" = $2`, [shop, customerId]);
  return rows[0].pointsBalance;
}

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startFakeAdminApi(fakeAdminResolvers);
  useAppEnv(db.url, { SHOPIFY_ADMIN_API_ORIGIN: fake.origin });
  world = await LoyaltyWorld.start(db);
  await openShop(SHOP_A, [{ id: 501, spentMinor: 123_400 }, { id: 502, spentMinor: 20_000 }]);
  await openShop(SHOP_B, [{ id: 901, spentMinor: 500_000 }]);
  proxyRedeem = ((await import("~/routes/proxy.redeem")) as { action: Handler }).action;
  extensionRedeem = ((await import("~/routes/api.extension.redeem")) as { action: Handler }).action;
});
afterAll(async () => {
  await world.stop();
  await fake.close();
  const { getDatabase } = await import("~/data/database.server");
  await getDatabase().close();
  await db.drop();
});

describe("redeeming from the storefront widget (App Proxy)", () => {
  test("the signed customer's points pay for the reward and the answer carries the new code and balance", async () => {
    const response = await call(proxyRedeem, proxyRequest("redeem", { shop: SHOP_A, customerId: "501", body: redeemBody(SHOP_A) }));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const body = await response.json();
    expect(body).toEqual({ code: expect.stringMatching(/^RE-[A-Z0-9]{4}-[A-Z0-9]{4}$/), title: "$5 off", balance: 734, kind: "fixed_amount" });
    expect(await balanceOf(SHOP_A, "501")).toBe(734);
    const created = fake.calls.filter((c) => c.operationName === "DiscountCodeBasicCreate").at(-1)!;
    expect(created.variables).toMatchObject({ basicCodeDiscount: { code: body.code, customerSelection: { customers: { add: [customerGid("501")] } } } });
  });

  test("without enough points the answer is 409 insufficient_points and nothing is spent or created", async () => {
    const before = fake.calls.length;
    const error = await errorOf(await call(proxyRedeem, proxyRequest("redeem", { shop: SHOP_A, customerId: "502", body: redeemBody(SHOP_A) })));
    expect(error).toMatchObject({ status: 409, code: "insufficient_points", keys: ["error"] });
    expect(await balanceOf(SHOP_A, "502")).toBe(200);
    expect(fake.calls.length).toBe(before);
  });

  test("a reward the shop does not have is 404 reward_unavailable", async () => {
    const error = await errorOf(await call(proxyRedeem, proxyRequest("redeem", { shop: SHOP_A, customerId: "501", body: JSON.stringify({ rewardId: "999999" }) })));
    expect(error).toMatchObject({ status: 404, code: "reward_unavailable" });
  });
});

describe("tenant isolation", () => {
  test("shop A's signed request naming shop B's customer spends nothing of B's", async () => {
    const error = await errorOf(await call(proxyRedeem, proxyRequest("redeem", { shop: SHOP_A, customerId: "901", body: redeemBody(SHOP_B) })));
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(await balanceOf(SHOP_B, "901")).toBe(5_000);
  });

  test("a session token for shop A cannot spend shop B's customer's points either", async () => {
    const token = await sessionToken({ shop: SHOP_A, sub: customerGid("901") });
    const response = await call(extensionRedeem, extensionRequest("redeem", token, { body: redeemBody(SHOP_B) }));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await balanceOf(SHOP_B, "901")).toBe(5_000);
  });
});

describe("redeeming from the customer-account and checkout extensions (session token)", () => {
  test("the token's customer redeems, with CORS headers on the answer", async () => {
    const token = await sessionToken({ shop: SHOP_B, sub: customerGid("901") });
    const response = await call(extensionRedeem, extensionRequest("redeem", token, { body: redeemBody(SHOP_B) }));
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.json()).toMatchObject({ title: "$5 off", balance: 4_500, kind: "fixed_amount" });
    expect(await balanceOf(SHOP_B, "901")).toBe(4_500);
  });
});
