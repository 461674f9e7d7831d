/** What the save flow reads from the loyalty program: the tier a customer earned and the program's tiers. */
import type pg from "pg";

type Queryable = pg.Pool | pg.PoolClient;

export interface LoyaltyStanding {
  earnedTier: string | null;
  /** The shop's loyalty program settings as stored (null before the program was set up), and its currency. */
  programSettings: unknown;
  currencyCode: string;
}

export async function loyaltyStanding(db: Queryable, shopId: number, customerId: string): Promise<LoyaltyStanding> {
  const { rows } = await db.query<LoyaltyStanding>(
    `select (select "tierId" from "Customer" where "shopId" = $1 and "shopifyCustomerId" = $2) as "earnedTier",
            (select settings from "LoyaltyProgram" where "shopId" = $1) as "programSettings",
            (select "currencyCode" from "Shop" where id = $1) as "currencyCode"`,
    [shopId, customerId],
  );
  return rows[0];
}
