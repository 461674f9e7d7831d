/** Changes a draft's billing and delivery frequency (a pay-per-delivery contract keeps the two equal). */
import type { Frequency } from "~/domain/cancel-save";
import { assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation SubscriptionDraftUpdate($draftId: ID!, $input: SubscriptionDraftInput!) {
    subscriptionDraftUpdate(draftId: $draftId, input: $input) {
      draft {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface SubscriptionDraftUpdateData {
  subscriptionDraftUpdate: { draft: { id: string } | null; userErrors: UserError[] } | null;
}

export async function subscriptionDraftUpdateFrequency(admin: AdminClient, draftId: string, billing: Frequency, delivery: Frequency): Promise<void> {
  const data = await admin<SubscriptionDraftUpdateData>(document, {
    draftId,
    input: {
      billingPolicy: { interval: billing.interval, intervalCount: billing.intervalCount },
      deliveryPolicy: { interval: delivery.interval, intervalCount: delivery.intervalCount },
    },
  });
  assertNoUserErrors("subscriptionDraftUpdate", data.subscriptionDraftUpdate);
}
