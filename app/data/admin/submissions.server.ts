/** One-time form tokens: what a create form's first submit made, so a repeat submit makes nothing. */
import type pg from "pg";
import { inTransaction, type Database } from "../db.server";

export type CreateOnce<E> = { created: true; id: string } | { created: false; id: string } | { created: false; errors: E };

class Refused<E> extends Error {
  constructor(readonly errors: E) {
    super("refused");
  }
}

/**
 * Runs `create` once per token, in one transaction with claiming the token. A concurrent or later repeat waits
 * for the first and gets its id; when `create` refuses (validation), nothing is kept and the token stays free.
 */
export async function createOnce<E>(
  database: Database,
  shopId: number,
  token: string,
  create: (tx: pg.PoolClient) => Promise<{ id: string } | { errors: E }>,
): Promise<CreateOnce<E>> {
  try {
    return await inTransaction(database.pool, async (tx) => {
      const claim = await tx.query(`insert into "AdminSubmission" ("shopId", token, "createdId") values ($1, $2, '') on conflict do nothing`, [shopId, token]);
      if (claim.rowCount === 0) {
        const { rows } = await tx.query<{ createdId: string }>(`select "createdId" from "AdminSubmission" where "shopId" = $1 and token = $2`, [shopId, token]);
        return { created: false as const, id: rows[0].createdId };
      }
      const result = await create(tx);
      if ("errors" in result) throw new Refused(result.errors);
      await tx.query(`update "AdminSubmission" set "createdId" = $3 where "shopId" = $1 and token = $2`, [shopId, token, result.id]);
      return { created: true as const, id: result.id };
    });
  } catch (error) {
    if (error instanceof Refused) return { created: false, errors: error.errors as E };
    throw error;
  }
}
