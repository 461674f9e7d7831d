/** Shop-level counts for the admin home. */
import type { Database } from "./db.server";
import { inboxCounts } from "./inbox.server";

export async function shopOverview(database: Database, shopDomain: string) {
  const shop = await database.prisma.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, currencyCode: true, installedAt: true } });
  if (!shop) return null;
  return { ...shop, inbox: await inboxCounts(database.pool, shop.id) };
}
