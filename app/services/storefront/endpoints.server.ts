/**
 * The shopper-facing endpoints, shared by the two ways a shopper reaches the app with the same JSON
 * (/tmp/storefront-contract.md): the storefront widget through Shopify's App Proxy (`/proxy/*`, signed query)
 * and the customer-account and checkout extensions directly (`/api/extension/*`, session token).
 * Each request: identify the shopper from what Shopify signed → rate limit → validate input → one use case.
 * Every refusal is `{ error: { code, message } }`; an unexpected failure is logged and answered 500 without
 * details.
 */
import { z } from "zod";
import { env } from "~/config/env.server";
import { logger } from "~/config/logger.server";
import { getDatabase } from "~/data/database.server";
import { readBodyWithLimit } from "~/shopify/http.server";
import { checkRateLimits, type LimitedAction } from "./rate-limits.server";
import { CACHE_PUBLIC, json, refusal } from "./responses.server";
import { shopperFromAppProxy, shopperFromSessionToken, type LoggedInShopper, type Shopper } from "./shopper.server";
import { loadShopperProgram, redeemForShopper, referFriend, type Outcome } from "./loyalty.server";

/** How the shopper reached us, which decides how they are identified. */
export type Channel = "app_proxy" | "session_token";

export const BODY_LIMIT_BYTES = 16 * 1024;

const redeemBody = z.object({ rewardId: z.string().trim().min(1).max(100) });
const referralBody = z.object({ code: z.string().trim().min(1).max(100) });

/**
 * The program, and the logged-in customer's rewards. Texts follow the storefront's language: the `locale` the
 * widget passes (signed with Shopify's parameters), else the shopper's Accept-Language.
 */
export function programEndpoint(request: Request, channel: Channel): Promise<Response> {
  return answer(request, channel, { method: "GET", action: "read", customerOnly: false }, async (shopper, now) => {
    const locale = new URL(request.url).searchParams.get("locale") ?? request.headers.get("accept-language");
    const program = await loadShopperProgram(shopper, locale, now);
    if (!program.ok) return respond(program);
    // Only the App Proxy's guest answer is the same for every guest asking the same URL (which names the shop);
    // a session-token URL does not name the shop, so its answers are never shared. Vary on Cookie: once the
    // shopper logs in (a new session cookie), their browser must not reuse the guest answer.
    const shareable = shopper.customerId === null && channel === "app_proxy";
    return json(program.body, shareable ? { cacheControl: CACHE_PUBLIC, headers: { vary: "Accept-Language, Cookie" } } : {});
  });
}

export function redeemEndpoint(request: Request, channel: Channel): Promise<Response> {
  return answer(request, channel, { method: "POST", action: "redeem", customerOnly: true }, async (shopper, now) => {
    const input = await readJsonBody(request, redeemBody, '{ "rewardId": "..." }');
    if (!input.ok) return input.response;
    return respond(await redeemForShopper(shopper, input.data.rewardId, now));
  });
}

/** A logged-in friend who came through a referral link (`?ref=CODE`) gets their first-order discount code. */
export function referralEndpoint(request: Request, channel: Channel): Promise<Response> {
  // Limited like redeeming: each accepted request creates a discount code in Shopify.
  return answer(request, channel, { method: "POST", action: "redeem", customerOnly: true }, async (shopper, now) => {
    const input = await readJsonBody(request, referralBody, '{ "code": "..." }');
    if (!input.ok) return input.response;
    return respond(await referFriend(shopper, input.data.code, now));
  });
}

function respond<T>(outcome: Outcome<T>): Response {
  return outcome.ok ? json(outcome.body) : refusal(outcome.status, outcome.code, outcome.message);
}

async function readJsonBody<T>(request: Request, schema: z.ZodType<T>, shape: string): Promise<{ ok: true; data: T } | { ok: false; response: Response }> {
  const body = await readBodyWithLimit(request, BODY_LIMIT_BYTES);
  if (!body.ok) return { ok: false, response: refusal(body.status, body.status === 413 ? "body_too_large" : "invalid_request", body.message) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.bytes.toString("utf8"));
  } catch {
    return { ok: false, response: refusal(400, "invalid_request", `The body must be JSON: ${shape}.`) };
  }
  const input = schema.safeParse(parsed);
  if (!input.success) return { ok: false, response: refusal(400, "invalid_request", `Invalid request: ${z.prettifyError(input.error)}`) };
  return { ok: true, data: input.data };
}

async function answer<CustomerOnly extends boolean>(
  request: Request,
  channel: Channel,
  rules: { method: "GET" | "POST"; action: LimitedAction; customerOnly: CustomerOnly },
  work: (shopper: CustomerOnly extends true ? LoggedInShopper : Shopper, now: Date) => Promise<Response>,
): Promise<Response> {
  try {
    if (request.method !== rules.method) return refusal(405, "method_not_allowed", `Use ${rules.method}.`, { allow: rules.method });
    const now = new Date();
    const config = env();
    const identified =
      channel === "app_proxy"
        ? shopperFromAppProxy(request, { secret: config.SHOPIFY_API_SECRET, now })
        : await shopperFromSessionToken(request, { secret: config.SHOPIFY_API_SECRET, apiKey: config.SHOPIFY_API_KEY, now });
    if (!identified.ok) return identified.response;
    const shopper = identified.shopper;
    if (rules.customerOnly && shopper.customerId === null) return refusal(401, "not_logged_in", "Log in to your account to use your rewards.");
    const limit = await checkRateLimits(getDatabase().pool, rules.action, shopper, now);
    if (!limit.allowed) {
      return refusal(429, "rate_limited", `Too many requests. Please try again in ${limit.retryAfterSeconds} seconds.`, {
        "retry-after": String(limit.retryAfterSeconds),
      });
    }
    return await work(shopper as LoggedInShopper, now);
  } catch (error) {
    logger.error({ err: error, path: new URL(request.url).pathname }, "shopper endpoint failed");
    return refusal(500, "internal_error", "Something went wrong on our side. Please try again.");
  }
}
