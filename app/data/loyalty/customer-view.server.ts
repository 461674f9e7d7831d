/**
 * Everything the shopper's own summary shows about one customer, read in one round trip: the storefront widget's
 * read is the app's hottest path, and on it each extra query costs more than the work it does. The parts are the
 * same selects the data layer uses on their own (balance rows, tier standing, history, redemptions).
 */
import type { LedgerEntry, TierStanding } from "~/domain/loyalty";
import { CUSTOMER_COLUMNS, customerStandingQuery, standingOf, type LoyaltyCustomer, type StandingRow } from "./customers.server";
import { balanceEntriesQuery, ledgerHistoryQuery, type LedgerHistoryRow } from "./ledger.server";
import type { Queryable } from "./queryable";
import { customerRedemptionsQuery, type RedemptionRow } from "./redemptions.server";

export interface CustomerView {
  customer: LoyaltyCustomer;
  balanceEntries: LedgerEntry[];
  standing: TierStanding;
  /** Newest first. */
  history: LedgerHistoryRow[];
  /** Newest first. */
  redemptions: RedemptionRow[];
}

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

const date = (value: string) => new Date(value);
const optionalDate = (value: string | null) => (value === null ? null : new Date(value));

/** The customer with this Shopify id and what their summary shows; null when the shop has no such customer. */
export async function customerViewByShopifyId(
  db: Queryable,
  shopId: number,
  shopifyCustomerId: string,
  windowStart: Date,
  limits: { history: number; redemptions: number },
): Promise<CustomerView | null> {
  const { rows } = await db.query<
    LoyaltyCustomer & { balanceEntries: Json<LedgerEntry>[]; standing: Omit<StandingRow, "id">; history: Json<LedgerHistoryRow>[]; redemptions: Json<RedemptionRow>[] }
  >(
    `select ${CUSTOMER_COLUMNS},
            (select coalesce(json_agg(e), '[]') from (${balanceEntriesQuery({ shopId: "$1", customerId: "c.id" })}) e) as "balanceEntries",
            (select row_to_json(s) from (${customerStandingQuery({ shopId: "$1", customerId: "c.id", windowStart: "$3" })}) s) as standing,
            (select coalesce(json_agg(h order by h.id::bigint desc), '[]')
               from (${ledgerHistoryQuery({ shopId: "$1", customerId: "c.id", beforeId: "null", limit: "$4" })}) h) as history,
            (select coalesce(json_agg(r order by r.id::bigint desc), '[]')
               from (${customerRedemptionsQuery({ shopId: "$1", customerId: "c.id", limit: "$5" })}) r) as redemptions
       from "Customer" c where c."shopId" = $1 and c."shopifyCustomerId" = $2`,
    [shopId, shopifyCustomerId, windowStart, limits.history, limits.redemptions],
  );
  const row = rows[0];
  if (!row) return null;
  const { balanceEntries, standing, history, redemptions, ...customer } = row;
  return {
    customer,
    balanceEntries: balanceEntries.map((entry) => ({ ...entry, availableAt: date(entry.availableAt) })),
    standing: standingOf(standing),
    history: history.map((entry) => ({ ...entry, availableAt: date(entry.availableAt), occurredAt: date(entry.occurredAt), createdAt: date(entry.createdAt) })),
    redemptions: redemptions.map((redemption) => ({
      ...redemption,
      createdAt: date(redemption.createdAt),
      issuedAt: optionalDate(redemption.issuedAt),
      expiresAt: optionalDate(redemption.expiresAt),
    })),
  };
}
