/** Resumes a paused contract (the end of a pause: scheduled, early, or by the merchant). */
import { assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation SubscriptionContractActivate($subscriptionContractId: ID!) {
    subscriptionContractActivate(subscriptionContractId: $subscriptionContractId) {
      contract {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface SubscriptionContractActivateData {
  subscriptionContractActivate: { contract: { id: string; status: string } | null; userErrors: UserError[] } | null;
}

export async function subscriptionContractActivate(admin: AdminClient, contractGid: string): Promise<void> {
  const data = await admin<SubscriptionContractActivateData>(document, { subscriptionContractId: contractGid });
  assertNoUserErrors("subscriptionContractActivate", data.subscriptionContractActivate);
}
