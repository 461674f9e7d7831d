/** The Admin API client for the signed-in shop; the demo and tests point it at the fake Admin API. */
import { env } from "~/config/env.server";
import { createAdminClient, type AdminClient } from "~/shopify/admin/client.server";

export function adminClientFor(session: { shop: string; accessToken?: string }): AdminClient {
  if (!session.accessToken) throw new Response("The shop's session has no access token", { status: 401 });
  return createAdminClient({ shop: session.shop, accessToken: session.accessToken }, { origin: env().SHOPIFY_ADMIN_API_ORIGIN });
}
