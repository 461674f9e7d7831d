/**
 * Fixed-window request counters shared by every web process, for the shopper-facing endpoints.
 *
 * They live in an UNLOGGED table in a schema of their own (`storefront`), created here on first use the way
 * pg-boss keeps its own `pgboss` schema: the counters are throw-away (a crash that empties them merely resets
 * the windows), an unlogged table skips the write-ahead log on a path hit by every storefront request, and
 * Prisma's datamodel (the `public` schema) cannot express unlogged tables. Losing the table loses nothing.
 */
import type pg from "pg";
import { inTransaction } from "../db.server";

export interface CounterHit {
  /** e.g. "redeem:customer:shop.myshopify.com:123" */
  key: string;
  windowStart: Date;
}

export interface CounterCount {
  key: string;
  /** Hits counted in the key's current window, this one included. */
  hits: number;
  windowStart: Date;
}

const DDL = `
  create schema if not exists storefront;
  create unlogged table if not exists storefront.rate_limit_window (
    key          text primary key,
    window_start timestamptz not null,
    hits         integer not null
  );`;

const ready = new WeakMap<pg.Pool, Promise<void>>();

function ensureTable(pool: pg.Pool): Promise<void> {
  let promise = ready.get(pool);
  if (!promise) {
    // The lock keeps several processes starting at once from racing on `create ... if not exists`.
    promise = inTransaction(pool, async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(hashtext('storefront.rate_limit_window'))`);
      await tx.query(DDL);
    });
    promise.catch(() => ready.delete(pool)); // try again on the next request (e.g. the database was down)
    ready.set(pool, promise);
  }
  return promise;
}

/**
 * Counts one hit on each key in one round trip. A key whose stored window is older than the hit's starts a
 * new window at 1; a hit from a process whose clock lags (an older window) counts into the newer one.
 */
export async function countHits(pool: pg.Pool, hits: CounterHit[]): Promise<CounterCount[]> {
  if (hits.length === 0) return [];
  await ensureTable(pool);
  const { rows } = await pool.query<{ key: string; hits: number; window_start: Date }>(
    `insert into storefront.rate_limit_window as w (key, window_start, hits)
     select key, window_start, 1 from unnest($1::text[], $2::timestamptz[]) as h(key, window_start)
     on conflict (key) do update set
       hits = case when w.window_start >= excluded.window_start then w.hits + 1 else 1 end,
       window_start = greatest(w.window_start, excluded.window_start)
     returning key, hits, window_start`,
    [hits.map((h) => h.key), hits.map((h) => h.windowStart)],
  );
  return rows.map((row) => ({ key: row.key, hits: row.hits, windowStart: row.window_start }));
}

/** Deletes counters whose window started before `before`; they no longer limit anything. */
export async function pruneCounters(pool: pg.Pool, before: Date): Promise<number> {
  await ensureTable(pool);
  const { rowCount } = await pool.query(`delete from storefront.rate_limit_window where window_start < $1`, [before]);
  return rowCount ?? 0;
}
