/** The Program sections the merchant has saved (the onboarding checklist's "reviewed" steps). */
import type { Database } from "../db.server";

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
