/**
 * Win-back campaigns and their members. A member's group is fixed when the campaign is launched; only a treated
 * member can ever be marked as given an incentive (the update itself checks the group).
 */
import type pg from "pg";
import type { Database } from "../db.server";

type Queryable = pg.Pool | pg.PoolClient;

export type WinBackIncentiveKind = "discount_percentage" | "discount_amount" | "bonus_points" | "reward";
export type MemberGroup = "treated" | "holdout";

export interface NewCampaign {
  name: string;
  segment: string | null;
  riskLevel: "low" | "medium" | "high" | null;
  incentive: WinBackIncentiveKind;
  incentiveValue: number;
  rewardId: string | null;
  valuePer100PointsMinor: number | null;
  holdoutPercent: number;
  measureDays: number;
  createdBy: string | null;
}

export interface CampaignRow extends NewCampaign {
  id: number;
  shopId: number;
  status: "launching" | "active" | "failed";
  error: string | null;
  createdAt: Date;
  launchedAt: Date | null;
}

const CAMPAIGN_COLUMNS = `id, "shopId", name, segment, "riskLevel", incentive, "incentiveValue", "rewardId", "valuePer100PointsMinor", "holdoutPercent", "measureDays",
  "createdBy", status, error, "createdAt", "launchedAt"`;

export async function insertCampaign(tx: Queryable, shopId: number, campaign: NewCampaign, at: Date): Promise<CampaignRow> {
  const { rows } = await tx.query<CampaignRow>(
    `insert into "WinBackCampaign" ("shopId", name, segment, "riskLevel", incentive, "incentiveValue", "rewardId", "valuePer100PointsMinor", "holdoutPercent", "measureDays", "createdBy", "createdAt", "launchedAt")
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
     returning ${CAMPAIGN_COLUMNS}`,
    [shopId, campaign.name, campaign.segment, campaign.riskLevel, campaign.incentive, campaign.incentiveValue, campaign.rewardId, campaign.valuePer100PointsMinor, campaign.holdoutPercent, campaign.measureDays, campaign.createdBy, at],
  );
  return rows[0];
}

export async function insertMembers(tx: Queryable, shopId: number, campaignId: number, members: readonly { customerId: string; group: MemberGroup }[]): Promise<void> {
  for (let start = 0; start < members.length; start += 10_000) {
    const chunk = members.slice(start, start + 10_000);
    await tx.query(
      `insert into "WinBackMember" ("campaignId", "shopId", "customerId", "group")
       select $1, $2, m.customer, m.grp::"WinBackGroup" from unnest($3::text[], $4::text[]) as m(customer, grp)
       on conflict do nothing`,
      [campaignId, shopId, chunk.map((m) => m.customerId), chunk.map((m) => m.group)],
    );
  }
}

export async function findCampaign(db: Queryable, shopId: number, campaignId: number): Promise<CampaignRow | null> {
  const { rows } = await db.query<CampaignRow>(`select ${CAMPAIGN_COLUMNS} from "WinBackCampaign" where "shopId" = $1 and id = $2`, [shopId, campaignId]);
  return rows[0] ?? null;
}

export interface CampaignSummary extends CampaignRow {
  treated: number;
  holdout: number;
  given: number;
  failed: number;
}

export async function listCampaigns(db: Queryable, shopId: number, limit = 50): Promise<CampaignSummary[]> {
  const { rows } = await db.query<CampaignSummary>(
    `select c.*,
            count(*) filter (where m."group" = 'treated')::int as treated,
            count(*) filter (where m."group" = 'holdout')::int as holdout,
            count(*) filter (where m."treatedAt" is not null)::int as given,
            count(*) filter (where m."treatedAt" is null and m."lastError" is not null)::int as failed
       from "WinBackCampaign" c left join "WinBackMember" m on m."campaignId" = c.id
      where c."shopId" = $1 group by c.id order by c.id desc limit $2`,
    [shopId, limit],
  );
  return rows;
}

export async function setCampaignStatus(db: Queryable, campaignId: number, status: CampaignRow["status"], error: string | null = null): Promise<void> {
  await db.query(`update "WinBackCampaign" set status = $2::"WinBackStatus", error = $3 where id = $1`, [campaignId, status, error]);
}

export interface PendingMember {
  customerId: string;
  discountCode: string | null;
}

/** Treated members not given their incentive yet, after `afterCustomerId` (keyset). Hold-out members never appear. */
export async function membersAwaitingIncentive(db: Queryable, campaignId: number, afterCustomerId: string, limit: number): Promise<PendingMember[]> {
  const { rows } = await db.query<PendingMember>(
    `select "customerId", "discountCode" from "WinBackMember"
      where "campaignId" = $1 and "group" = 'treated' and "treatedAt" is null and "customerId" > $2
      order by "customerId" limit $3`,
    [campaignId, afterCustomerId, limit],
  );
  return rows;
}

/** Records the code chosen for a member before Shopify is asked to create it, so a retry reuses it. */
export async function saveMemberCode(db: Queryable, campaignId: number, customerId: string, code: string): Promise<void> {
  await db.query(`update "WinBackMember" set "discountCode" = $3 where "campaignId" = $1 and "customerId" = $2 and "group" = 'treated'`, [campaignId, customerId, code]);
}

export async function markMemberGiven(
  db: Queryable,
  campaignId: number,
  customerId: string,
  given: { discountCode: string | null; pointsAwarded: number | null; issuedCostMinor: number | null; at: Date },
): Promise<boolean> {
  const result = await db.query(
    `update "WinBackMember" set "discountCode" = coalesce($3, "discountCode"), "pointsAwarded" = $4, "issuedCostMinor" = $5, "treatedAt" = $6, "lastError" = null
      where "campaignId" = $1 and "customerId" = $2 and "group" = 'treated'`,
    [campaignId, customerId, given.discountCode, given.pointsAwarded, given.issuedCostMinor, given.at],
  );
  return result.rowCount === 1;
}

export async function markMemberFailed(db: Queryable, campaignId: number, customerId: string, error: string): Promise<void> {
  await db.query(`update "WinBackMember" set "lastError" = left($3, 500) where "campaignId" = $1 and "customerId" = $2`, [campaignId, customerId, error]);
}

export async function campaignIssuedCost(db: Queryable, campaignId: number): Promise<number> {
  const { rows } = await db.query<{ cost: number }>(`select coalesce(sum("issuedCostMinor"), 0)::int as cost from "WinBackMember" where "campaignId" = $1`, [campaignId]);
  return rows[0].cost;
}

export interface MemberView {
  customerId: string;
  group: MemberGroup;
  discountCode: string | null;
  pointsAwarded: number | null;
  treatedAt: Date | null;
  lastError: string | null;
}

export async function campaignMembers(database: Database, campaignId: number, take: number): Promise<MemberView[]> {
  return database.prisma.winBackMember.findMany({
    where: { campaignId },
    orderBy: { customerId: "asc" },
    take,
    select: { customerId: true, group: true, discountCode: true, pointsAwarded: true, treatedAt: true, lastError: true },
  });
}
