/** Requests as Shopify makes them to the shopper-facing endpoints: App Proxy (signed query) and session token. */
import { signAppProxyQuery } from "~/shopify/app-proxy.server";
import { mintSessionToken } from "~/shopify/session-token.server";
import { TEST_API_KEY, TEST_SECRET } from "../../support/app-env";

export interface ProxyRequestOptions {
  shop: string;
  /** Null for a guest (Shopify sends the parameter empty). */
  customerId: string | null;
  method?: "GET" | "POST";
  body?: string;
  /** The merchant's or widget's own query parameters, signed with Shopify's. */
  query?: Record<string, string>;
  secret?: string;
  now?: Date;
  address?: string;
}

/** The query Shopify appends, signed; the caller may alter it after signing to forge or tamper. */
export function signedProxyQuery(options: ProxyRequestOptions): URLSearchParams {
  return signAppProxyQuery(
    { ...options.query, shop: options.shop, logged_in_customer_id: options.customerId ?? "", path_prefix: "/apps/rewards" },
    options.secret ?? TEST_SECRET,
    options.now ?? new Date(),
  );
}

export function proxyRequest(path: "program" | "redeem", options: ProxyRequestOptions, query = signedProxyQuery(options)): Request {
  return new Request(`http://localhost/proxy/${path}?${query}`, {
    method: options.method ?? (path === "redeem" ? "POST" : "GET"),
    headers: { "content-type": "application/json", "x-forwarded-for": options.address ?? "198.51.100.10", "x-forwarded-host": options.shop },
    body: options.body,
  });
}

export function customerGid(id: string): string {
  return `gid://shopify/Customer/${id}`;
}

export function sessionToken(options: { shop: string; sub: string; secret?: string; apiKey?: string; now?: Date; ttlSeconds?: number }): Promise<string> {
  return mintSessionToken({ apiKey: TEST_API_KEY, secret: TEST_SECRET, ...options });
}

export function extensionRequest(path: "program" | "redeem", token: string | null, init: { method?: string; body?: string } = {}): Request {
  return new Request(`http://localhost/api/extension/${path}`, {
    method: init.method ?? (path === "redeem" ? "POST" : "GET"),
    headers: { "content-type": "application/json", origin: "https://extensions.shopifycdn.com", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: init.body,
  });
}

export async function errorOf(response: Response): Promise<{ status: number; code: string; message: string; keys: string[] }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, code: body.error.code, message: body.error.message, keys: Object.keys(body) };
}
