/** The Program page's use of the loyalty engine: settings, the tier preview, the reward catalogue. */
import type { FieldErrors } from "~/components/forms";
import { fieldName, issuesToFieldErrors } from "~/components/forms.server";
import { createOnce } from "~/data/admin/submissions.server";
import type { Database } from "~/data/db.server";
import type { ProgramSettings, RewardInput, TierChangePreview } from "~/domain/loyalty";
import { createReward, findReward, listRewards, setRewardArchived as archiveReward, updateReward, type CatalogueReward } from "~/services/loyalty/rewards.server";
import { getProgramSettings, updateProgramSettings, type LoadedProgram } from "~/services/loyalty/program.server";
import { previewTierRules as previewRules } from "~/services/loyalty/tiers.server";

export function loadProgram(database: Database, shopId: number): Promise<LoadedProgram> {
  return getProgramSettings({ db: database.pool, shopId });
}

/** Saves settings the form has already validated; the engine validates again and keeps `startedAt`. */
export async function saveProgram(database: Database, shopId: number, settings: ProgramSettings, now: Date): Promise<void> {
  const result = await updateProgramSettings({ db: database.pool, shopId, change: () => settings, now });
  if (!result.ok) throw new Error(`settings refused: ${result.issues.map((i) => `${fieldName(i.path)} ${i.message}`).join("; ")}`);
}

export async function previewTierRules(database: Database, shopId: number, rules: ProgramSettings["tiers"], now: Date): Promise<{ ok: true; preview: TierChangePreview } | { ok: false; errors: FieldErrors }> {
  const result = await previewRules({ db: database.pool, shopId, rules, now });
  return result.ok ? result : { ok: false, errors: issuesToFieldErrors(result.issues) };
}

export function catalogue(database: Database, shopId: number): Promise<CatalogueReward[]> {
  return listRewards({ db: database.pool, shopId, includeArchived: true });
}

export function findCatalogueReward(database: Database, shopId: number, rewardId: string): Promise<CatalogueReward | null> {
  return findReward(database.pool, shopId, rewardId);
}

export async function setRewardArchived(database: Database, shopId: number, rewardId: string, archived: boolean): Promise<boolean> {
  return (await archiveReward({ db: database.pool, shopId, rewardId, archived })) !== null;
}

export type RewardSaved = { ok: true; rewardId: string } | { ok: false; errors: FieldErrors } | { ok: false; notFound: true };

/** Creates a reward once per form token (a double submit finds the first), or updates one. */
export async function saveReward(database: Database, shopId: number, input: { rewardId: string | null; token: string; reward: RewardInput }): Promise<RewardSaved> {
  if (input.rewardId) {
    const result = await updateReward({ db: database.pool, shopId, rewardId: input.rewardId, reward: input.reward });
    if (!result) return { ok: false, notFound: true };
    return result.ok ? { ok: true, rewardId: result.reward.id } : { ok: false, errors: issuesToFieldErrors(result.issues) };
  }
  const created = await createOnce<FieldErrors>(database, shopId, input.token, async (tx) => {
    const result = await createReward({ db: tx, shopId, reward: input.reward });
    return result.ok ? { id: result.reward.id } : { errors: issuesToFieldErrors(result.issues) };
  });
  return "errors" in created ? { ok: false, errors: created.errors } : { ok: true, rewardId: created.id };
}
