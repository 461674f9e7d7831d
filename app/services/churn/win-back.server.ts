/**
 * Win-back campaigns: an audience (RFM segment and/or risk level) split once, at launch, into a treated group and a
 * hold-out by the domain's holdoutAssignment; the treated get an incentive (a single-use discount code, a loyalty
 * catalogue reward, or bonus points on the loyalty ledger) announced through a Flow trigger; the hold-out gets
 * nothing. The report compares their repurchase rates over the measurement window, with the 95 % interval and
 * the cost per saved customer.
 */
import { randomBytes } from "node:crypto";
import { inTransaction, type Database } from "~/data/db.server";
import {
  campaignIssuedCost,
  findCampaign,
  insertCampaign,
  insertMembers,
  markMemberFailed,
  markMemberGiven,
  membersAwaitingIncentive,
  saveMemberCode,
  setCampaignStatus,
  type CampaignRow,
  type NewCampaign,
} from "~/data/churn/campaigns.server";
import { campaignGroupOutcomes } from "~/data/churn/orders.server";
import { audienceCustomerIds } from "~/data/churn/scores.server";
import { findCustomerByShopifyId } from "~/data/loyalty/customers.server";
import { holdoutAssignment, liftWithConfidence, type CampaignLift } from "~/domain/churn";
import { describeRedemption, generateRewardCode, type RewardIssue } from "~/domain/loyalty";
import { describeDiscountCode } from "~/domain/loyalty/rewards";
import { formatMinor } from "~/domain/money";
import type { Queue } from "~/jobs/queue.server";
import { CHURN_WIN_BACK_QUEUE, ensureChurnQueues, inTransactionOf } from "./queues.server";
import { adjustCustomerPoints } from "~/services/admin/adjustments.server";
import { findReward } from "~/services/loyalty/rewards.server";
import { issueInShopify } from "~/services/loyalty/shopify-rewards.server";
import { AdminApiError, assertNoUserErrors, type AdminClient } from "~/shopify/admin/client.server";
import * as FlowTriggerReceive from "~/shopify/admin/operations/FlowTriggerReceive";

export const WIN_BACK_OFFER_TRIGGER = "customer-win-back-offer";
const PAGE = 100;
/** Members served at the same time: Shopify's bucket refills at 100 points/s on Standard plans. */
const CONCURRENCY = 4;

export type LaunchResult = { ok: true; campaignId: number; treated: number; holdout: number } | { ok: false; message: string };

/**
 * Creates the campaign and its members with their groups, and queues the incentives, in one transaction: a
 * campaign either exists with everyone assigned or not at all.
 */
export async function launchWinBackCampaign({
  database,
  boss,
  shop,
  campaign,
  now,
}: {
  database: Database;
  boss: Queue;
  shop: { id: number; domain: string };
  campaign: NewCampaign;
  now: Date;
}): Promise<LaunchResult> {
  if (campaign.incentive === "reward" && !(campaign.rewardId && (await findReward(database.pool, shop.id, campaign.rewardId)))) {
    return { ok: false, message: "Choose a reward from the catalogue" };
  }
  const audience = await audienceCustomerIds(database.pool, shop.id, { segment: campaign.segment, riskLevel: campaign.riskLevel });
  if (audience.length === 0) return { ok: false, message: "No scored customer is in this audience" };
  await ensureChurnQueues(boss);
  return inTransaction(database.pool, async (tx) => {
    const row = await insertCampaign(tx, shop.id, campaign, now);
    const members = audience.map((customerId) => ({ customerId, group: holdoutAssignment(String(row.id), customerId, campaign.holdoutPercent / 100) }));
    await insertMembers(tx, shop.id, row.id, members);
    await boss.send(CHURN_WIN_BACK_QUEUE, { campaignId: row.id, shopId: shop.id, shopDomain: shop.domain }, { db: inTransactionOf(tx) });
    const holdout = members.filter((m) => m.group === "holdout").length;
    return { ok: true, campaignId: row.id, treated: members.length - holdout, holdout };
  });
}

/** What a treated member is offered, in words for the Flow trigger and the admin. */
export function describeIncentive(campaign: Pick<CampaignRow, "incentive" | "incentiveValue">, currencyCode: string, rewardName?: string): string {
  switch (campaign.incentive) {
    case "discount_percentage":
      return `${campaign.incentiveValue} % off`;
    case "discount_amount":
      return `${formatMinor(campaign.incentiveValue, currencyCode)} ${currencyCode} off`;
    case "bonus_points":
      return `${campaign.incentiveValue.toLocaleString("en-US")} bonus points`;
    case "reward":
      return rewardName ?? "a reward";
  }
}

/**
 * Gives every treated member who has not had it yet their incentive. Safe to run again after a crash: a code is
 * recorded before Shopify creates it (and recognised by its title if Shopify already did), points are keyed per
 * campaign and customer. A member Shopify refuses is noted and skipped; an unreachable Shopify stops the run for
 * a retry.
 */
export async function giveWinBackIncentives({
  database,
  admin,
  shopId,
  campaignId,
  currencyCode,
  now,
}: {
  database: Database;
  admin: AdminClient;
  shopId: number;
  campaignId: number;
  currencyCode: string;
  now: Date;
}): Promise<{ given: number; refused: number }> {
  const campaign = await findCampaign(database.pool, shopId, campaignId);
  if (!campaign) throw new Error(`win-back campaign ${campaignId} of shop ${shopId} does not exist`);
  const reward = campaign.incentive === "reward" ? await findReward(database.pool, shopId, campaign.rewardId ?? "") : null;
  if (campaign.incentive === "reward" && !reward) {
    await setCampaignStatus(database.pool, campaignId, "failed", "the campaign's reward no longer exists");
    return { given: 0, refused: 0 };
  }
  const offer = describeIncentive(campaign, currencyCode, reward?.name);
  let given = 0;
  let refused = 0;
  let after = "";
  for (;;) {
    const page = await membersAwaitingIncentive(database.pool, campaignId, after, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1].customerId;
    for (let start = 0; start < page.length; start += CONCURRENCY) {
      await Promise.all(
        page.slice(start, start + CONCURRENCY).map(async (member) => {
          try {
            const outcome = await giveIncentive({ database, admin, shopId, campaign, reward, member, currencyCode, now });
            if (outcome === null) {
              await markMemberFailed(database.pool, campaignId, member.customerId, "not a member of the loyalty program");
              refused += 1;
              return;
            }
            await announceOffer(admin, campaign, member.customerId, offer, outcome.code);
            await markMemberGiven(database.pool, campaignId, member.customerId, { ...outcome, discountCode: outcome.code, at: now });
            given += 1;
          } catch (error) {
            if (!(error instanceof AdminApiError && error.kind === "user_errors")) throw error;
            await markMemberFailed(database.pool, campaignId, member.customerId, error.message);
            refused += 1;
          }
        }),
      );
    }
  }
  await setCampaignStatus(database.pool, campaignId, "active");
  return { given, refused };
}

interface Given {
  code: string | null;
  pointsAwarded: number | null;
  issuedCostMinor: number | null;
}

async function giveIncentive({
  database,
  admin,
  shopId,
  campaign,
  reward,
  member,
  currencyCode,
  now,
}: {
  database: Database;
  admin: AdminClient;
  shopId: number;
  campaign: CampaignRow;
  reward: Awaited<ReturnType<typeof findReward>>;
  member: { customerId: string; discountCode: string | null };
  currencyCode: string;
  now: Date;
}): Promise<Given | null> {
  if (campaign.incentive === "bonus_points") {
    const loyaltyCustomer = await findCustomerByShopifyId(database.pool, shopId, member.customerId);
    if (!loyaltyCustomer) return null;
    const result = await adjustCustomerPoints({
      database,
      shopId,
      customerId: loyaltyCustomer.id,
      points: campaign.incentiveValue,
      reason: `Win-back campaign "${campaign.name}"`,
      staffUserId: campaign.createdBy,
      submissionId: `win-back-${campaign.id}-${member.customerId}`,
      now,
    });
    if (!result.ok) return null;
    const cost = campaign.valuePer100PointsMinor === null ? null : Math.round((campaign.incentiveValue * campaign.valuePer100PointsMinor) / 100);
    return { code: null, pointsAwarded: campaign.incentiveValue, issuedCostMinor: cost };
  }
  // The code is chosen and saved before Shopify is asked, so a retry asks for the same code.
  let code = member.discountCode ?? generateRewardCode(randomBytes);
  if (!member.discountCode) await saveMemberCode(database.pool, campaign.id, member.customerId, code);
  const context = { customerId: member.customerId, currencyCode, now, newCode: () => code };
  const terms = { minimumOrderMinor: 0, expiresAfterDays: campaign.measureDays };
  const title = `Win-back: ${campaign.name}`;
  const issue: RewardIssue =
    campaign.incentive === "reward"
      ? describeRedemption(reward!, context)
      : describeDiscountCode(
          title,
          campaign.incentive === "discount_percentage" ? { type: "percentage", percent: campaign.incentiveValue } : { type: "fixed_amount", amountMinor: campaign.incentiveValue },
          terms,
          context,
        );
  const issued = await issueInShopify(admin, issue, `W${campaign.id}-${member.customerId}`, async () => {
    code = generateRewardCode(randomBytes);
    await saveMemberCode(database.pool, campaign.id, member.customerId, code);
    return code;
  });
  return { code: issued.code, pointsAwarded: null, issuedCostMinor: issue.kind === "store_credit" ? issue.credit.amountMinor : null };
}

async function announceOffer(admin: AdminClient, campaign: CampaignRow, customerId: string, offer: string, code: string | null): Promise<void> {
  const data = await admin<FlowTriggerReceive.FlowTriggerReceiveData>(FlowTriggerReceive.document, {
    handle: WIN_BACK_OFFER_TRIGGER,
    payload: { customer_id: Number(customerId), Campaign: campaign.name, Offer: offer, "Discount code": code ?? "", "Valid for days": campaign.measureDays },
  } satisfies FlowTriggerReceive.FlowTriggerReceiveVariables);
  assertNoUserErrors("flowTriggerReceive", data.flowTriggerReceive);
}

export interface CampaignReport {
  campaign: CampaignRow;
  window: { from: string; to: string; complete: boolean };
  treated: { customers: number; repurchased: number };
  holdout: { customers: number; repurchased: number };
  costMinor: number;
  /** Null while a group is empty (e.g. a tiny audience with a 10 % hold-out). */
  lift: CampaignLift | null;
}

/** Repurchase in the window after launch, treated vs hold-out; cost = what was given plus what the codes took off. */
export async function winBackReport({ database, shopId, campaignId, now }: { database: Database; shopId: number; campaignId: number; now: Date }): Promise<CampaignReport | null> {
  const campaign = await findCampaign(database.pool, shopId, campaignId);
  if (!campaign) return null;
  const from = campaign.launchedAt ?? campaign.createdAt;
  const end = new Date(from.getTime() + campaign.measureDays * 86_400_000);
  const to = end < now ? end : now;
  const groups = await campaignGroupOutcomes(database.pool, shopId, campaignId, { from, to });
  const group = (name: "treated" | "holdout") => groups.find((g) => g.group === name) ?? { customers: 0, repurchased: 0, codeDiscountMinor: 0 };
  const treated = group("treated");
  const holdout = group("holdout");
  const costMinor = treated.codeDiscountMinor + (await campaignIssuedCost(database.pool, campaignId));
  return {
    campaign,
    window: { from: from.toISOString(), to: to.toISOString(), complete: end <= now },
    treated: { customers: treated.customers, repurchased: treated.repurchased },
    holdout: { customers: holdout.customers, repurchased: holdout.repurchased },
    costMinor,
    lift:
      treated.customers > 0 && holdout.customers > 0
        ? liftWithConfidence({ treated: { customers: treated.customers, repurchased: treated.repurchased }, holdout: { customers: holdout.customers, repurchased: holdout.repurchased }, campaignCostMinor: costMinor })
        : null,
  };
}
