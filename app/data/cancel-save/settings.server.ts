/**
 * A shop's cancel-save settings and paid membership program (CancelSaveSettings), stored as JSON and validated by
 * app/services/cancel-save/settings.server.ts, so a new setting needs no migration. Saves are keyed by the admin
 * form's token: the same form submitted twice writes once.
 */
import type pg from "pg";
import type { Database, Prisma } from "../db.server";
import { Prisma as PrismaNamespace } from "../generated/prisma/client";

type Queryable = pg.Pool | pg.PoolClient;

export async function readCancelSaveSettingsRow(db: Queryable, shopId: number): Promise<{ settings: unknown; membership: unknown } | null> {
  const { rows } = await db.query<{ settings: unknown; membership: unknown }>(`select settings, membership from "CancelSaveSettings" where "shopId" = $1`, [shopId]);
  return rows[0] ?? null;
}

export interface SettingsSave {
  formToken: string;
  staffUserId: string | null;
  now: Date;
}

/**
 * Writes the given parts (settings and/or membership; null removes the membership program). `already_saved` when
 * this form token was the last save: a double submit changes nothing twice.
 */
export async function writeCancelSaveSettingsRow(
  database: Database,
  shopId: number,
  parts: { settings?: Prisma.InputJsonValue; membership?: Prisma.InputJsonValue | null; defaultSettings: Prisma.InputJsonValue },
  save: SettingsSave,
): Promise<"saved" | "already_saved"> {
  return database.prisma.$transaction(async (tx) => {
    // Locks the row (when there is one) so two saves with the same token cannot both pass the check.
    const rows = await tx.$queryRaw<{ lastFormToken: string | null }[]>`select "lastFormToken" from "CancelSaveSettings" where "shopId" = ${shopId} for update`;
    if (rows[0]?.lastFormToken === save.formToken) return "already_saved";
    const membership = parts.membership === null ? PrismaNamespace.DbNull : parts.membership;
    const meta = { lastFormToken: save.formToken, updatedBy: save.staffUserId, updatedAt: save.now };
    await tx.cancelSaveSettings.upsert({
      where: { shopId },
      create: { shopId, settings: parts.settings ?? parts.defaultSettings, membership, ...meta },
      update: { settings: parts.settings, membership, ...meta },
    });
    return "saved";
  });
}
