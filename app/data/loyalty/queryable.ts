import type pg from "pg";

/** A pool for a single statement, or a transaction's client when the caller holds locks. */
export type Queryable = pg.Pool | pg.PoolClient;
