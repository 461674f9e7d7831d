/**
 * Plan changes through Shopify's Billing API. A paid plan is requested with appSubscriptionCreate; the
 * merchant approves it on Shopify's page and comes back to the return URL with `charge_id`, where the
 * subscription is read back and only an ACTIVE one changes the plan. Moving to Free cancels the subscription.
 */
import { activatePlan, countPaidOrdersSince, findShopPlan, recordPendingPlan } from "~/data/admin/billing.server";
import type { Database } from "~/data/db.server";
import { AdminApiError, assertNoUserErrors, type AdminClient } from "~/shopify/admin/client.server";
import * as Cancel from "~/shopify/admin/operations/AppSubscriptionCancel";
import * as Create from "~/shopify/admin/operations/AppSubscriptionCreate";
import * as Status from "~/shopify/admin/operations/AppSubscriptionStatus";
import { billingPeriodStart, isPlanKey, orderAllowance, PLANS, trialDaysFor, type Plan, type PlanKey } from "./plans";

const DAY_MS = 86_400_000;

export interface BillingOverview {
  plan: Plan;
  trialEndsAt: Date | null;
  periodStart: Date;
  allowance: ReturnType<typeof orderAllowance>;
  pendingPlan: PlanKey | null;
}

export async function billingOverview(database: Database, shopId: number, now: Date): Promise<BillingOverview> {
  const record = await findShopPlan(database, shopId);
  const plan = PLANS[isPlanKey(record.plan) ? record.plan : "free"];
  const periodStart = billingPeriodStart(record.startedAt, now);
  const used = await countPaidOrdersSince(database, shopId, periodStart);
  return {
    plan,
    trialEndsAt: record.trialEndsAt && record.trialEndsAt > now ? record.trialEndsAt : null,
    periodStart,
    allowance: orderAllowance(plan, used),
    pendingPlan: record.pendingPlan && isPlanKey(record.pendingPlan) ? record.pendingPlan : null,
  };
}

export type PlanChangeStart = { kind: "approve_in_shopify"; confirmationUrl: string } | { kind: "changed" } | { kind: "unchanged" };

/** Starts a move to `planKey`: a paid plan needs the merchant's approval at the returned URL. */
export async function startPlanChange(input: {
  admin: AdminClient;
  database: Database;
  shopId: number;
  planKey: PlanKey;
  returnUrl: string;
  /** Shopify's test charges: development stores and the demo. */
  test: boolean;
  now: Date;
}): Promise<PlanChangeStart> {
  const record = await findShopPlan(input.database, input.shopId);
  if (record.plan === input.planKey) return { kind: "unchanged" };
  const plan = PLANS[input.planKey];
  if (plan.priceMinor === 0) {
    if (record.subscriptionId) {
      const result = await input.admin<Cancel.AppSubscriptionCancelData>(Cancel.document, { id: record.subscriptionId });
      assertNoUserErrors("appSubscriptionCancel", result.appSubscriptionCancel);
    }
    await activatePlan(input.database, input.shopId, { plan: plan.key, subscriptionId: null, startedAt: input.now, trialEndsAt: null });
    return { kind: "changed" };
  }
  const variables: Create.AppSubscriptionCreateVariables = {
    name: `Retention Engine ${plan.name}`,
    lineItems: [{ plan: { appRecurringPricingDetails: { price: { amount: (plan.priceMinor / 100).toFixed(2), currencyCode: plan.currencyCode }, interval: "EVERY_30_DAYS" } } }],
    returnUrl: input.returnUrl,
    trialDays: trialDaysFor(plan, record.hadPaidPlan),
    test: input.test,
  };
  const result = await input.admin<Create.AppSubscriptionCreateData>(Create.document, variables as unknown as Record<string, unknown>);
  const payload = assertNoUserErrors("appSubscriptionCreate", result.appSubscriptionCreate);
  if (!payload.appSubscription || !payload.confirmationUrl) throw new AdminApiError("appSubscriptionCreate returned no subscription", "graphql");
  await recordPendingPlan(input.database, input.shopId, plan.key, payload.appSubscription.id);
  return { kind: "approve_in_shopify", confirmationUrl: payload.confirmationUrl };
}

export type PlanChangeConfirmation = { kind: "activated"; plan: Plan } | { kind: "not_approved"; status: string } | { kind: "unknown_charge" };

/**
 * The merchant is back from Shopify's approval page. Only the pending subscription of this shop counts (a
 * charge id from elsewhere is ignored), and only when Shopify says it is ACTIVE; a repeat visit changes nothing.
 */
export async function confirmPlanChange(input: { admin: AdminClient; database: Database; shopId: number; chargeId: string; now: Date }): Promise<PlanChangeConfirmation> {
  const record = await findShopPlan(input.database, input.shopId);
  const subscriptionId = `gid://shopify/AppSubscription/${input.chargeId}`;
  if (record.subscriptionId === subscriptionId && isPlanKey(record.plan)) return { kind: "activated", plan: PLANS[record.plan] };
  if (record.pendingSubscriptionId !== subscriptionId || !record.pendingPlan || !isPlanKey(record.pendingPlan)) return { kind: "unknown_charge" };
  const { node } = await input.admin<Status.AppSubscriptionStatusData>(Status.document, { id: subscriptionId });
  if (!node) return { kind: "unknown_charge" };
  if (node.status !== "ACTIVE") return { kind: "not_approved", status: node.status };
  const plan = PLANS[record.pendingPlan];
  // Shopify itself ends the previous paid subscription when this one is approved (replacementBehavior's default).
  await activatePlan(input.database, input.shopId, {
    plan: plan.key,
    subscriptionId,
    startedAt: input.now,
    trialEndsAt: node.trialDays > 0 ? new Date(input.now.getTime() + node.trialDays * DAY_MS) : null,
  });
  return { kind: "activated", plan };
}
