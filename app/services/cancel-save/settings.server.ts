/**
 * A shop's cancel-save settings and paid membership program: read with the domain's schemas (defaults for a shop
 * that never saved), saved only when valid.
 */
import type pg from "pg";
import { z } from "zod";
import { cancelSaveSettingsSchema, membershipSettingsSchema, type CancelSaveSettings } from "~/domain/cancel-save";
import { readCancelSaveSettingsRow, writeCancelSaveSettingsRow, type SettingsSave } from "~/data/cancel-save/settings.server";
import type { Database } from "~/data/db.server";

type Queryable = pg.Pool | pg.PoolClient;

/** A paid VIP membership: contracts with a line of `variantId` are memberships granting `grantsTier`. */
export const membershipProgramSchema = membershipSettingsSchema.extend({
  variantId: z.string().regex(/^gid:\/\/shopify\/ProductVariant\/\d+$/, "Use the variant's id, e.g. gid://shopify/ProductVariant/123"),
});
export type MembershipProgram = z.output<typeof membershipProgramSchema>;

export async function loadCancelSaveSettings(db: Queryable, shopId: number): Promise<CancelSaveSettings> {
  const row = await readCancelSaveSettingsRow(db, shopId);
  return cancelSaveSettingsSchema.parse(row?.settings ?? {});
}

export async function loadMembershipProgram(db: Queryable, shopId: number): Promise<MembershipProgram | null> {
  const row = await readCancelSaveSettingsRow(db, shopId);
  return row?.membership ? membershipProgramSchema.parse(row.membership) : null;
}

const defaults = () => cancelSaveSettingsSchema.parse({});

/** Saves settings the caller has validated (cancelSaveSettingsSchema's output). */
export function saveCancelSaveSettings(database: Database, shopId: number, settings: CancelSaveSettings, save: SettingsSave) {
  return writeCancelSaveSettingsRow(database, shopId, { settings, defaultSettings: defaults() }, save);
}

/** Saves (or with null, removes) the membership program. */
export function saveMembershipProgram(database: Database, shopId: number, membership: MembershipProgram | null, save: SettingsSave) {
  return writeCancelSaveSettingsRow(database, shopId, { membership, defaultSettings: defaults() }, save);
}
