/**
 * The rewards catalogue the admin edits and shoppers redeem from. Rewards are never deleted: archiving stops
 * offering one, while codes already issued for it stay valid in Shopify and its redemptions keep their snapshot.
 */
import type { z } from "zod";
import { findRewardRow, insertReward, listRewardRows, updateRewardDefinition, type RewardRow } from "~/data/loyalty/rewards.server";
import type { Queryable } from "~/data/loyalty/queryable";
import { rewardSchema, type Reward, type RewardInput } from "~/domain/loyalty";

/** A catalogue reward with its id (a decimal string, as URLs and the storefront carry it). */
export type CatalogueReward = Reward & { id: string };

export type RewardSave = { ok: true; reward: CatalogueReward } | { ok: false; issues: z.core.$ZodIssue[] };

function fromRow(row: RewardRow): CatalogueReward {
  return { ...rewardSchema.parse(row.definition), id: String(row.id) };
}

/** A reward id from a URL or a request, or null when it cannot be one. */
export function parseRewardId(value: string): number | null {
  return /^\d{1,9}$/.test(value) ? Number(value) : null;
}

export async function listRewards(input: { db: Queryable; shopId: number; includeArchived?: boolean }): Promise<CatalogueReward[]> {
  const rewards = (await listRewardRows(input.db, input.shopId)).map(fromRow);
  return input.includeArchived ? rewards : rewards.filter((reward) => !reward.archived);
}

export async function findReward(db: Queryable, shopId: number, rewardId: string): Promise<CatalogueReward | null> {
  const id = parseRewardId(rewardId);
  const row = id === null ? null : await findRewardRow(db, shopId, id);
  return row && fromRow(row);
}

export async function createReward(input: { db: Queryable; shopId: number; reward: RewardInput }): Promise<RewardSave> {
  const parsed = rewardSchema.safeParse(input.reward);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  const id = await insertReward(input.db, input.shopId, parsed.data);
  return { ok: true, reward: { ...parsed.data, id: String(id) } };
}

/** Replaces a reward's terms; future redemptions use them, issued codes keep theirs. */
export async function updateReward(input: { db: Queryable; shopId: number; rewardId: string; reward: RewardInput }): Promise<RewardSave | null> {
  const id = parseRewardId(input.rewardId);
  if (id === null) return null;
  const parsed = rewardSchema.safeParse(input.reward);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  if (!(await updateRewardDefinition(input.db, input.shopId, id, parsed.data))) return null;
  return { ok: true, reward: { ...parsed.data, id: input.rewardId } };
}

/** Stops offering the reward (or offers it again); null when the shop has no such reward. */
export async function setRewardArchived(input: { db: Queryable; shopId: number; rewardId: string; archived: boolean }): Promise<CatalogueReward | null> {
  const reward = await findReward(input.db, input.shopId, input.rewardId);
  if (!reward) return null;
  const { id, ...definition } = reward;
  await updateRewardDefinition(input.db, input.shopId, Number(id), { ...definition, archived: input.archived });
  return { ...reward, archived: input.archived };
}
