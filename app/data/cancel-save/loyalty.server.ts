/** What cancel-save reads from the loyalty program: its settings (tiers) and time zone, and the tier a customer earned. */
import type pg from "pg";

type Queryable = pg.Pool | pg.PoolClient;

export interface LoyaltyProgramRow {
  /** As stored; null before the program was set up. */
  programSettings: unknown;
  currencyCode: string;
  /** The shop's IANA time zone (UTC before the program records one). */
  timeZone: string;
}

export async function loyaltyProgramOf(db: Queryable, shopId: number): Promise<LoyaltyProgramRow> {
  const { rows } = await db.query<LoyaltyProgramRow>(
    `select p.settings as "programSettings", s."currencyCode", coalesce(p."timeZone", 'UTC') as "timeZone"
     from "Shop" s left join "LoyaltyProgram" p on p."shopId" = s.id where s.id = $1`,
    [shopId],
  );
  return rows[0];
}

export async function earnedTierOf(db: Queryable, shopId: number, customerId: string): Promise<string | null> {
  const { rows } = await db.query<{ tierId: string | null }>(`select "tierId" from "Customer" where "shopId" = $1 and "shopifyCustomerId" = $2`, [shopId, customerId]);
  return rows[0]?.tierId ?? null;
}
