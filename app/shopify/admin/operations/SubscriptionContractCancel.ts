/** Cancels a contract at once: what a subscriber's Cancel (or Decline) does. */
import { assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation SubscriptionContractCancel($subscriptionContractId: ID!) {
    subscriptionContractCancel(subscriptionContractId: $subscriptionContractId) {
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

export interface SubscriptionContractCancelData {
  subscriptionContractCancel: { contract: { id: string; status: string } | null; userErrors: UserError[] } | null;
}

export async function subscriptionContractCancel(admin: AdminClient, contractGid: string): Promise<void> {
  const data = await admin<SubscriptionContractCancelData>(document, { subscriptionContractId: contractGid });
  assertNoUserErrors("subscriptionContractCancel", data.subscriptionContractCancel);
}
