/** Shops (tenants) and their Shopify sessions. */
import type pg from "pg";
import type { Database } from "./db.server";

const shopIds = new Map<string, number>();

/** The shop's id, creating the shop on its first signed delivery or install. Cached: ids never change. */
export async function shopIdFor(db: pg.Pool | pg.PoolClient, domain: string): Promise<number> {
  const cached = shopIds.get(domain);
  if (cached !== undefined) return cached;
  const { rows } = await db.query<{ id: number }>(
    `insert into "Shop" (domain, "updatedAt") values ($1, now())
     on conflict (domain) do update set domain = excluded.domain
     returning id`,
    [domain],
  );
  shopIds.set(domain, rows[0].id);
  return rows[0].id;
}

export async function findShop(database: Database, domain: string) {
  return database.prisma.shop.findUnique({ where: { domain } });
}

export async function markShopInstalled(database: Database, domain: string, currencyCode?: string) {
  return database.prisma.shop.upsert({
    where: { domain },
    create: { domain, ...(currencyCode ? { currencyCode } : {}) },
    update: { uninstalledAt: null, installedAt: new Date(), ...(currencyCode ? { currencyCode } : {}) },
  });
}

/** app/uninstalled: the shop is marked uninstalled and its sessions (access tokens) are deleted. */
export async function markShopUninstalled(tx: pg.PoolClient, shopId: number, domain: string, at: Date): Promise<void> {
  await tx.query(`update "Shop" set "uninstalledAt" = $2, "updatedAt" = now() where id = $1`, [shopId, at]);
  await tx.query(`delete from "Session" where shop = $1`, [domain]);
}
