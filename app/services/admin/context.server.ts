/** What every admin loader and action starts from: the verified request's shop and staff member. */
import { shopIdFor } from "~/data/shops.server";
import { getDatabase } from "~/data/database.server";
import { authenticate } from "~/shopify.server";

export interface AdminContext {
  shop: string;
  shopId: number;
  /** The staff member's Shopify user id from the session token (`sub`), recorded with their changes. */
  staffUserId: string | null;
  session: { shop: string; accessToken?: string };
}

export async function adminContext(request: Request): Promise<AdminContext> {
  const { session, sessionToken } = await authenticate.admin(request);
  const shopId = await shopIdFor(getDatabase().pool, session.shop);
  return { shop: session.shop, shopId, staffUserId: sessionToken?.sub ?? null, session };
}
