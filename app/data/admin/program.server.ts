/** The admin's reads of the shop's program: stored settings (JSON) and currency, and the sections reviewed. */
import type { Database } from "../db.server";

export async function findProgramRow(database: Database, shopId: number): Promise<{ settings: unknown; currencyCode: string }> {
  const { rows } = await database.pool.query<{ settings: unknown; currencyCode: string }>(
    `select p.settings, s."currencyCode" from "Shop" s left join "LoyaltyProgram" p on p."shopId" = s.id where s.id = $1`,
    [shopId],
  );
  if (!rows[0]) throw new Error(`shop ${shopId} does not exist`);
  return rows[0];
}

export async function reviewedSections(database: Database, shopId: number): Promise<Set<string>> {
  const rows = await database.prisma.programReview.findMany({ where: { shopId }, select: { section: true } });
  return new Set(rows.map((row) => row.section));
}

export async function markSectionReviewed(database: Database, shopId: number, section: string, staffUserId: string | null, at: Date): Promise<void> {
  await database.prisma.programReview.upsert({
    where: { shopId_section: { shopId, section } },
    create: { shopId, section, staffUserId, reviewedAt: at },
    update: { staffUserId, reviewedAt: at },
  });
}
