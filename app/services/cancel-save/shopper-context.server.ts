/**
 * Who is asking, for the subscriber-facing cancel-save endpoints: the customer and shop come only from what
 * Shopify signed (the App Proxy's query, or the extension's session token `sub`), never from the request's body.
 * A guest has no subscriptions to manage, so every endpoint needs a logged-in customer.
 */
import { CANCEL_FLOW_LANGUAGES, type CancelFlowLanguage } from "~/domain/cancel-save";
import { env } from "~/config/env.server";
import { getDatabase } from "~/data/database.server";
import type { Database } from "~/data/db.server";
import { findShop } from "~/data/shops.server";
import { checkRateLimits } from "~/services/storefront/rate-limits.server";
import { refusal } from "~/services/storefront/responses.server";
import { shopperFromAppProxy, shopperFromSessionToken } from "~/services/storefront/shopper.server";
import type { AdminClient } from "~/shopify/admin/client.server";
import { offlineAdminClient } from "~/services/churn/offline-admin.server";
import { creditPointsOnLedger } from "./bonus-points.server";
import type { CreditPoints } from "./cancel-flow.server";

export type Channel = "app_proxy" | "session_token";

export interface SubscriberRequest {
  database: Database;
  shop: string;
  shopId: number;
  customerId: string;
  /** The shop's Admin API client (its offline session). */
  admin: () => Promise<AdminClient>;
  language: CancelFlowLanguage;
  now: Date;
  creditPoints: CreditPoints;
}

/** The request's language when the flow ships in it (`?language=pl`, else Accept-Language), English otherwise. */
export function flowLanguage(request: Request): CancelFlowLanguage {
  const asked = [new URL(request.url).searchParams.get("language") ?? "", ...(request.headers.get("accept-language") ?? "").split(",")];
  for (const tag of asked) {
    const code = tag.trim().slice(0, 2).toLowerCase();
    if ((CANCEL_FLOW_LANGUAGES as readonly string[]).includes(code)) return code as CancelFlowLanguage;
  }
  return "en";
}

/** The verified subscriber, or the refusal to answer with (401 unsigned or guest, 404 unknown shop, 429). */
export async function identifySubscriber(request: Request, channel: Channel, now: Date): Promise<{ ok: true; subscriber: SubscriberRequest } | { ok: false; response: Response }> {
  const config = env();
  const identified =
    channel === "app_proxy"
      ? shopperFromAppProxy(request, { secret: config.SHOPIFY_API_SECRET, now })
      : await shopperFromSessionToken(request, { secret: config.SHOPIFY_API_SECRET, apiKey: config.SHOPIFY_API_KEY, now });
  if (!identified.ok) return identified;
  const { shopper } = identified;
  if (shopper.customerId === null) return { ok: false, response: refusal(401, "not_logged_in", "Log in to your account to manage your subscriptions.") };
  const database = getDatabase();
  const shop = await findShop(database, shopper.shop);
  if (!shop || shop.uninstalledAt) return { ok: false, response: refusal(404, "unknown_shop", "This shop does not use the app.") };
  const limit = await checkRateLimits(database.pool, "read", shopper, now);
  if (!limit.allowed) {
    return {
      ok: false,
      response: refusal(429, "rate_limited", `Too many requests. Please try again in ${limit.retryAfterSeconds} seconds.`, { "retry-after": String(limit.retryAfterSeconds) }),
    };
  }
  return {
    ok: true,
    subscriber: {
      database,
      shop: shopper.shop,
      shopId: shop.id,
      customerId: shopper.customerId,
      admin: async () => {
        const admin = await offlineAdminClient(shopper.shop);
        if (!admin) throw new Error(`no offline session for ${shopper.shop}`);
        return admin;
      },
      language: flowLanguage(request),
      now,
      creditPoints: creditPointsOnLedger(database),
    },
  };
}
