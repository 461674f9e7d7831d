/** Pauses a contract. Shopify's pause has no end date: the app keeps the resume date and resumes it then. */
import { assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation SubscriptionContractPause($subscriptionContractId: ID!) {
    subscriptionContractPause(subscriptionContractId: $subscriptionContractId) {
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

export interface SubscriptionContractPauseData {
  subscriptionContractPause: { contract: { id: string; status: string } | null; userErrors: UserError[] } | null;
}

export async function subscriptionContractPause(admin: AdminClient, contractGid: string): Promise<void> {
  const data = await admin<SubscriptionContractPauseData>(document, { subscriptionContractId: contractGid });
  assertNoUserErrors("subscriptionContractPause", data.subscriptionContractPause);
}
