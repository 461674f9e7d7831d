/** Skips one billing cycle (and so its delivery), selected by the date it would have been billed. */
import { assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation SubscriptionBillingCycleSkip($billingCycleInput: SubscriptionBillingCycleInput!) {
    subscriptionBillingCycleSkip(billingCycleInput: $billingCycleInput) {
      billingCycle {
        cycleIndex
        billingAttemptExpectedDate
        skipped
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface SubscriptionBillingCycleSkipData {
  subscriptionBillingCycleSkip: {
    billingCycle: { cycleIndex: number; billingAttemptExpectedDate: string; skipped: boolean } | null;
    userErrors: UserError[];
  } | null;
}

export async function subscriptionBillingCycleSkip(admin: AdminClient, contractGid: string, cycleDate: Date): Promise<void> {
  const data = await admin<SubscriptionBillingCycleSkipData>(document, {
    billingCycleInput: { contractId: contractGid, selector: { date: cycleDate.toISOString() } },
  });
  assertNoUserErrors("subscriptionBillingCycleSkip", data.subscriptionBillingCycleSkip);
}
