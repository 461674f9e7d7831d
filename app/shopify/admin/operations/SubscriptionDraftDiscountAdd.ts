/** Adds a percentage discount on every line of a draft for a limited number of billing cycles. */
import { assertNoUserErrors, type AdminClient, type UserError } from "../client.server";

export const document = /* GraphQL */ `
  mutation SubscriptionDraftDiscountAdd($draftId: ID!, $input: SubscriptionManualDiscountInput!) {
    subscriptionDraftDiscountAdd(draftId: $draftId, input: $input) {
      discountAdded {
        id
        title
        recurringCycleLimit
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface SubscriptionDraftDiscountAddData {
  subscriptionDraftDiscountAdd: {
    discountAdded: { id: string; title: string | null; recurringCycleLimit: number | null } | null;
    userErrors: UserError[];
  } | null;
}

export async function subscriptionDraftDiscountAdd(
  admin: AdminClient,
  draftId: string,
  discount: { title: string; percent: number; billingCycles: number },
): Promise<void> {
  const data = await admin<SubscriptionDraftDiscountAddData>(document, {
    draftId,
    input: { title: discount.title, value: { percentage: discount.percent }, recurringCycleLimit: discount.billingCycles, entitledLines: { all: true } },
  });
  assertNoUserErrors("subscriptionDraftDiscountAdd", data.subscriptionDraftDiscountAdd);
}
