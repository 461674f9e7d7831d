/** A subscription's state, read back after the merchant returns from Shopify's approval page. */
export const document = /* GraphQL */ `
  query AppSubscriptionStatus($id: ID!) {
    node(id: $id) {
      ... on AppSubscription {
        id
        name
        status
        trialDays
        createdAt
        currentPeriodEnd
      }
    }
  }
`;

export type AppSubscriptionState = "PENDING" | "ACCEPTED" | "ACTIVE" | "DECLINED" | "EXPIRED" | "FROZEN" | "CANCELLED";

export interface AppSubscriptionStatusData {
  node: { id: string; name: string; status: AppSubscriptionState; trialDays: number; createdAt: string; currentPeriodEnd: string | null } | null;
}
