/** The rewards catalogue: each reward is the domain's Reward as JSON (validated by the service). */
import type { Queryable } from "./queryable";

export interface RewardRow {
  id: number;
  definition: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export async function insertReward(db: Queryable, shopId: number, definition: unknown): Promise<number> {
  const { rows } = await db.query<{ id: number }>(`insert into "Reward" ("shopId", definition) values ($1, $2::jsonb) returning id`, [shopId, JSON.stringify(definition)]);
  return rows[0].id;
}

/** False when the shop has no such reward. */
export async function updateRewardDefinition(db: Queryable, shopId: number, rewardId: number, definition: unknown): Promise<boolean> {
  const { rowCount } = await db.query(`update "Reward" set definition = $3::jsonb, "updatedAt" = now() where "shopId" = $1 and id = $2`, [
    shopId,
    rewardId,
    JSON.stringify(definition),
  ]);
  return rowCount === 1;
}

export async function listRewardRows(db: Queryable, shopId: number): Promise<RewardRow[]> {
  const { rows } = await db.query<RewardRow>(`select id, definition, "createdAt", "updatedAt" from "Reward" where "shopId" = $1 order by id`, [shopId]);
  return rows;
}

export async function findRewardRow(db: Queryable, shopId: number, rewardId: number): Promise<RewardRow | null> {
  const { rows } = await db.query<RewardRow>(`select id, definition, "createdAt", "updatedAt" from "Reward" where "shopId" = $1 and id = $2`, [shopId, rewardId]);
  return rows[0] ?? null;
}
