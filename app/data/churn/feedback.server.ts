/** NPS and CSAT answers (FeedbackResponse) and the merchant's follow-up of detractors. */
import type { Database } from "../db.server";

export type FeedbackKind = "nps" | "csat";
export type FollowUpStatus = "open" | "contacted" | "resolved";

export interface FeedbackAnswer {
  customerId: string;
  kind: FeedbackKind;
  /** The order the survey asked about, or "" for a general survey. */
  orderId: string;
  score: number;
  comment: string | null;
  answeredAt: Date;
  detractor: boolean;
}

/**
 * One answer per customer, survey kind and order: answering again replaces the score and comment. A detractor's
 * answer opens a follow-up (an answer already being followed up keeps its state); true when the answer is new.
 */
export async function saveFeedback(database: Database, shopId: number, answer: FeedbackAnswer): Promise<boolean> {
  const { rows } = await database.pool.query<{ created: boolean }>(
    `insert into "FeedbackResponse" ("shopId", "customerId", kind, "orderId", score, comment, "answeredAt", "followUp")
     values ($1, $2, $3::"FeedbackKind", $4, $5, $6, $7, case when $8 then 'open'::"FollowUpStatus" end)
     on conflict ("shopId", "customerId", kind, "orderId") do update set
       score = excluded.score, comment = excluded.comment, "answeredAt" = excluded."answeredAt",
       "followUp" = case when $8 then coalesce("FeedbackResponse"."followUp", 'open') when "FeedbackResponse"."followUp" = 'open' then null else "FeedbackResponse"."followUp" end
     returning (xmax = 0) as created`,
    [shopId, answer.customerId, answer.kind, answer.orderId, answer.score, answer.comment, answer.answeredAt, answer.detractor],
  );
  return rows[0].created;
}

/** How many answers gave each score since `since`, per kind. */
export async function scoreCounts(database: Database, shopId: number, since: Date): Promise<{ kind: FeedbackKind; score: number; answers: number }[]> {
  const { rows } = await database.pool.query<{ kind: FeedbackKind; score: number; answers: number }>(
    `select kind::text as kind, score, count(*)::int as answers from "FeedbackResponse" where "shopId" = $1 and "answeredAt" >= $2 group by kind, score order by kind, score`,
    [shopId, since],
  );
  return rows;
}

export interface FeedbackRow {
  id: number;
  customerId: string;
  kind: FeedbackKind;
  orderId: string;
  score: number;
  comment: string | null;
  answeredAt: Date;
  followUp: FollowUpStatus | null;
  followUpNote: string | null;
  followUpBy: string | null;
  followUpAt: Date | null;
}

/** The newest answers first; `followUp` narrows to detractors in that state. */
export async function listFeedback(
  database: Database,
  shopId: number,
  filter: { kind?: FeedbackKind; followUp?: FollowUpStatus; take: number; skip: number },
): Promise<{ rows: FeedbackRow[]; total: number }> {
  const where = { shopId, ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.followUp ? { followUp: filter.followUp } : {}) };
  const [rows, total] = await Promise.all([
    database.prisma.feedbackResponse.findMany({ where, orderBy: [{ answeredAt: "desc" }, { id: "desc" }], take: filter.take, skip: filter.skip, omit: { shopId: true } }),
    database.prisma.feedbackResponse.count({ where }),
  ]);
  return { rows, total };
}

export async function countOpenFollowUps(database: Database, shopId: number): Promise<number> {
  return database.prisma.feedbackResponse.count({ where: { shopId, followUp: "open" } });
}

/** Moves a detractor's follow-up on; false when the answer is not this shop's or is not a detractor's. */
export async function saveFollowUp(
  database: Database,
  shopId: number,
  id: number,
  followUp: { status: FollowUpStatus; note: string | null; by: string | null; at: Date },
): Promise<boolean> {
  const { count } = await database.prisma.feedbackResponse.updateMany({
    where: { id, shopId, followUp: { not: null } },
    data: { followUp: followUp.status, followUpNote: followUp.note, followUpBy: followUp.by, followUpAt: followUp.at },
  });
  return count === 1;
}
