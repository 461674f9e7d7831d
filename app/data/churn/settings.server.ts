/** A shop's churn settings, stored as JSON (validated by app/services/churn/settings.server.ts). */
import type { Database } from "../db.server";
import type { Prisma } from "../generated/prisma/client";

export async function readChurnSettings(database: Database, shopId: number): Promise<unknown> {
  const row = await database.prisma.churnSettings.findUnique({ where: { shopId }, select: { settings: true } });
  return row?.settings ?? null;
}

export async function writeChurnSettings(database: Database, shopId: number, settings: Prisma.InputJsonValue): Promise<void> {
  await database.prisma.churnSettings.upsert({ where: { shopId }, create: { shopId, settings }, update: { settings } });
}
