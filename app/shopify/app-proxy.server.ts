/**
 * Shopify App Proxy requests (storefront → https://{shop}/apps/rewards/* → the app's /proxy/*).
 * Shopify appends shop, logged_in_customer_id, path_prefix, timestamp and signature; the signature is
 * hex(HMAC-SHA256(secret, the other parameters sorted by key as "key=value", no separator, a repeated
 * key's values joined with ",")). The shopper is `logged_in_customer_id` and nothing else.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const PROXY_MAX_AGE_SECONDS = 90;

export interface AppProxyContext {
  shop: string;
  /** The logged-in customer's numeric id, or null for a guest. */
  customerId: string | null;
  pathPrefix: string;
}

export type AppProxyVerification = { ok: true; context: AppProxyContext } | { ok: false; reason: string };

export function appProxySignature(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export function verifyAppProxyRequest(url: URL, secret: string, now: Date): AppProxyVerification {
  const params = url.searchParams;
  const signature = params.get("signature");
  if (!signature) return { ok: false, reason: "missing signature" };
  if (!/^[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: "invalid signature" };
  const expected = Buffer.from(appProxySignature(params, secret), "hex");
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) return { ok: false, reason: "invalid signature" };
  const timestamp = Number(params.get("timestamp"));
  if (!Number.isInteger(timestamp)) return { ok: false, reason: "missing timestamp" };
  if (Math.abs(now.getTime() / 1000 - timestamp) > PROXY_MAX_AGE_SECONDS) return { ok: false, reason: "stale request" };
  const shop = params.get("shop") ?? "";
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) return { ok: false, reason: "invalid shop" };
  const customer = params.get("logged_in_customer_id") ?? "";
  if (customer !== "" && !/^\d{1,20}$/.test(customer)) return { ok: false, reason: "invalid logged_in_customer_id" };
  return { ok: true, context: { shop, customerId: customer || null, pathPrefix: params.get("path_prefix") ?? "" } };
}

/** What Shopify appends to a proxied request; used by the demo storefront and tests, which stand in for Shopify. */
export function signAppProxyQuery(query: Record<string, string>, secret: string, now: Date): URLSearchParams {
  const params = new URLSearchParams({ ...query, timestamp: String(Math.floor(now.getTime() / 1000)) });
  params.set("signature", appProxySignature(params, secret));
  return params;
}
