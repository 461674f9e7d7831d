/**
 * A shopper double-clicking, or redeeming in two tabs and at checkout at once, over real HTTP: 100 simultaneous
 * redemptions by one customer, half through the App Proxy (signed query) and half through the extensions' endpoint
 * (session token), against the real web process (server.ts) on PostgreSQL and the fake Admin API. The rate limit
 * lets a few through, those spend exactly what the balance covers, and nothing fails or goes below zero.
 * (The same guarantee under 100 concurrent calls of the use case itself: tests/integration/loyalty/redemption.test.ts.)
 */
import { afterAll, expect, test } from "vitest";
import { createReward } from "~/services/loyalty/rewards.server";
import { STOREFRONT_LIMITS } from "~/services/storefront/rate-limits.server";
import { LoyaltyWorld, order } from "../loyalty/support";
import { customerGid, sessionToken, signedProxyQuery } from "./support";
import { useStorefrontWebApp } from "./web-app";

const SHOP = "redeem-race.myshopify.com";
const CUSTOMER = "503";
const REQUESTS = 100;
const COST = 500;
const SHOPPER_ADDRESS = "203.0.113.7";

let world: LoyaltyWorld;
let shopId: number;
let rewardId: string;

const app = useStorefrontWebApp(async ({ db }) => {
  world = await LoyaltyWorld.start(db);
  const now = new Date();
  shopId = await world.shop(SHOP, now);
  await db.prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "installed", accessToken: "token" } });
  const created = await createReward({ db: db.pool, shopId, reward: { type: "fixed_amount", name: "$5 off", amountMinor: 500, pointsCost: COST } });
  if (!created.ok) throw new Error("reward not created");
  rewardId = created.reward.id;
  // 1,700 points: three redemptions' worth, 200 left over.
  await world.deliverAndProcess(SHOP, [{ topic: "orders/paid", payload: order({ orderId: 1, customerId: Number(CUSTOMER), createdAt: new Date(now.getTime() - 86_400_000), subtotalMinor: 170_000 }) }], now);
});

afterAll(async () => {
  await world?.stop();
});

async function balance(): Promise<number> {
  const { rows } = await app.db.pool.query(`select "pointsBalance" from "Customer" where "shopId" = $1 and "shopifyCustomerId" = $2`, [shopId, CUSTOMER]);
  return rows[0].pointsBalance;
}

const body = () => JSON.stringify({ rewardId });
const headers = { "content-type": "application/json", "x-forwarded-for": SHOPPER_ADDRESS };

/** As the widget's request arrives through Shopify's App Proxy: the signed query names the customer. */
const viaAppProxy = () =>
  fetch(`${app.url}/proxy/redeem?${signedProxyQuery({ shop: SHOP, customerId: CUSTOMER })}`, { method: "POST", headers: { ...headers, "x-forwarded-host": SHOP }, body: body() });

/** As the checkout or customer-account extension calls: a fresh session token naming the customer. */
const viaSessionToken = async () =>
  fetch(`${app.url}/api/extension/redeem`, {
    method: "POST",
    headers: { ...headers, origin: "https://extensions.shopifycdn.com", authorization: `Bearer ${await sessionToken({ shop: SHOP, sub: customerGid(CUSTOMER) })}` },
    body: body(),
  });

test(`${REQUESTS} simultaneous redemptions by one customer over HTTP never spend more points than they have`, async () => {
  const before = await balance();
  expect(before).toBe(1_700);
  const affordable = Math.floor(before / COST);

  const responses = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => (i % 2 ? viaSessionToken() : viaAppProxy())));
  const answers = await Promise.all(responses.map(async (response) => ({ status: response.status, body: await response.json() })));

  const byStatus = (status: number) => answers.filter((answer) => answer.status === status);
  const issued = byStatus(200);
  const refused = byStatus(409);
  const limited = byStatus(429);
  // Nothing else: no 500 from a deadlock, a pool exhausted or a failed Shopify call.
  expect(answers.map((a) => a.status).filter((s) => ![200, 409, 429].includes(s))).toEqual([]);

  // The rate limit lets at most 10 a minute through (20 if the burst straddles a minute), and at least as many as
  // the balance covers; of those, exactly the affordable ones are issued.
  const perMinute = STOREFRONT_LIMITS.redeem.perCustomer.hits;
  expect(limited.length).toBeGreaterThanOrEqual(REQUESTS - 2 * perMinute);
  expect(limited.every((a) => a.body.error.code === "rate_limited")).toBe(true);
  expect(issued).toHaveLength(affordable);
  expect(refused.length).toBe(REQUESTS - affordable - limited.length);
  expect(refused.every((a) => a.body.error.code === "insufficient_points")).toBe(true);

  // Each issued answer carries its own code, which Shopify has, and a balance that never went below zero.
  const codes = issued.map((a) => a.body.code as string);
  expect(new Set(codes).size).toBe(affordable);
  for (const code of codes) expect(app.fake.state.discountCodes.get(code)).toMatchObject({ customerIds: [customerGid(CUSTOMER)], usageLimit: 1 });
  expect(issued.map((a) => a.body.balance).sort((x, y) => y - x)).toEqual(Array.from({ length: affordable }, (_, i) => before - (i + 1) * COST));

  expect(await balance()).toBe(before - affordable * COST);
  const { rows } = await app.db.pool.query(`select status, count(*)::int as n from "Redemption" where "shopId" = $1 group by status`, [shopId]);
  expect(rows).toEqual([{ status: "issued", n: affordable }]);
  expect(await world.cachedSumsDrift(shopId)).toEqual([]);
});
