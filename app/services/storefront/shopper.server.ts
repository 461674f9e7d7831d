/**
 * Who is asking, for the shopper-facing endpoints. The shop and the customer come only from what Shopify
 * signed: the App Proxy's signed query (`shop`, `logged_in_customer_id`) or the session token's `dest` and
 * `sub`. Nothing in a request's body or unsigned parameters can name another customer or shop.
 */
import { verifyAppProxyRequest } from "~/shopify/app-proxy.server";
import { SessionTokenError, verifySessionToken } from "~/shopify/session-token.server";
import { refusal } from "./responses.server";

export interface Shopper {
  shop: string;
  /** Shopify's numeric customer id, or null for a guest. */
  customerId: string | null;
  /** The shopper's IP address as the request reports it, for the per-address rate limit; null when unknown. */
  address: string | null;
}

export type LoggedInShopper = Shopper & { customerId: string };

export type ShopperResult = { ok: true; shopper: Shopper } | { ok: false; response: Response };

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/(\d{1,20})$/;

/**
 * The client's address: Shopify's App Proxy sends it as X-Forwarded-For, and a load balancer in front of the
 * app appends to that list, so the first entry is the shopper's. It is not signed; it only picks the
 * per-address counter, while the per-customer limit rests on the signed customer id.
 */
function clientAddress(request: Request): string | null {
  const first = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return first && /^[0-9a-fA-F.:]{2,45}$/.test(first) ? first : null;
}

/**
 * Parameters Shopify sets. The signature covers a repeated key's values joined with ",", so a shopper who adds
 * `?logged_in_customer_id=<someone else>` to the storefront URL would get a validly signed request carrying
 * two customer ids; such a request names no one for sure and is refused.
 */
const SHOPIFY_PARAMETERS = ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"];

export function shopperFromAppProxy(request: Request, options: { secret: string; now: Date }): ShopperResult {
  const url = new URL(request.url);
  const unauthorized = (reason: string) => ({
    ok: false as const,
    response: refusal(401, "invalid_signature", `This request was not signed by Shopify (${reason}).`),
  });
  const repeated = SHOPIFY_PARAMETERS.find((name) => url.searchParams.getAll(name).length > 1);
  if (repeated) return unauthorized(`repeated ${repeated}`);
  const verification = verifyAppProxyRequest(url, options.secret, options.now);
  if (!verification.ok) return unauthorized(verification.reason);
  const { shop, customerId } = verification.context;
  return { ok: true, shopper: { shop, customerId, address: clientAddress(request) } };
}

export async function shopperFromSessionToken(
  request: Request,
  options: { secret: string; apiKey: string; now: Date },
): Promise<ShopperResult> {
  const unauthorized = (message: string) => ({ ok: false as const, response: refusal(401, "invalid_session_token", message) });
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!token) return unauthorized("A session token is required (Authorization: Bearer <token>).");
  let claims;
  try {
    claims = await verifySessionToken(token, { secret: options.secret, apiKey: options.apiKey, now: options.now });
  } catch (error) {
    if (error instanceof SessionTokenError) return unauthorized(`The ${error.message}.`);
    throw error;
  }
  if (!SHOP_DOMAIN.test(claims.shop)) return unauthorized("The session token does not name a shop.");
  // A checkout's guest has no `sub`; any other subject (a staff user, an app) is not a shopper.
  let customerId: string | null = null;
  if (claims.sub !== null) {
    const match = CUSTOMER_GID.exec(claims.sub);
    if (!match) return unauthorized("The session token is not a customer's.");
    customerId = match[1];
  }
  return { ok: true, shopper: { shop: claims.shop, customerId, address: clientAddress(request) } };
}
