/** Referrals: a friend referred by a customer, pending until the friend's first paid order. */
import type { Queryable } from "./queryable";

export interface ReferralRow {
  id: string;
  referrerId: string;
  friendId: string;
  status: "pending" | "completed" | "refused";
  refusal: string | null;
  friendDiscountCode: string | null;
}

const COLUMNS = `id::text as id, "referrerId"::text as "referrerId", "friendId"::text as "friendId", status, refusal, "friendDiscountCode"`;

/** The friend's referral (a friend is referred at most once), created unless one exists; returns it. */
export async function insertReferral(tx: Queryable, shopId: number, referrerId: string, friendId: string, at: Date): Promise<ReferralRow> {
  const { rows } = await tx.query<ReferralRow>(
    `with inserted as (
       insert into "Referral" ("shopId", "referrerId", "friendId", "createdAt") values ($1, $2, $3, $4)
       on conflict ("friendId") do nothing returning ${COLUMNS}
     )
     select * from inserted union all select ${COLUMNS} from "Referral" where "shopId" = $1 and "friendId" = $3`,
    [shopId, referrerId, friendId, at],
  );
  return rows[0];
}

export async function referralOfFriend(db: Queryable, shopId: number, friendId: string): Promise<ReferralRow | null> {
  const { rows } = await db.query<ReferralRow>(`select ${COLUMNS} from "Referral" where "shopId" = $1 and "friendId" = $2`, [shopId, friendId]);
  return rows[0] ?? null;
}

export async function saveFriendDiscountCode(db: Queryable, shopId: number, referralId: string, code: string): Promise<void> {
  await db.query(`update "Referral" set "friendDiscountCode" = $3 where "shopId" = $1 and id = $2`, [shopId, referralId, code]);
}

export async function settleReferral(tx: Queryable, shopId: number, referralId: string, outcome: { status: "completed" | "refused"; refusal: string | null; at: Date }): Promise<void> {
  await tx.query(`update "Referral" set status = $3, refusal = $4, "completedAt" = $5 where "shopId" = $1 and id = $2`, [
    shopId,
    referralId,
    outcome.status,
    outcome.refusal,
    outcome.at,
  ]);
}

export async function referralsMadeBy(db: Queryable, shopId: number, referrerId: string): Promise<{ pending: number; completed: number }> {
  const { rows } = await db.query<{ pending: number; completed: number }>(
    `select count(*) filter (where status = 'pending')::int as pending, count(*) filter (where status = 'completed')::int as completed
       from "Referral" where "shopId" = $1 and "referrerId" = $2`,
    [shopId, referrerId],
  );
  return rows[0];
}
