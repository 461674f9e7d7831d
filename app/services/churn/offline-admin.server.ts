/** The Admin API client of a shop for background jobs: the shop's offline session, or null when there is none (uninstalled). */
import { adminClientFor } from "~/services/admin/admin-client.server";
import type { AdminClient } from "~/shopify/admin/client.server";
import { sessionStorage } from "~/shopify.server";

export async function offlineAdminClient(shopDomain: string): Promise<AdminClient | null> {
  const session = await sessionStorage.loadSession(`offline_${shopDomain}`);
  return session?.accessToken ? adminClientFor(session) : null;
}
