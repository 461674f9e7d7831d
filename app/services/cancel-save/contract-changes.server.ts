/**
 * Carries out the domain's plans (app/domain/cancel-save/offerPlan.ts) on Shopify, then shows the change in the
 * mirror at once. Every mutation checks userErrors (AdminApiError), so a refusal is never taken for success; a
 * draft whose change was refused is never committed and changes nothing.
 */
import type pg from "pg";
import type { ContractDraftChange, OfferPlan, ResumePlan } from "~/domain/cancel-save";
import { recordAppPause, recordConfirmedChange, type MirroredContract } from "~/data/cancel-save/contracts.server";
import type { AdminClient } from "~/shopify/admin/client.server";
import { subscriptionBillingCycleSkip } from "~/shopify/admin/operations/SubscriptionBillingCycleSkip";
import { subscriptionContractActivate } from "~/shopify/admin/operations/SubscriptionContractActivate";
import { subscriptionContractCancel } from "~/shopify/admin/operations/SubscriptionContractCancel";
import { subscriptionContractPause } from "~/shopify/admin/operations/SubscriptionContractPause";
import { subscriptionContractSetNextBillingDate } from "~/shopify/admin/operations/SubscriptionContractSetNextBillingDate";
import { subscriptionContractUpdate } from "~/shopify/admin/operations/SubscriptionContractUpdate";
import { subscriptionDraftCommit } from "~/shopify/admin/operations/SubscriptionDraftCommit";
import { subscriptionDraftDiscountAdd } from "~/shopify/admin/operations/SubscriptionDraftDiscountAdd";
import { subscriptionDraftLineUpdate } from "~/shopify/admin/operations/SubscriptionDraftLineUpdate";
import { subscriptionDraftUpdateFrequency } from "~/shopify/admin/operations/SubscriptionDraftUpdate";
import { logger } from "~/config/logger.server";
import { idFromGid } from "~/shopify/webhooks/payloads";
import { refreshContract } from "./contract-mirror.server";

type Queryable = pg.Pool | pg.PoolClient;

/** A plan Shopify carries out (bonus points are the loyalty ledger's). `contractId` is the contract's gid, as in the domain. */
export type ShopifyPlan = Exclude<OfferPlan, { kind: "credit_points" }> | ResumePlan | { kind: "cancel_contract"; contractId: string };

async function changeDraft(admin: AdminClient, draftId: string, change: ContractDraftChange, currencyCode: string): Promise<void> {
  switch (change.kind) {
    case "set_frequency":
      return subscriptionDraftUpdateFrequency(admin, draftId, change.billing, change.delivery);
    case "swap_line":
      return subscriptionDraftLineUpdate(admin, draftId, { lineId: change.lineId, variantId: change.toVariantId, unitPriceMinor: change.unitPriceMinor, currencyCode });
    case "add_discount":
      return subscriptionDraftDiscountAdd(admin, draftId, change);
  }
}

/** Makes the change on Shopify; throws AdminApiError (nothing confirmed) when Shopify refuses or cannot be reached. */
export async function carryOutOnShopify(admin: AdminClient, plan: ShopifyPlan, contract: MirroredContract): Promise<void> {
  const gid = contract.contract.id;
  switch (plan.kind) {
    case "pause_contract":
      return subscriptionContractPause(admin, gid);
    case "resume_contract":
      await subscriptionContractActivate(admin, gid);
      return subscriptionContractSetNextBillingDate(admin, gid, plan.nextBillingDate);
    case "skip_billing_cycle":
      return subscriptionBillingCycleSkip(admin, gid, plan.cycleDate);
    case "update_contract": {
      const draftId = await subscriptionContractUpdate(admin, gid);
      await changeDraft(admin, draftId, plan.change, contract.contract.currencyCode);
      return subscriptionDraftCommit(admin, draftId);
    }
    case "cancel_contract":
      return subscriptionContractCancel(admin, gid);
  }
}

/**
 * After Shopify confirmed a change: the mirror reads the contract back, and keeps what only the app knows (its
 * pause's resume date). When the read-back fails the change was still made, so what Shopify confirmed is written
 * directly and the webhook brings the rest.
 */
export async function mirrorConfirmedChange(db: Queryable, admin: AdminClient, shopId: number, plan: ShopifyPlan, now: Date): Promise<void> {
  const contractId = idFromGid(plan.contractId);
  const refreshed = await refreshContract(db, admin, shopId, contractId, now).catch((error: unknown) => {
    logger.warn({ err: error, contractId }, "reading a changed subscription contract back failed; the webhook will bring it");
    return null;
  });
  if (plan.kind === "pause_contract") return recordAppPause(db, shopId, contractId, { pausedOn: plan.pausedOn, resumeOn: plan.resumeOn });
  if (refreshed) return;
  if (plan.kind === "resume_contract") return recordConfirmedChange(db, shopId, contractId, { status: "ACTIVE", nextBillingDate: plan.nextBillingDate });
  if (plan.kind === "cancel_contract") return recordConfirmedChange(db, shopId, contractId, { status: "CANCELLED" });
}
