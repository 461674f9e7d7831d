/**
 * The fake Admin API's billing: a subscription is created PENDING with a confirmation URL, as Shopify does. In
 * the demo nobody can approve it on Shopify's page, so the charge is accepted at once and the confirmation URL
 * is the app's return URL with `charge_id`, exactly where Shopify sends the merchant after "Approve".
 */
import type { FakeShopState, Resolver } from "./admin-api";

interface FakeSubscription {
  id: string;
  name: string;
  status: string;
  trialDays: number;
  returnUrl: string;
  createdAt: string;
  test: boolean;
}

function subscriptions(state: FakeShopState): Map<string, FakeSubscription> {
  state.subscriptions ??= new Map<string, FakeSubscription>();
  return state.subscriptions;
}

export const billingResolvers: Record<string, Resolver> = {
  AppSubscriptionCreate: (variables, state) => {
    const userErrors = [];
    if (!String(variables.name).trim()) userErrors.push({ field: ["name"], message: "Name can't be blank" });
    if (!/^https?:\/\//.test(String(variables.returnUrl))) userErrors.push({ field: ["returnUrl"], message: "Return url is invalid" });
    if (userErrors.length) return { appSubscriptionCreate: { appSubscription: null, confirmationUrl: null, userErrors } };
    const chargeId = String(27_000_000 + subscriptions(state).size + 1);
    const subscription: FakeSubscription = {
      id: `gid://shopify/AppSubscription/${chargeId}`,
      name: variables.name,
      status: "PENDING",
      trialDays: variables.trialDays ?? 0,
      returnUrl: variables.returnUrl,
      createdAt: new Date().toISOString(),
      test: Boolean(variables.test),
    };
    // Answered PENDING, as Shopify does; stored as accepted, since in the demo nobody can click "Approve".
    subscriptions(state).set(subscription.id, { ...subscription, status: "ACTIVE" });
    const confirmationUrl = new URL(subscription.returnUrl);
    confirmationUrl.searchParams.set("charge_id", chargeId);
    return {
      appSubscriptionCreate: {
        appSubscription: { id: subscription.id, status: "PENDING", trialDays: subscription.trialDays },
        confirmationUrl: confirmationUrl.toString(),
        userErrors: [],
      },
    };
  },

  AppSubscriptionStatus: (variables, state) => {
    const subscription = subscriptions(state).get(variables.id);
    if (!subscription) return { node: null };
    const periodEnd = new Date(Date.parse(subscription.createdAt) + 30 * 86_400_000).toISOString();
    return { node: { id: subscription.id, name: subscription.name, status: subscription.status, trialDays: subscription.trialDays, createdAt: subscription.createdAt, currentPeriodEnd: periodEnd } };
  },

  AppSubscriptionCancel: (variables, state) => {
    const subscription = subscriptions(state).get(variables.id);
    if (!subscription) return { appSubscriptionCancel: { appSubscription: null, userErrors: [{ field: ["id"], message: "Subscription not found" }] } };
    subscription.status = "CANCELLED";
    return { appSubscriptionCancel: { appSubscription: { id: subscription.id, status: subscription.status }, userErrors: [] } };
  },
};
