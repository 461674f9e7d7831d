/**
 * Rate limits on the shopper-facing endpoints, counted in PostgreSQL so they hold however many web processes
 * answer. Each request counts against its customer and against its client address; the first limit passed
 * refuses it. Redeeming is limited tightly (each one creates a discount in Shopify); reads loosely.
 */
import type pg from "pg";
import { countHits, pruneCounters, type CounterHit } from "~/data/storefront/rate-limits.server";
import type { Shopper } from "./shopper.server";

export interface Limit {
  hits: number;
  windowSeconds: number;
}

export type LimitedAction = "read" | "redeem";

export const STOREFRONT_LIMITS: Record<LimitedAction, { perCustomer: Limit; perAddress: Limit }> = {
  redeem: { perCustomer: { hits: 10, windowSeconds: 60 }, perAddress: { hits: 30, windowSeconds: 60 } },
  read: { perCustomer: { hits: 120, windowSeconds: 60 }, perAddress: { hits: 600, windowSeconds: 60 } },
};

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Old windows are deleted by one request in this many, per process, so the table stays small. */
const PRUNE_EVERY = 1_000;
let sincePrune = 0;

export async function checkRateLimits(
  pool: pg.Pool,
  action: LimitedAction,
  shopper: Shopper,
  now: Date,
  limits = STOREFRONT_LIMITS[action],
): Promise<RateLimitDecision> {
  const counted: { hit: CounterHit; limit: Limit }[] = [];
  const add = (subject: string, limit: Limit) => {
    const windowMs = limit.windowSeconds * 1000;
    counted.push({ hit: { key: `${action}:${subject}`, windowStart: new Date(Math.floor(now.getTime() / windowMs) * windowMs) }, limit });
  };
  if (shopper.customerId !== null) add(`customer:${shopper.shop}:${shopper.customerId}`, limits.perCustomer);
  if (shopper.address !== null) add(`address:${shopper.address}`, limits.perAddress);

  const counts = await countHits(
    pool,
    counted.map((c) => c.hit),
  );
  let retryAfterSeconds = 0;
  for (const { key, hits, windowStart } of counts) {
    const { limit } = counted.find((c) => c.hit.key === key)!;
    if (hits > limit.hits) {
      const endsAt = windowStart.getTime() + limit.windowSeconds * 1000;
      retryAfterSeconds = Math.max(retryAfterSeconds, Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)));
    }
  }

  sincePrune += 1;
  if (sincePrune >= PRUNE_EVERY) {
    sincePrune = 0;
    const longest = Math.max(...Object.values(STOREFRONT_LIMITS).flatMap((l) => [l.perCustomer.windowSeconds, l.perAddress.windowSeconds]));
    pruneCounters(pool, new Date(now.getTime() - 2 * longest * 1000)).catch(() => undefined); // next prune retries
  }
  return retryAfterSeconds > 0 ? { allowed: false, retryAfterSeconds } : { allowed: true };
}
