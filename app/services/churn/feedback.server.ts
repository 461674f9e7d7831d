/**
 * Customer feedback: NPS (0–10, "how likely are you to recommend us") and CSAT (1–5, "how satisfied were you").
 * NPS = % promoters (9–10) − % detractors (0–6); CSAT = % of answers 4 or 5. A detractor (NPS 0–6, CSAT 1–2) is
 * flagged for the merchant to contact and resolve. Answering earns the loyalty program's survey points, once per
 * survey.
 */
import type { Database } from "~/data/db.server";
import { countOpenFollowUps, saveFeedback, saveFollowUp, scoreCounts, type FeedbackKind, type FollowUpStatus } from "~/data/churn/feedback.server";
import { awardAction } from "~/services/loyalty/actions.server";

export const SCORE_RANGE: Record<FeedbackKind, { min: number; max: number }> = { nps: { min: 0, max: 10 }, csat: { min: 1, max: 5 } };

export function isDetractor(kind: FeedbackKind, score: number): boolean {
  return kind === "nps" ? score <= 6 : score <= 2;
}

export interface NpsSummary {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** −100 to 100; null without answers. */
  score: number | null;
}

export interface CsatSummary {
  responses: number;
  satisfied: number;
  /** Percent of answers 4 or 5; null without answers. */
  percent: number | null;
  average: number | null;
}

export function npsSummary(counts: readonly { score: number; answers: number }[]): NpsSummary {
  const total = (test: (score: number) => boolean) => counts.filter((c) => test(c.score)).reduce((sum, c) => sum + c.answers, 0);
  const responses = total(() => true);
  const promoters = total((s) => s >= 9);
  const detractors = total((s) => s <= 6);
  return {
    responses,
    promoters,
    passives: responses - promoters - detractors,
    detractors,
    score: responses > 0 ? ((promoters - detractors) / responses) * 100 : null,
  };
}

export function csatSummary(counts: readonly { score: number; answers: number }[]): CsatSummary {
  const responses = counts.reduce((sum, c) => sum + c.answers, 0);
  const satisfied = counts.filter((c) => c.score >= 4).reduce((sum, c) => sum + c.answers, 0);
  return {
    responses,
    satisfied,
    percent: responses > 0 ? (satisfied / responses) * 100 : null,
    average: responses > 0 ? counts.reduce((sum, c) => sum + c.score * c.answers, 0) / responses : null,
  };
}

export interface SubmittedFeedback {
  /** Points the answer earned now; null when it earned none (already answered, program off, cap reached). */
  points: number | null;
}

/** Stores a logged-in customer's answer (the caller has checked the score's range) and awards the survey points. */
export async function submitFeedback({
  database,
  shopId,
  customerId,
  kind,
  orderId,
  score,
  comment,
  now,
}: {
  database: Database;
  shopId: number;
  customerId: string;
  kind: FeedbackKind;
  orderId: string;
  score: number;
  comment: string | null;
  now: Date;
}): Promise<SubmittedFeedback> {
  await saveFeedback(database, shopId, { customerId, kind, orderId, score, comment, answeredAt: now, detractor: isDetractor(kind, score) });
  const award = await awardAction({ db: database, shopId, customerId, occurrence: { action: "survey", surveyId: `${kind}:${orderId || "general"}` }, now });
  return { points: award.ok ? award.points : null };
}

export async function feedbackOverview(database: Database, shopId: number, since: Date): Promise<{ nps: NpsSummary; csat: CsatSummary; openFollowUps: number }> {
  const counts = await scoreCounts(database, shopId, since);
  return {
    nps: npsSummary(counts.filter((c) => c.kind === "nps")),
    csat: csatSummary(counts.filter((c) => c.kind === "csat")),
    openFollowUps: await countOpenFollowUps(database, shopId),
  };
}

export async function followUpDetractor({
  database,
  shopId,
  responseId,
  status,
  note,
  staffUserId,
  now,
}: {
  database: Database;
  shopId: number;
  responseId: number;
  status: FollowUpStatus;
  note: string | null;
  staffUserId: string | null;
  now: Date;
}): Promise<boolean> {
  // Ids are PostgreSQL integers: a larger number names no answer (and must not reach the query).
  if (!Number.isSafeInteger(responseId) || responseId < 1 || responseId > 2_147_483_647) return false;
  return saveFollowUp(database, shopId, responseId, { status, note, by: staffUserId, at: now });
}
