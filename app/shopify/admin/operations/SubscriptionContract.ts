/** One subscription contract as the cancel-save mirror keeps it: status, revision, schedule, lines, discounts. */
import type { AdminClient } from "../client.server";

export const document = /* GraphQL */ `
  query SubscriptionContract($id: ID!) {
    subscriptionContract(id: $id) {
      id
      status
      revisionId
      createdAt
      currencyCode
      nextBillingDate
      customer {
        id
      }
      billingPolicy {
        interval
        intervalCount
      }
      deliveryPolicy {
        interval
        intervalCount
      }
      lines(first: 50) {
        nodes {
          id
          variantId
          title
          variantTitle
          quantity
          currentPrice {
            amount
            currencyCode
          }
        }
      }
      discounts(first: 20) {
        nodes {
          id
          title
          recurringCycleLimit
          usageCount
          rejectionReason
        }
      }
    }
  }
`;

export interface SubscriptionContractNode {
  id: string;
  status: string;
  /** UnsignedInt64, as a string. */
  revisionId: string;
  createdAt: string;
  currencyCode: string;
  nextBillingDate: string | null;
  customer: { id: string } | null;
  billingPolicy: { interval: string; intervalCount: number };
  deliveryPolicy: { interval: string; intervalCount: number };
  lines: {
    nodes: { id: string; variantId: string | null; title: string; variantTitle: string | null; quantity: number; currentPrice: { amount: string; currencyCode: string } }[];
  };
  discounts: { nodes: { id: string; title: string | null; recurringCycleLimit: number | null; usageCount: number; rejectionReason: string | null }[] };
}

export interface SubscriptionContractData {
  subscriptionContract: SubscriptionContractNode | null;
}

/** The contract as Shopify has it now, or null when Shopify does not know it (deleted, or another app's). */
export async function subscriptionContract(admin: AdminClient, contractGid: string): Promise<SubscriptionContractNode | null> {
  const data = await admin<SubscriptionContractData>(document, { id: contractGid });
  return data.subscriptionContract;
}
