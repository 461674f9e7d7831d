/** Moves a contract's next billing date: a resumed contract bills from the day it resumes, not its old date. */
import { assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation SubscriptionContractSetNextBillingDate($contractId: ID!, $date: DateTime!) {
    subscriptionContractSetNextBillingDate(contractId: $contractId, date: $date) {
      contract {
        id
        nextBillingDate
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface SubscriptionContractSetNextBillingDateData {
  subscriptionContractSetNextBillingDate: { contract: { id: string; nextBillingDate: string | null } | null; userErrors: UserError[] } | null;
}

export async function subscriptionContractSetNextBillingDate(admin: AdminClient, contractGid: string, date: Date): Promise<void> {
  const data = await admin<SubscriptionContractSetNextBillingDateData>(document, { contractId: contractGid, date: date.toISOString() });
  assertNoUserErrors("subscriptionContractSetNextBillingDate", data.subscriptionContractSetNextBillingDate);
}
