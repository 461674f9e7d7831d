/**
 * The admin's reads of loyalty customers: the searchable, sortable list (paginated in SQL), one customer's
 * profile and rewards, and the lookups an import needs. History and tier standing come from the loyalty data
 * layer; writes go through the loyalty use cases.
 */
import type { Database } from "../db.server";

export const CUSTOMER_SORTS = ["balance", "spend", "name", "recent"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

const ORDER_BY: Record<CustomerSort, string> = {
  balance: `c."pointsBalance"`,
  spend: `c."lifetimeSpendMinor"`,
  name: `lower(coalesce(nullif(trim(coalesce(c."firstName", '') || ' ' || coalesce(c."lastName", '')), ''), c.email, ''))`,
  recent: `c.id`,
};

export interface CustomerListRow {
  id: string;
  shopifyCustomerId: string | null;
  name: string | null;
  email: string | null;
  pointsBalance: number;
  lifetimeSpendMinor: number;
  tierId: string | null;
  churnRisk: "low" | "medium" | "high" | null;
}

export interface CustomerListQuery {
  search: string | null;
  sort: CustomerSort;
  direction: "asc" | "desc";
  page: number;
  pageSize: number;
}

/** Escapes LIKE's wildcards so a search for "50%" means those characters. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The search matches the email, the full name ("first last") or the Shopify id. Written so the trigram index on
 * email, firstName and lastName answers it: a term without a space is inside the full name exactly when it is
 * inside the first or the last name; a term with a space can only be inside the full name where each of its
 * space-free pieces is inside the first or the last name, so the longest piece finds the candidates and the full
 * name is checked on them. An empty term matches everyone, as the full name ' ' does.
 */
function searchParams(search: string | null): [pattern: string | null, term: string | null, piecePattern: string | null] {
  const term = search?.trim() ?? "";
  if (!term) return [null, null, null];
  const longestPiece = term.includes(" ") ? term.split(" ").reduce((a, b) => (b.length > a.length ? b : a)) : null;
  return [containsPattern(term), term, longestPiece === null ? null : containsPattern(longestPiece)];
}

export async function listCustomers(database: Database, shopId: number, query: CustomerListQuery): Promise<{ rows: CustomerListRow[]; total: number }> {
  const where = `c."shopId" = $1 and c."redactedAt" is null
    and ($2::text is null or c.email ilike $2 or c."firstName" ilike $2 or c."lastName" ilike $2 or c."shopifyCustomerId" = $3
         or ($4::text is not null and c."firstName" ilike $4 and (coalesce(c."firstName", '') || ' ' || coalesce(c."lastName", '')) ilike $2)
         or ($4::text is not null and c."lastName" ilike $4 and (coalesce(c."firstName", '') || ' ' || coalesce(c."lastName", '')) ilike $2))`;
  const params = [shopId, ...searchParams(query.search)];
  const [list, count] = await Promise.all([
    database.pool.query(
      `select c.id::text, c."shopifyCustomerId", nullif(trim(coalesce(c."firstName", '') || ' ' || coalesce(c."lastName", '')), '') as name,
              c.email, c."pointsBalance", c."lifetimeSpendMinor"::float8 as "lifetimeSpendMinor", c."tierId", s."riskLevel" as "churnRisk"
         from "Customer" c
         left join "CustomerChurnScore" s on s."shopId" = c."shopId" and s."customerId" = c."shopifyCustomerId"
        where ${where}
        order by ${ORDER_BY[query.sort]} ${query.direction === "asc" ? "asc" : "desc"}, c.id ${query.direction === "asc" ? "asc" : "desc"}
        limit $5 offset $6`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    ),
    database.pool.query<{ total: string }>(`select count(*) as total from "Customer" c where ${where}`, params),
  ]);
  return { rows: list.rows as CustomerListRow[], total: Number(count.rows[0].total) };
}

export interface CustomerProfile extends CustomerListRow {
  tierSince: Date | null;
  createdAt: Date;
  lastActivityAt: Date | null;
  availablePoints: number;
  pendingPoints: number;
}

export async function findCustomerProfile(database: Database, shopId: number, customerId: string, now: Date): Promise<CustomerProfile | null> {
  if (!/^\d{1,18}$/.test(customerId)) return null;
  const { rows } = await database.pool.query(
    `select c.id::text, c."shopifyCustomerId", nullif(trim(coalesce(c."firstName", '') || ' ' || coalesce(c."lastName", '')), '') as name,
            c.email, c."pointsBalance", c."lifetimeSpendMinor"::float8 as "lifetimeSpendMinor", c."tierId", c."tierSince", c."createdAt", c."lastActivityAt",
            s."riskLevel" as "churnRisk",
            coalesce((select sum(points) from "LedgerEntry" l where l."customerId" = c.id and l."availableAt" > $3), 0)::int as "pendingPoints"
       from "Customer" c
       left join "CustomerChurnScore" s on s."shopId" = c."shopId" and s."customerId" = c."shopifyCustomerId"
      where c."shopId" = $1 and c.id = $2 and c."redactedAt" is null`,
    [shopId, customerId, now],
  );
  const row = rows[0];
  if (!row) return null;
  return { ...row, availablePoints: row.pointsBalance - row.pendingPoints };
}

export interface IssuedReward {
  id: string;
  name: string;
  pointsCost: number;
  status: string;
  code: string | null;
  creditedMinor: number | null;
  currencyCode: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export async function customerRedemptions(database: Database, shopId: number, customerId: string): Promise<IssuedReward[]> {
  const { rows } = await database.pool.query(
    `select id::text, "rewardSnapshot"->>'name' as name, "pointsCost", status, code, "creditedMinor", "currencyCode", "createdAt", "expiresAt"
       from "Redemption"
      where "shopId" = $1 and "customerId" = $2
      order by "createdAt" desc
      limit 50`,
    [shopId, customerId],
  );
  return rows as IssuedReward[];
}

/** Customers named by an import's rows: our id by lower-case email (the oldest customer when an email repeats) and by Shopify id. */
export async function findCustomersByReference(
  database: Database,
  shopId: number,
  refs: { emails: string[]; shopifyCustomerIds: string[] },
): Promise<{ byEmail: Map<string, string>; byShopifyId: Map<string, string> }> {
  const { rows } = await database.pool.query<{ id: string; email: string | null; shopifyCustomerId: string | null }>(
    `select id::text, lower(email) as email, "shopifyCustomerId" from "Customer"
      where "shopId" = $1 and "redactedAt" is null and (lower(email) = any($2::text[]) or "shopifyCustomerId" = any($3::text[]))
      order by id`,
    [shopId, refs.emails, refs.shopifyCustomerIds],
  );
  const byEmail = new Map<string, string>();
  const byShopifyId = new Map<string, string>();
  for (const row of rows) {
    if (row.email && !byEmail.has(row.email)) byEmail.set(row.email, row.id);
    if (row.shopifyCustomerId) byShopifyId.set(row.shopifyCustomerId, row.id);
  }
  return { byEmail, byShopifyId };
}

/** Which of these idempotency keys the shop's ledger already has. */
export async function existingLedgerKeys(db: { query: Database["pool"]["query"] }, shopId: number, keys: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ key: string }>(`select "idempotencyKey" as key from "LedgerEntry" where "shopId" = $1 and "idempotencyKey" = any($2::text[])`, [shopId, keys]);
  return new Set(rows.map((row) => row.key));
}
