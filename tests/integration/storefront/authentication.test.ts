/**
 * Who may ask the shopper-facing endpoints anything: App Proxy signature vectors and session-token checks,
 * through the real routes. A refused request gets 401 and an error, never data.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TEST_API_KEY, TEST_SECRET, useAppEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { customerGid, errorOf, extensionRequest, proxyRequest, sessionToken, signedProxyQuery } from "./support";

type Handler = (args: { request: Request; params: object; context: object }) => Promise<Response>;
let db: TestDatabase;
const routes = {} as Record<"proxyRedeem" | "proxyReferral" | "extensionRedeem", { loader: Handler; action: Handler }>;

beforeAll(async () => {
  db = await createTestDatabase();
  useAppEnv(db.url);
  routes.proxyRedeem = (await import("~/routes/proxy.redeem")) as never;
  routes.proxyReferral = (await import("~/routes/proxy.referral")) as never;
  routes.extensionRedeem = (await import("~/routes/api.extension.redeem")) as never;
});
afterAll(async () => {
  const { getDatabase } = await import("~/data/database.server");
  await getDatabase().close();
  await db.drop();
});

const SHOP = "auth-test.myshopify.com";
const call = (handler: Handler, request: Request) => handler({ request, params: {}, context: {} });
const proxyRedeem = (request: Request) => call(routes.proxyRedeem.action, request);
const BODY = JSON.stringify({ rewardId: "1" });
/** A redemption as Shopify forwards it; `query` replaces the signed query (to forge or tamper with it). */
const redeem = (options: Partial<Parameters<typeof proxyRequest>[1]> = {}, query?: URLSearchParams) =>
  proxyRedeem(proxyRequest("redeem", { shop: SHOP, customerId: "1001", body: BODY, ...options }, query));

describe("App Proxy signature", () => {
  test.each([
    ["a tampered customer id", (q: URLSearchParams) => q.set("logged_in_customer_id", "1002"), "invalid signature"],
    ["a tampered shop", (q: URLSearchParams) => q.set("shop", "other-shop.myshopify.com"), "invalid signature"],
    ["an added parameter", (q: URLSearchParams) => q.append("extra", "1"), "invalid signature"],
    ["a missing signature", (q: URLSearchParams) => q.delete("signature"), "missing signature"],
    ["a signature that is not hex", (q: URLSearchParams) => q.set("signature", "not-a-signature"), "invalid signature"],
    ["a second customer id appended after signing", (q: URLSearchParams) => q.append("logged_in_customer_id", "1002"), "repeated logged_in_customer_id"],
  ])("%s is refused with 401 and no data", async (_, tamper, reason) => {
    const query = signedProxyQuery({ shop: SHOP, customerId: "1001" });
    tamper(query);
    const response = await redeem({}, query);
    expect(await errorOf(response)).toEqual({ status: 401, code: "invalid_signature", message: `This request was not signed by Shopify (${reason}).`, keys: ["error"] });
    expect(response.headers.get("cache-control")).toBe("private, no-store");
  });

  test("a request signed with another app's secret is refused", async () => {
    const response = await redeem({ secret: "someone-elses-secret" });
    expect((await errorOf(response)).code).toBe("invalid_signature");
  });

  test("a request signed more than 90 seconds ago (or ahead) is refused as stale", async () => {
    for (const skewSeconds of [-91, 91]) {
      const response = await redeem({ now: new Date(Date.now() + skewSeconds * 1000) });
      expect(await errorOf(response)).toMatchObject({ status: 401, message: "This request was not signed by Shopify (stale request)." });
    }
  });

  test("a customer id repeated by the shopper is refused even when Shopify signed both values", async () => {
    // What Shopify would sign if the shopper added ?logged_in_customer_id=1002 to the storefront URL.
    const query = new URLSearchParams({ logged_in_customer_id: "1002" });
    const signed = signedProxyQuery({ shop: SHOP, customerId: "1001" });
    for (const [key, value] of signed) if (key !== "signature") query.append(key, value);
    const { appProxySignature } = await import("~/shopify/app-proxy.server");
    query.set("signature", appProxySignature(query, TEST_SECRET));
    const response = await redeem({}, query);
    expect(await errorOf(response)).toMatchObject({ status: 401, message: "This request was not signed by Shopify (repeated logged_in_customer_id)." });
  });

  test("parameters in another order carry the same signature and are accepted", async () => {
    const signed = signedProxyQuery({ shop: SHOP, customerId: "1001", query: { extra: "1" } });
    const reordered = new URLSearchParams([...signed].reverse());
    expect([...reordered.keys()]).not.toEqual([...signed.keys()]);
    // Accepted: it passes the signature and reaches the shop lookup (this shop never installed the app).
    expect(await errorOf(await redeem({}, reordered))).toMatchObject({ status: 404, code: "unknown_shop" });
  });

  test("a repeated parameter of the widget's own is signed as Shopify joins it, and accepted", async () => {
    const query = new URLSearchParams([["tag", "a"], ["tag", "b"]]);
    const signed = signedProxyQuery({ shop: SHOP, customerId: "1001" });
    for (const [key, value] of signed) if (key !== "signature") query.append(key, value);
    const { appProxySignature } = await import("~/shopify/app-proxy.server");
    query.set("signature", appProxySignature(query, TEST_SECRET));
    expect(await errorOf(await redeem({}, query))).toMatchObject({ status: 404, code: "unknown_shop" });
  });

  test("redeeming as a guest is refused before anything else", async () => {
    const response = await redeem({ customerId: null });
    expect(await errorOf(response)).toEqual({ status: 401, code: "not_logged_in", message: "Log in to your account to use your rewards.", keys: ["error"] });
  });

  test("a referral as a guest is refused too", async () => {
    const response = await call(routes.proxyReferral.action, proxyRequest("redeem", { shop: SHOP, customerId: null, body: JSON.stringify({ code: "ABCD" }) }));
    expect(await errorOf(response)).toMatchObject({ status: 401, code: "not_logged_in" });
  });

  test("a wrong method is 405 with the allowed one", async () => {
    const response = await call(routes.proxyRedeem.loader, proxyRequest("redeem", { shop: SHOP, customerId: "1001", method: "GET" }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect((await errorOf(response)).code).toBe("method_not_allowed");
  });

  test("a redeem body that is too large, not JSON or without a reward id is a 4xx with the reason", async () => {
    const cases = [
      { body: JSON.stringify({ rewardId: "r_1", padding: "x".repeat(17_000) }), status: 413, code: "body_too_large" },
      { body: "{not json", status: 400, code: "invalid_request" },
      { body: JSON.stringify({ reward: "r_1" }), status: 400, code: "invalid_request" },
      { body: JSON.stringify({ rewardId: 5 }), status: 400, code: "invalid_request" },
    ];
    for (const { body, status, code } of cases) {
      const error = await errorOf(await proxyRedeem(proxyRequest("redeem", { shop: SHOP, customerId: "2001", body, address: "198.51.100.20" })));
      expect(error, body.slice(0, 40)).toMatchObject({ status, code });
      expect(error.message).not.toMatch(/\bat \S+:\d+/); // no stack trace
    }
  });
});

describe("session token (customer-account and checkout extensions)", () => {
  const redeemWith = (token: string | null) => call(routes.extensionRedeem.action, extensionRequest("redeem", token, { body: BODY }));

  test.each([
    ["expired", () => sessionToken({ shop: SHOP, sub: customerGid("1001"), now: new Date(Date.now() - 2 * 3_600_000), ttlSeconds: 60 }), /ERR_JWT_EXPIRED/],
    ["for another app (audience)", () => sessionToken({ shop: SHOP, sub: customerGid("1001"), apiKey: "another-app" }), /ERR_JWT_CLAIM_VALIDATION_FAILED/],
    ["signed with another secret", () => sessionToken({ shop: SHOP, sub: customerGid("1001"), secret: "another-secret" }), /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/],
    ["not a customer's (a staff user)", () => sessionToken({ shop: SHOP, sub: "90000001" }), /not a customer's/],
    ["not a customer's (another kind of gid)", () => sessionToken({ shop: SHOP, sub: "gid://shopify/StaffMember/1" }), /not a customer's/],
    ["for something that is not a shop", () => sessionToken({ shop: "evil.example.com", sub: customerGid("1001") }), /does not name a shop/],
    ["malformed", async () => "not.a.jwt", /ERR_JWS_INVALID|ERR_JWT_INVALID/],
  ])("a token %s is refused with 401 and no data", async (_, token, reason) => {
    const response = await redeemWith(await token());
    const error = await errorOf(response);
    expect(error).toMatchObject({ status: 401, code: "invalid_session_token", keys: ["error"] });
    expect(error.message).toMatch(reason);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });

  test("a request with no token is refused", async () => {
    const error = await errorOf(await redeemWith(null));
    expect(error).toMatchObject({ status: 401, code: "invalid_session_token", message: "A session token is required (Authorization: Bearer <token>)." });
  });

  test("the CORS preflight is answered with the headers the extensions send", async () => {
    const response = await call(routes.extensionRedeem.loader, new Request("http://localhost/api/extension/redeem", { method: "OPTIONS", headers: { origin: "https://extensions.shopifycdn.com", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" } }));
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
  });

  test("redeeming needs a customer: a checkout guest's token is refused", async () => {
    const { SignJWT } = await import("jose");
    const now = Math.floor(Date.now() / 1000);
    const guest = await new SignJWT({ dest: `https://${SHOP}` })
      .setProtectedHeader({ alg: "HS256" })
      .setAudience(TEST_API_KEY)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(new TextEncoder().encode(TEST_SECRET));
    const response = await redeemWith(guest);
    expect(await errorOf(response)).toMatchObject({ status: 401, code: "not_logged_in" });
  });
});

describe("rate limits through the routes", () => {
  test("a customer redeeming too often gets 429 rate_limited with Retry-After", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 11; i += 1) {
      // Bodies that fail validation still count: the limit is checked before anything else is done.
      last = await proxyRedeem(proxyRequest("redeem", { shop: SHOP, customerId: "3001", body: "{}", address: `198.51.100.${100 + i}` }));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array(10).fill(400), 429]);
    const retryAfter = Number(last!.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await errorOf(last!)).toMatchObject({ code: "rate_limited", message: `Too many requests. Please try again in ${retryAfter} seconds.` });
  });
});
