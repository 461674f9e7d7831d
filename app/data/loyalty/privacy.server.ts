/**
 * Shopify's privacy requests against the loyalty data: a customer's data as one document, a customer's personal
 * fields removed (their ledger keeps its amounts under our own id), and a shop's data deleted.
 */
import type { Queryable } from "./queryable";

export interface CustomerDataDocument {
  customer: Record<string, unknown> | null;
  ledger: Record<string, unknown>[];
  orders: Record<string, unknown>[];
  redemptions: Record<string, unknown>[];
  referrals: Record<string, unknown>[];
}

/** Everything the loyalty program holds about the customer, as plain JSON. */
export async function collectCustomerData(db: Queryable, shopId: number, shopifyCustomerId: string): Promise<{ customerId: string | null; data: CustomerDataDocument }> {
  const { rows: customers } = await db.query(
    `select id::text as id, "shopifyCustomerId", email, "firstName", "lastName", phone, addresses, "birthdayMonth", "birthdayDay",
            "referralCode", "tierId", "tierSince", "pointsBalance", "lifetimeSpendMinor"::text as "lifetimeSpendMinor", "lastActivityAt", "createdAt"
       from "Customer" where "shopId" = $1 and "shopifyCustomerId" = $2`,
    [shopId, shopifyCustomerId],
  );
  const customer = customers[0];
  if (!customer) return { customerId: null, data: { customer: null, ledger: [], orders: [], redemptions: [], referrals: [] } };
  // One query at a time: inside a webhook's transaction this is one connection.
  const ledger = await db.query(
    `select kind, points, "availableAt", "occurredAt", "orderId", action, reason, "createdAt" from "LedgerEntry"
      where "customerId" = $2 and "shopId" = $1 order by id`,
    [shopId, customer.id],
  );
  const orders = await db.query(
    `select "orderId", "paidAt", "postedPoints", "spendMinor"::text as "spendMinor" from "OrderPoints" where "customerId" = $2 and "shopId" = $1 order by "paidAt"`,
    [shopId, customer.id],
  );
  const redemptions = await db.query(
    `select "rewardSnapshot" as reward, "pointsCost", status, code, "creditedMinor", "currencyCode", "expiresAt", "createdAt" from "Redemption"
      where "customerId" = $2 and "shopId" = $1 order by id`,
    [shopId, customer.id],
  );
  const referrals = await db.query(
    `select case when "referrerId" = $2 then 'referrer' else 'referred friend' end as role, status, "friendDiscountCode", "createdAt", "completedAt"
       from "Referral" where "shopId" = $1 and ("referrerId" = $2 or "friendId" = $2) order by id`,
    [shopId, customer.id],
  );
  const { id, ...personal } = customer;
  return { customerId: id, data: { customer: personal, ledger: ledger.rows, orders: orders.rows, redemptions: redemptions.rows, referrals: referrals.rows } };
}

export async function saveCustomerDataExport(
  db: Queryable,
  shopId: number,
  record: { customerId: string | null; shopifyCustomerId: string; requestId: string; document: unknown },
): Promise<void> {
  await db.query(
    `insert into "CustomerDataExport" ("shopId", "customerId", "shopifyCustomerId", "requestId", document) values ($1, $2, $3, $4, $5::jsonb)
     on conflict ("shopId", "requestId") do update set document = excluded.document, "customerId" = excluded."customerId"`,
    [shopId, record.customerId, record.shopifyCustomerId, record.requestId, JSON.stringify(record.document)],
  );
}

export async function dataExportsFor(db: Queryable, shopId: number): Promise<{ requestId: string; shopifyCustomerId: string; document: unknown; createdAt: Date }[]> {
  const { rows } = await db.query(
    `select "requestId", "shopifyCustomerId", document, "createdAt" from "CustomerDataExport" where "shopId" = $1 order by id desc`,
    [shopId],
  );
  return rows;
}

/**
 * Empties every personal field of the customer (the Shopify id included, so nothing links the row to a person)
 * and deletes their data exports and unsent Flow events. The ledger, orders and redemptions stay, with amounts
 * only. Returns whether the shop knew the customer.
 */
export async function redactCustomerData(tx: Queryable, shopId: number, shopifyCustomerId: string, at: Date): Promise<boolean> {
  await tx.query(`delete from "CustomerDataExport" where "shopId" = $1 and "shopifyCustomerId" = $2`, [shopId, shopifyCustomerId]);
  const { rows } = await tx.query<{ id: string }>(
    `update "Customer" set "shopifyCustomerId" = null, email = null, "firstName" = null, "lastName" = null, phone = null, addresses = null,
            "birthdayMonth" = null, "birthdayDay" = null, "referralCode" = null, "redactedAt" = $3
      where "shopId" = $1 and "shopifyCustomerId" = $2 returning id::text as id`,
    [shopId, shopifyCustomerId, at],
  );
  if (rows.length === 0) return false;
  await tx.query(`delete from "LoyaltyEvent" where "shopId" = $1 and "customerId" = $2`, [shopId, rows[0].id]);
  return true;
}

/**
 * shop/redact: deletes the shop and, through the foreign keys' cascades, every row of every capability that
 * belongs to it (the webhook inbox included), and its sessions. The tenant row comes back empty under the same
 * id, marked uninstalled, because other processes cache domain → id and a reinstall must find it.
 */
export async function deleteShopData(tx: Queryable, shopId: number, domain: string, at: Date): Promise<void> {
  await tx.query(`delete from "Shop" where id = $1`, [shopId]);
  await tx.query(`delete from "Session" where shop = $1`, [domain]);
  await tx.query(`insert into "Shop" (id, domain, "uninstalledAt", "updatedAt") values ($1, $2, $3, now())`, [shopId, domain, at]);
}
