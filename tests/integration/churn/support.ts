/** Shared by the churn radar's integration tests: shops and order facts (the bulk writer lives with the benchmark's in scripts/lib). */
import type pg from "pg";
import { shopIdFor } from "~/data/shops.server";

export { CDNOW_NOW, cdnowReplayOrders, insertOrderFacts, type OrderFactRow as TestOrder } from "../../../scripts/lib/churn-facts";

export async function createShop(pool: pg.Pool, domain: string): Promise<number> {
  return shopIdFor(pool, domain);
}
