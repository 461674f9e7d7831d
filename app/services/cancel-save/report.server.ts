/**
 * The merchant's cancel-save report: attempts in a date range grouped by day, week or month on the shop's
 * calendar, with reasons, offers shown and accepted, saves (not cancelled within 30 days of accepting), revenue
 * kept and the "pause leads" evidence (app/domain/cancel-save/report.ts), plus the latest attempts.
 */
import { cancelSaveReport, type CancelSaveReport, type ReportPeriod } from "~/domain/cancel-save";
import { attemptsForReport, recentAttempts, type AttemptRecord } from "~/data/cancel-save/attempts.server";
import { loyaltyProgramOf } from "~/data/cancel-save/loyalty.server";
import type { Database } from "~/data/db.server";

export const REPORT_RANGES = { day: 30, week: 91, month: 365 } as const satisfies Record<ReportPeriod, number>;

export async function cancelSaveReportFor(
  database: Database,
  shopId: number,
  options: { period: ReportPeriod; now: Date; recent: number },
): Promise<{ report: CancelSaveReport; recent: AttemptRecord[]; timeZone: string; from: Date; to: Date }> {
  const to = options.now;
  const from = new Date(to.getTime() - REPORT_RANGES[options.period] * 86_400_000);
  const [{ timeZone }, attempts, recent] = await Promise.all([
    loyaltyProgramOf(database.pool, shopId),
    attemptsForReport(database, shopId, from, to),
    recentAttempts(database, shopId, options.recent),
  ]);
  return { report: cancelSaveReport(attempts, { from, to, period: options.period, timeZone, now: options.now }), recent, timeZone, from, to };
}
