/**
 * The subscriber-facing routes as Shopify calls them: the customer-account extension's JSON API (session token,
 * CORS) and the theme's App Proxy page (signed query, form posts). The customer is who Shopify signed, and only
 * their own subscriptions can be seen or changed.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFakeAdminApi, type FakeAdminApi } from "../../../scripts/fake-shopify/admin-api";
import { fakeAdminResolvers } from "../../../scripts/fake-shopify/resolvers";
import { seedSubscriptionContract, subscriptionContracts } from "../../../scripts/fake-shopify/subscription-resolvers";
import { TEST_API_KEY, TEST_SECRET, useAppEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { signAppProxyQuery } from "~/shopify/app-proxy.server";
import { mintSessionToken } from "~/shopify/session-token.server";
import { createAdminClient } from "~/shopify/admin/client.server";

type Handler = (args: { request: Request; params: object; context: object }) => Promise<Response>;
type Route = { loader: Handler; action: Handler };

const SHOP = "subscriptions-api.myshopify.com";
const ANN = "8101";
const BEN = "8102";
/** Has accepted no offer yet (Ann has, and is in her cooldown). */
const CARL = "8103";

let db: TestDatabase;
let fake: FakeAdminApi;
const routes = {} as Record<"list" | "cancel" | "flow" | "pause" | "proxy", Route>;

let contractSeq = 810_000;
async function subscribe(customerId: string) {
  const id = String((contractSeq += 1));
  seedSubscriptionContract(fake.state, {
    id,
    customerId,
    createdAt: new Date(Date.now() - 90 * 86_400_000),
    nextBillingDate: new Date(Date.now() + 9 * 86_400_000),
    lines: [{ id: `${id}1`, variantId: "4001", title: "House blend 1 kg", quantity: 1, unitPriceMinor: 2400 }],
  });
  const { refreshContract } = await import("~/services/cancel-save/contract-mirror.server");
  const { shopIdFor } = await import("~/data/shops.server");
  const admin = createAdminClient({ shop: SHOP, accessToken: "token" }, { origin: fake.origin, maxAttempts: 1 });
  await refreshContract(db.pool, admin, await shopIdFor(db.pool, SHOP), id, new Date());
  return id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startFakeAdminApi(fakeAdminResolvers);
  useAppEnv(db.url, { SHOPIFY_ADMIN_API_ORIGIN: fake.origin });
  routes.list = (await import("~/routes/api.subscriptions._index")) as never;
  routes.cancel = (await import("~/routes/api.subscriptions.cancel")) as never;
  routes.flow = (await import("~/routes/api.subscriptions.flow")) as never;
  routes.pause = (await import("~/routes/api.subscriptions.pause")) as never;
  routes.proxy = (await import("~/routes/proxy.subscriptions")) as never;
  const { getDatabase } = await import("~/data/database.server");
  const { markShopInstalled } = await import("~/data/shops.server");
  await markShopInstalled(getDatabase(), SHOP, "USD");
  await getDatabase().prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "test", accessToken: "offline-token", scope: "write_own_subscription_contracts" } });
});

afterAll(async () => {
  const { getDatabase } = await import("~/data/database.server");
  await getDatabase().close();
  await fake?.close();
  await db?.drop();
});

const call = (handler: Handler, request: Request) => handler({ request, params: {}, context: {} });
const token = (sub: string) => mintSessionToken({ shop: SHOP, apiKey: TEST_API_KEY, secret: TEST_SECRET, sub });

async function api(path: "" | "/cancel" | "/flow" | "/pause", options: { sub?: string | null; body?: unknown; method?: string; query?: string } = {}) {
  const sub = options.sub === undefined ? `gid://shopify/Customer/${ANN}` : options.sub;
  const headers: Record<string, string> = { "content-type": "application/json", origin: "https://extensions.shopifycdn.com" };
  if (sub) headers.authorization = `Bearer ${await token(sub)}`;
  const method = options.method ?? (options.body === undefined ? "GET" : "POST");
  const request = new Request(`http://localhost/api/subscriptions${path}${options.query ?? ""}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const route = routes[path === "" ? "list" : (path.slice(1) as "cancel" | "flow" | "pause")];
  const response = await call(method === "GET" || method === "OPTIONS" ? route.loader : route.action, request);
  return { status: response.status, headers: response.headers, body: response.status === 204 ? null : ((await response.json()) as any) };
}

describe("the extension's JSON API", () => {
  test("lists only the signed-in customer's subscriptions, with CORS for Shopify's extension origins", async () => {
    const mine = await subscribe(ANN);
    await subscribe(BEN);
    const listed = await api("");
    expect(listed.status).toBe(200);
    expect(listed.headers.get("access-control-allow-origin")).toBe("*");
    expect(listed.headers.get("cache-control")).toBe("private, no-store");
    expect(listed.body.subscriptions.map((s: { id: string }) => s.id)).toContain(mine);
    for (const s of listed.body.subscriptions) expect(subscriptionContracts(fake.state).get(`gid://shopify/SubscriptionContract/${s.id}`)?.customerId).toBe(`gid://shopify/Customer/${ANN}`);
    expect(listed.body.subscriptions.find((s: { id: string }) => s.id === mine)).toMatchObject({ status: "ACTIVE", pricePerCycle: { amountMinor: 2400, currencyCode: "USD" }, canCancel: true });
  });

  test("the CORS preflight is answered without a token", async () => {
    const preflight = await api("/cancel", { method: "OPTIONS", sub: null });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
  });

  test.each([
    ["no session token", null, "invalid_session_token"],
    ["a staff member's token", "90000001", "invalid_session_token"],
  ])("%s is refused with 401", async (_, sub, code) => {
    const refused = await api("", { sub });
    expect(refused).toMatchObject({ status: 401, body: { error: { code } } });
  });

  test("press Cancel → survey → reason → one offer → Decline cancels the contract in Shopify", async () => {
    const contractId = await subscribe(ANN);
    const survey = await api("/cancel", { body: { contractId } });
    expect(survey).toMatchObject({ status: 200, body: { step: "survey", actions: ["cancel_now", "give_reason"] } });
    const offer = await api("/flow", { body: { attemptId: survey.body.attemptId, event: { type: "give_reason", reason: "too_much_product" } } });
    expect(offer.body).toMatchObject({ step: "offer", offer: { kind: "pause", months: 1 }, actions: ["accept_offer", "decline_offer"] });
    const shown = await api("/flow", { query: `?attemptId=${survey.body.attemptId}` });
    expect(shown.body.step).toBe("offer");
    const cancelled = await api("/flow", { body: { attemptId: survey.body.attemptId, event: { type: "decline_offer" } } });
    expect(cancelled.body).toMatchObject({ step: "cancelled", cancelledVia: "declined_offer", subscription: { status: "CANCELLED" } });
    expect(subscriptionContracts(fake.state).get(`gid://shopify/SubscriptionContract/${contractId}`)?.status).toBe("CANCELLED");
  });

  test("accepting a pause, then resuming early and extending go through the pause endpoint", async () => {
    const contractId = await subscribe(ANN);
    const survey = await api("/cancel", { body: { contractId } });
    await api("/flow", { body: { attemptId: survey.body.attemptId, event: { type: "give_reason", reason: "not_using_it" } } });
    const accepted = await api("/flow", { body: { attemptId: survey.body.attemptId, event: { type: "accept_offer" } } });
    expect(accepted.body).toMatchObject({ step: "accepted", subscription: { status: "PAUSED", canResume: true } });
    const extended = await api("/pause", { body: { contractId, action: "extend", months: 2 } });
    expect(extended.body.subscription.pause.resumeOn > accepted.body.subscription.pause.resumeOn).toBe(true);
    const resumed = await api("/pause", { body: { contractId, action: "resume" } });
    expect(resumed.body.subscription).toMatchObject({ status: "ACTIVE", pause: null });
  });

  test("another customer's contract and attempt are answered as not found", async () => {
    const bens = await subscribe(BEN);
    expect(await api("/cancel", { body: { contractId: bens } })).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    const bensSurvey = await api("/cancel", { sub: `gid://shopify/Customer/${BEN}`, body: { contractId: bens } });
    expect(await api("/flow", { body: { attemptId: bensSurvey.body.attemptId, event: { type: "cancel_now" } } })).toMatchObject({ status: 404 });
    expect(subscriptionContracts(fake.state).get(`gid://shopify/SubscriptionContract/${bens}`)?.status).toBe("ACTIVE");
  });

  test("bad input is a 400 with a reason", async () => {
    expect(await api("/cancel", { body: { contractId: "gid://x" } })).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    expect(await api("/flow", { body: { attemptId: "nope", event: { type: "cancel_now" } } })).toMatchObject({ status: 400 });
  });

  test("Shopify down: the cancel is not confirmed, the survey and Cancel now are still there", async () => {
    const contractId = await subscribe(ANN);
    const survey = await api("/cancel", { body: { contractId } });
    fake.injectFault("SubscriptionContractCancel", "server_error", 5);
    const refused = await api("/flow", { body: { attemptId: survey.body.attemptId, event: { type: "cancel_now" } } });
    expect(refused).toMatchObject({ status: 502, body: { error: { code: "cancel_failed" }, flow: { step: "survey", actions: ["cancel_now", "give_reason"] } } });
    expect(subscriptionContracts(fake.state).get(`gid://shopify/SubscriptionContract/${contractId}`)?.status).toBe("ACTIVE");
  });
});

describe("the theme's App Proxy page", () => {
  function proxyRequest(customerId: string | null, options: { method?: string; form?: Record<string, string>; query?: Record<string, string>; secret?: string } = {}) {
    const query = signAppProxyQuery({ ...options.query, shop: SHOP, logged_in_customer_id: customerId ?? "", path_prefix: "/apps/rewards" }, options.secret ?? TEST_SECRET, new Date());
    return new Request(`http://localhost/proxy/subscriptions?${query}`, {
      method: options.method ?? (options.form ? "POST" : "GET"),
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "198.51.100.7" },
      body: options.form ? new URLSearchParams(options.form).toString() : undefined,
    });
  }
  const page = async (request: Request) => {
    const response = await call(request.method === "GET" ? routes.proxy.loader : routes.proxy.action, request);
    return { status: response.status, location: response.headers.get("location"), html: response.status === 303 ? "" : await response.text(), type: response.headers.get("content-type") };
  };
  const attemptOf = (location: string | null) => new URL(location!, "http://shop").searchParams.get("attempt")!;

  test("shows the customer's subscriptions as HTML with a Cancel button", async () => {
    const contractId = await subscribe(ANN);
    const shown = await page(proxyRequest(ANN));
    expect(shown.status).toBe(200);
    expect(shown.type).toBe("text/html; charset=utf-8");
    expect(shown.html).toContain(`data-contract="${contractId}"`);
    expect(shown.html).toContain("$24.00 every month");
    expect(shown.html).toContain('value="press_cancel"');
  });

  test.each([
    ["unsigned", (r: Request) => new Request(r.url.replace(/signature=[0-9a-f]+/, "signature=00"), r), 401],
    ["signed with another secret", () => proxyRequest(ANN, { secret: "other-secret" }), 401],
    ["a guest", () => proxyRequest(null), 401],
  ])("%s is refused and shows nothing of anyone's", async (_, make, status) => {
    const shown = await page(make(proxyRequest(ANN)));
    expect(shown.status).toBe(status);
    expect(shown.html).not.toContain("data-contract");
  });

  test("two steps after pressing Cancel: a reason, then Decline; each post redirects to the new state", async () => {
    const contractId = await subscribe(CARL);
    const pressed = await page(proxyRequest(CARL, { form: { intent: "press_cancel", contractId } }));
    expect(pressed.status).toBe(303);
    expect(pressed.location).toMatch(/^\/apps\/rewards\/subscriptions\?attempt=[0-9a-f-]{36}$/);
    const attemptId = attemptOf(pressed.location);
    const survey = await page(proxyRequest(CARL, { query: { attempt: attemptId } }));
    expect(survey.html).toContain('data-step="survey"');
    expect(survey.html).toContain("It&#39;s too expensive");
    expect(survey.html).toContain('value="cancel_now"');

    expect((await page(proxyRequest(CARL, { form: { intent: "give_reason", attemptId, reason: "too_expensive" } }))).status).toBe(303);
    const offer = await page(proxyRequest(CARL, { query: { attempt: attemptId } }));
    expect(offer.html).toContain("Stay and get 20% off your next 2 orders.");
    expect(offer.html).toContain("No thanks, cancel my subscription");

    expect((await page(proxyRequest(CARL, { form: { intent: "decline_offer", attemptId } }))).status).toBe(303);
    const done = await page(proxyRequest(CARL, { query: { attempt: attemptId } }));
    expect(done.html).toContain("Your subscription is cancelled");
    expect(subscriptionContracts(fake.state).get(`gid://shopify/SubscriptionContract/${contractId}`)?.status).toBe("CANCELLED");
  });

  test("a post Shopify cannot carry out shows the same step, the error and Cancel, not a confirmation", async () => {
    const contractId = await subscribe(ANN);
    const attemptId = attemptOf((await page(proxyRequest(ANN, { form: { intent: "press_cancel", contractId } }))).location);
    fake.injectFault("SubscriptionContractCancel", "server_error", 5);
    const refused = await page(proxyRequest(ANN, { form: { intent: "cancel_now", attemptId } }));
    expect(refused.status).toBe(502);
    expect(refused.html).toContain("We couldn&#39;t cancel your subscription just now");
    expect(refused.html).toContain('data-step="survey"');
    expect(refused.html).toContain('value="cancel_now"');
    expect(refused.html).not.toContain("Your subscription is cancelled");
  });

  test("resume and extend need the form's token, so another site cannot post them", async () => {
    const contractId = await subscribe(ANN);
    const refused = await page(proxyRequest(ANN, { form: { intent: "resume", contractId, token: "0".repeat(32) } }));
    expect(refused.status).toBe(403);
  });
});
