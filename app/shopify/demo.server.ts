/**
 * Demo mode's stand-ins for Shopify's admin: the demo shop's offline session and session tokens signed
 * with the app secret. Refused unless DEMO_MODE is on (and env refuses DEMO_MODE in production).
 */
import { Session } from "@shopify/shopify-api";
import { env } from "~/config/env.server";
import { markShopInstalled } from "~/data/shops.server";
import { getDatabase } from "~/data/database.server";
import { sessionStorage } from "~/shopify.server";
import { mintSessionToken } from "./session-token.server";

export const DEMO_SHOP = "demo-shop.myshopify.com";
export const DEMO_STAFF_USER_ID = "90000001";

function requireDemo(): void {
  if (!env().DEMO_MODE) throw new Response("Not found", { status: 404 });
}

/** Stores the demo shop's offline session, with exactly the configured scopes (else the library re-authorizes). */
export async function ensureDemoShop(): Promise<void> {
  requireDemo();
  const session = new Session({ id: `offline_${DEMO_SHOP}`, shop: DEMO_SHOP, state: "demo", isOnline: false, scope: env().SCOPES, accessToken: "demo-offline-token" });
  await sessionStorage.storeSession(session);
  await markShopInstalled(getDatabase(), DEMO_SHOP, "USD");
}

export async function demoSessionToken(): Promise<string> {
  requireDemo();
  return mintSessionToken({ shop: DEMO_SHOP, apiKey: env().SHOPIFY_API_KEY, secret: env().SHOPIFY_API_SECRET, sub: DEMO_STAFF_USER_ID });
}

/** The embedded admin URL as Shopify would open it. */
export async function demoAdminPath(path = "/app"): Promise<string> {
  const host = Buffer.from(`admin.shopify.com/store/${DEMO_SHOP.replace(".myshopify.com", "")}`).toString("base64url");
  const params = new URLSearchParams({ embedded: "1", shop: DEMO_SHOP, host, id_token: await demoSessionToken() });
  return `${path}?${params}`;
}
