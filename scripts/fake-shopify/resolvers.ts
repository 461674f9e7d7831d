/** Every operation the fake Admin API answers, by operation name. Each area adds its resolvers here. */
import type { Resolver } from "./admin-api";
import { billingResolvers } from "./billing-resolvers";
import { churnResolvers } from "./churn-resolvers";
import { loyaltyResolvers } from "./loyalty-resolvers";
import { storefrontResolvers } from "./storefront-resolvers";
import { subscriptionResolvers } from "./subscription-resolvers";
import { themeResolvers } from "./theme-resolvers";

export const fakeAdminResolvers: Record<string, Resolver> = {
  ...storefrontResolvers,
  ...billingResolvers,
  ...themeResolvers,
  ...subscriptionResolvers,
  ...churnResolvers,
  ...loyaltyResolvers,
};
